"""A stand-in for benchmarks/workloads, used only by the runner's tests."""
