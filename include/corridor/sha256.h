#pragma once
/// \file SHA-256 (FIPS 180-4) for input hashes in manifest.json; no library in our Debian set
/// provides it.
#include <string>
#include <string_view>

namespace corridor {

/// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace corridor
