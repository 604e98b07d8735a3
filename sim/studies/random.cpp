#include "corridor/random.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace corridor {
namespace {

constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;  // SplitMix64's increment, 2^64 / phi

// Below 0.5, probabilities keep their precision down to the smallest normal double; above,
// they are steps of 2^-53 from 1.
constexpr double kTiny = std::numeric_limits<double>::min();
constexpr double kTinyU = 0.5 / 9007199254740992.0;

/// Upper tail of the standard normal, 1 - F(x), without cancellation for large x.
double normal_upper(double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); }

/// A standard normal quantile within [zl, zh] at u: through the upper tail when the interval
/// lies above 0, so that far right tails keep their precision.
double truncated_normal_z(double zl, double zh, double u) {
  if (zl > 0.0) {
    const double ql = normal_upper(zl), qh = normal_upper(zh);  // ql > qh
    const double q = ql - u * (ql - qh);
    return -normal_quantile(std::clamp(q, kTiny, 0.5));
  }
  const double pl = normal_cdf(zl), ph = normal_cdf(zh);
  const double p = pl + u * (ph - pl);
  return normal_quantile(std::clamp(p, kTiny, 1.0 - kTinyU));
}

double triangular_quantile(double a, double c, double b, double u) {
  if (!(b > a)) return a;
  const double fc = (c - a) / (b - a);
  if (u < fc) return a + std::sqrt(u * (b - a) * (c - a));
  return b - std::sqrt((1.0 - u) * (b - a) * (b - c));
}

double triangular_cdf(double a, double c, double b, double x) {
  if (x <= a) return 0.0;
  if (x >= b) return 1.0;
  if (x <= c) return (x - a) * (x - a) / ((b - a) * (c - a));
  return 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
}

}  // namespace

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t hash_text(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a offset basis
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001B3ULL;  // FNV prime
  }
  return mix64(h);
}

std::uint64_t stream_key(std::uint64_t a, std::uint64_t b) { return mix64(mix64(a) + b); }

std::uint64_t stream_key(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return stream_key(stream_key(a, b), c);
}

std::uint64_t RandomStream::bits(std::uint64_t n) const { return mix64(key_ + (n + 1) * kGamma); }

double RandomStream::uniform(std::uint64_t n) const {
  return (static_cast<double>(bits(n) >> 11) + 0.5) * 0x1.0p-53;
}

double normal_quantile(double p) {
  // Wichura, "Algorithm AS 241: The percentage points of the normal distribution", Applied
  // Statistics 37(3), 1988: PPND16, accurate to about 1 part in 10^16.
  if (!(p > 0.0 && p < 1.0)) {
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double q = p - 0.5;
  if (std::abs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) *
                    r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) *
                    r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
  }
  double r = q < 0.0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double x;
  if (r <= 5.0) {
    r -= 1.6;
    x = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r +
              0.24178072517745061177) *
                 r +
             1.27045825245236838258) *
                r +
            3.64784832476320460504) *
               r +
           5.7694972214606914055) *
              r +
          4.6303378461565452959) *
             r +
         1.42343711074968357734) /
        (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r +
              0.0151986665636164571966) *
                 r +
             0.14810397642748007459) *
                r +
            0.68976733498510000455) *
               r +
           1.6763848301838038494) *
              r +
          2.05319162663775882187) *
             r +
         1.0);
  } else {
    r -= 5.0;
    x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
              0.0012426609473880784386) *
                 r +
             0.026532189526576123093) *
                r +
            0.29656057182850489123) *
               r +
           1.7848265399172913358) *
              r +
          5.4637849111641143699) *
             r +
         6.6579046435011037772) /
        (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r +
              1.8463183175100546818e-5) *
                 r +
             7.868691311456132591e-4) *
                r +
            0.0148753612908506148525) *
               r +
           0.13692988092273580531) *
              r +
          0.59983220655588793769) *
             r +
         1.0);
  }
  return q < 0.0 ? -x : x;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double distribution_cdf(const Distribution& d, double x) {
  switch (d.kind) {
    case DistributionKind::Uniform:
      if (!(d.max > d.min)) return x < d.min ? 0.0 : 1.0;
      return std::clamp((x - d.min) / (d.max - d.min), 0.0, 1.0);
    case DistributionKind::Triangular:
      return triangular_cdf(d.min, d.mode, d.max, x);
    case DistributionKind::Normal:
      if (!(d.sd > 0.0)) return x < d.mean ? 0.0 : 1.0;
      return normal_cdf((x - d.mean) / d.sd);
    case DistributionKind::Lognormal:
      if (x <= 0.0) return 0.0;
      if (!(d.sigma > 0.0)) return std::log(x) < d.mu ? 0.0 : 1.0;
      return normal_cdf((std::log(x) - d.mu) / d.sigma);
    case DistributionKind::Discrete:
    case DistributionKind::Bernoulli:
      break;
  }
  return 0.0;
}

