// Module Tensors: see docs/ARCHITECTURE.md for what it holds.
