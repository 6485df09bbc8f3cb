"""Benchmarks: `venv/bin/python bench/plan_bench.py`, `venv/bin/python bench/ops_bench.py`."""
