"""Benchmark workloads: every module here is imported by ``python -m benchmarks``."""
