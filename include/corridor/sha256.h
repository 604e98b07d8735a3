#pragma once
/// \file SHA-256 (FIPS 180-4) for input hashes in manifest.json; no library in our Debian set
/// provides it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace corridor {

/// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

/// The same digest of data given in pieces: update() any number of times, then hex(), which
/// also resets the hasher.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::string hex();

 private:
  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> block_{};
  std::size_t buffered_ = 0;  ///< bytes of block_ in use
  std::size_t length_ = 0;    ///< bytes hashed so far
};

}  // namespace corridor
