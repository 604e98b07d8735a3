#pragma once
// What `corridor run`, `compare`, `validate`, `resolve` and `ensemble` do, step by step. A
// command reports on the Terminal and returns its Outcome; an InputError from loading (and any
// exception, a bug) passes through to main(), the one place that catches exceptions. Under
// mpirun (mpi_runner.h) only `ensemble` runs; its ranks agree on the outcome at every step.
#include "cli.h"
#include "corridor/mpi_runner.h"
#include "terminal.h"

namespace corridor::app {

Outcome execute(const Options& options, Terminal& terminal, const MpiSession& mpi);

}  // namespace corridor::app
