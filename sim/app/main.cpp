// The corridor command line: parse the options (cli.h), execute the command (commands.h), and
// turn what it came to into the exit code. The only place exceptions are caught: an InputError
// is a usage or input problem (exit 2), anything else a bug (exit 3).
#include <exception>
#include <string>

#include "cli.h"
#include "commands.h"
#include "corridor/diagnostics.h"
#include "corridor/mpi_runner.h"
#include "terminal.h"

namespace {

using corridor::app::Outcome;

/// 0 done, 1 shortfall with --fail-on-shortfall, 2 usage or input error (nothing written),
/// 3 internal error; the --help footers (cli.cpp) say the same.
int exit_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::Done:
      return 0;
    case Outcome::Shortfall:
      return 1;
    case Outcome::InputError:
      return 2;
    case Outcome::InternalError:
      return 3;
  }
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace corridor::app;
  // Under mpirun (mpi_runner.h) every rank runs this; MPI ends when `mpi` goes out of scope.
  const corridor::MpiSession mpi(&argc, &argv);
  const Parsed parsed = parse_command_line(argc, argv);
  if (!parsed.options) return exit_code(parsed.outcome);
  const Options& options = *parsed.options;
  Terminal terminal(options.quiet || !mpi.root());
  // Only rank 0 reports, except what happens on a rank alone (ensemble draws).
  terminal.set_silent(!mpi.root());
  const bool writes =
      options.command == Command::Run || options.command == Command::Compare ||
      options.command == Command::Ensemble || options.command == Command::Capacity ||
      options.command == Command::Hydraulics || options.command == Command::ImportGasLib ||
      options.command == Command::Contingencies || options.command == Command::N1 ||
      options.command == Command::Sweep || options.command == Command::Sensitivity ||
      options.command == Command::Breakeven || options.command == Command::Explain;
  try {
    return exit_code(execute(options, terminal, mpi));
  } catch (const corridor::InputError& e) {
    terminal.input_errors(e.diagnostics(), writes);
    return exit_code(Outcome::InputError);
  } catch (const std::exception& e) {
    terminal.print("corridor: internal error: " + std::string(e.what()) + " (please report)\n");
  } catch (...) {
    terminal.print("corridor: internal error: unknown exception (please report)\n");
  }
  return exit_code(Outcome::InternalError);
}
