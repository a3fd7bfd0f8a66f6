// Module Tokenizers: see docs/ARCHITECTURE.md for what it holds.
