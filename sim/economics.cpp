// Route economics (economics.h); implementation in progress.
#include "corridor/economics.h"
