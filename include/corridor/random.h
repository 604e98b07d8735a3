#pragma once
/// \file Random numbers for ensembles: a counter-based generator and distribution transforms
/// written here, so that a draw is the same on every machine, thread and MPI rank.
///
/// Generator. Every random number belongs to a stream named by a 64-bit key, and number n of
/// stream K is SplitMix64's output function applied to K + (n + 1) * 0x9E3779B97F4A7C15
/// (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): that
/// is SplitMix64 started at state K, read at position n without stepping through the ones
/// before. Nothing is shared and nothing is stateful, so the numbers of a draw depend only on
/// its key, whoever computes it and in whatever order. Keys are built by mixing their parts
/// (stream_key): an ensemble keys a stream by (seed, scenario and case, draw, input), so draw
/// k of a case is the same whether it runs on thread 3 or on rank 2, and adding a sample does
/// not change the numbers of the others.
///
/// Uniforms are (the top 53 bits + 0.5) / 2^53: strictly inside (0, 1), on a grid of 2^-53.
///
/// Distributions are drawn by inversion, x = F^-1(u), so that samples sharing a uniform move
/// together. The transforms are written here rather than taken from <random>, whose
/// distributions differ between standard libraries. The normal quantile is Wichura's AS 241
/// (PPND16, relative error about 1e-16); the normal distribution function uses std::erfc.
/// A truncated distribution maps u into [F(lower), F(upper)] first (in upper tails through
/// 1 - F, so that far tails keep their precision).
#include <cstdint>
#include <string_view>

#include "corridor/uncertainty.h"

namespace corridor {

/// SplitMix64's output function: a bijection of 64-bit words with good avalanche.
std::uint64_t mix64(std::uint64_t x);

/// FNV-1a of `text`, mixed: keys streams by name (a scenario and case, a sample, an input).
std::uint64_t hash_text(std::string_view text);

/// A key from its parts, in order: mix64 of the previous key plus the part.
std::uint64_t stream_key(std::uint64_t a, std::uint64_t b);
std::uint64_t stream_key(std::uint64_t a, std::uint64_t b, std::uint64_t c);

/// The counter-based stream of one key (see the file comment).
class RandomStream {
 public:
  explicit RandomStream(std::uint64_t key) : key_(key) {}
  /// Number n of the stream.
  std::uint64_t bits(std::uint64_t n) const;
  /// Number n as a uniform in (0, 1).
  double uniform(std::uint64_t n) const;
  /// The next uniform, counting from 0.
  double next() { return uniform(next_++); }

 private:
  std::uint64_t key_;
  std::uint64_t next_ = 0;
};

/// Standard normal quantile (AS 241) and distribution function.
double normal_quantile(double p);
double normal_cdf(double x);

/// The distribution function of `d` at x, before truncation (uniform, triangular, normal,
/// lognormal; 0 for the others).
double distribution_cdf(const Distribution& d, double x);

/// The value of `d` at uniform u in (0, 1): F^-1(u), within [lower, upper] when truncated. A
/// discrete distribution gives the first value whose cumulative probability exceeds u. For a
/// bernoulli distribution it gives `value` when u < p, and NaN otherwise ("no change").
double distribution_quantile(const Distribution& d, double u);

/// The number of events of a Poisson process at `mean` events, by inversion at u in (0, 1);
/// at most 100,000.
int poisson_quantile(double mean, double u);

}  // namespace corridor
