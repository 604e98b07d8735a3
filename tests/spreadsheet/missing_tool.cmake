# The test registered in place of an external check whose tool was missing at configure time
# (see CMakeLists.txt here): it fails and says what to install, instead of skipping in silence.
# Usage: cmake -DTEST=name -DWHAT="what is missing" -P missing_tool.cmake
message(FATAL_ERROR "${TEST}: ${WHAT} was not found when build/ was configured; install it "
                    "(./setup.sh --checks does), then re-run cmake and ctest")
