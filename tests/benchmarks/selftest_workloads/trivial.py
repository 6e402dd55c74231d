"""A trivial workload: sum a list, against the built-in sum as the baseline."""

from benchmarks.runner import workload


def bare_sum(bench):
    numbers = list(range(bench.size(10_000, quick=1_000)))
    return bench.time(lambda: sum(numbers)) * 1000


@workload("trivial-sum", unit="ms", target="<= 1000", baseline=bare_sum)
def loop_sum(bench):
    numbers = list(range(bench.size(10_000, quick=1_000)))

    def loop():
        total = 0
        for n in numbers:
            total += n
        return total

    return bench.time(loop) * 1000


@workload("trivial-rate", unit="items/s", target="≥ 1")
def rate(bench):
    n = bench.size(10_000, quick=1_000)
    return n / bench.time(lambda: [i for i in range(n)])


@rate.baseline
def bare_rate(bench):
    n = bench.size(10_000, quick=1_000)
    return n / bench.time(lambda: list(range(n)))
