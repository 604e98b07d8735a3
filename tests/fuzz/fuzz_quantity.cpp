// libFuzzer harness for the quantity parser (parse_quantity / format_quantity in units.h).
// Input format and invariants: run_quantity in fuzz_targets.h. Build and run: README.md here.
#include <cstddef>
#include <cstdint>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  corridor::fuzz::run_quantity(data, size);  // a broken invariant throws and aborts
  return 0;
}
