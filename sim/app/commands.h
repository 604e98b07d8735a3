#pragma once
// What `corridor run`, `compare`, `validate` and `resolve` do, step by step. A command reports
// on the Terminal and returns its Outcome; an InputError from loading (and any exception, a
// bug) passes through to main(), the one place that catches exceptions.
#include "cli.h"
#include "terminal.h"

namespace corridor::app {

Outcome execute(const Options& options, Terminal& terminal);

}  // namespace corridor::app
