// Route cards (compare.h); implementation in progress.
