// Module NN: see docs/ARCHITECTURE.md for what it holds.
