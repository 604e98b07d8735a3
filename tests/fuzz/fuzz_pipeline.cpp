// libFuzzer harness for the whole pipeline: YAML text -> load_scenario -> validate ->
// simulate over at most two years -> CSV serializers and summary. The body is run_pipeline in
// fuzz_targets.h; build and run: README.md here.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Anything but InputError escapes, so std::terminate aborts at the throw site.
  corridor::fuzz::run_pipeline(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
