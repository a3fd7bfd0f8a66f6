// Module Script: see docs/ARCHITECTURE.md for what it holds.
