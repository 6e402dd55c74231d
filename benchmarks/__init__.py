"""kubelearn's performance workloads and their runner: ``python -m benchmarks``.

Workloads live in ``benchmarks/workloads/*.py`` and are found automatically;
see ``benchmarks/runner.py`` for how to declare one.
"""