double distribution_quantile(const Distribution& d, double u) {
  const double lo = d.lower.value_or(-HUGE_VAL), hi = d.upper.value_or(HUGE_VAL);
  const bool truncated = d.lower || d.upper;
  double x = 0.0;
  switch (d.kind) {
    case DistributionKind::Uniform: {
      const double a = std::max(d.min, lo), b = std::min(d.max, hi);
      x = a + (b - a) * u;
      break;
    }
    case DistributionKind::Triangular:
      if (truncated) {
        const double fl = triangular_cdf(d.min, d.mode, d.max, lo);
        const double fh = triangular_cdf(d.min, d.mode, d.max, hi);
        u = fl + u * (fh - fl);
      }
      x = triangular_quantile(d.min, d.mode, d.max, u);
      break;
    case DistributionKind::Normal: {
      if (!(d.sd > 0.0)) {
        x = d.mean;
        break;
      }
      const double z = truncated ? truncated_normal_z((lo - d.mean) / d.sd, (hi - d.mean) / d.sd, u)
                                 : normal_quantile(u);
      x = d.mean + d.sd * z;
      break;
    }
    case DistributionKind::Lognormal: {
      if (!(d.sigma > 0.0)) {
        x = std::exp(d.mu);
        break;
      }
      const double zl = lo > 0.0 ? (std::log(lo) - d.mu) / d.sigma : -HUGE_VAL;
      const double zh = hi < HUGE_VAL ? (std::log(hi) - d.mu) / d.sigma : HUGE_VAL;
      const double z = truncated ? truncated_normal_z(zl, zh, u) : normal_quantile(u);
      x = std::exp(d.mu + d.sigma * z);
      break;
    }
    case DistributionKind::Discrete: {
      double cumulative = 0.0;
      for (std::size_t k = 0; k < d.values.size(); ++k) {
        cumulative += d.probabilities[k];
        if (u < cumulative) return d.values[k];
      }
      // Rounding left the sum a hair below 1: the last value with any probability.
      for (std::size_t k = d.values.size(); k-- > 0;) {
        if (d.probabilities[k] > 0.0) return d.values[k];
      }
      return d.values.empty() ? 0.0 : d.values.back();
    }
    case DistributionKind::Bernoulli:
      return u < d.p ? d.value : std::numeric_limits<double>::quiet_NaN();
  }
  // Truncation bounds hold exactly, whatever rounding did in the tails.
  return truncated ? std::clamp(x, std::max(lo, -HUGE_VAL), std::min(hi, HUGE_VAL)) : x;
}

int poisson_quantile(double mean, double u) {
  if (!(mean > 0.0)) return 0;
  // Inversion by the recurrence p(k) = p(k - 1) mean / k. For large means e^-mean underflows,
  // so the walk starts at the mode in log space and goes out both ways.
  if (mean < 500.0) {
    double p = std::exp(-mean), cumulative = p;
    int k = 0;
    while (u > cumulative && k < 100'000) {
      ++k;
      p *= mean / k;
      cumulative += p;
      if (p == 0.0) break;
    }
    return k;
  }
  // A mean this large (500 events a year) is beyond any outage statistic: a normal
  // approximation with continuity correction is enough.
  const double x = mean + std::sqrt(mean) * normal_quantile(u) + 0.5;
  return static_cast<int>(std::clamp(std::floor(x), 0.0, 100'000.0));
}

}  // namespace corridor
