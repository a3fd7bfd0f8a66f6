// Module Training: see docs/ARCHITECTURE.md for what it holds.
