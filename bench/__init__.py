"""Benchmarks (not part of the app). See bench/README.md."""
