"""Benchmarks: `make bench` (or `python -m bench.run`) — results go to docs/PERFORMANCE.md."""
