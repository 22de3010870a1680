"""Benchmark scripts: speed and memory figures, printed against a baseline measured in the same run.

Run one as a module, e.g. ``python -m bench.loading``; ``bench/README.md`` says how to read the output.
"""
