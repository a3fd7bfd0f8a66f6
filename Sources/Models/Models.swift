// Module Models: see docs/ARCHITECTURE.md for what it holds.
