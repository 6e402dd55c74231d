"""A small benchmark runner: workloads, their bare-Python baselines, a report.

A workload module in ``benchmarks/workloads/`` declares one or more workloads::

    from benchmarks.runner import workload

    def bare_selector(bench):                  # the minimum equivalent work
        pods = [{"app": "web" if i % 100 == 0 else "db"} for i in range(bench.size(100_000, quick=10_000))]
        return bench.time(lambda: [p for p in pods if p["app"] == "web"]) * 1000

    @workload("label-selector-100k", unit="ms", target="<= 1", baseline=bare_selector)
    def label_selector(bench):
        cluster = ...                          # set-up is not timed
        return bench.time(lambda: cluster.list("pods", selector="app=web")) * 1000

The function does its set-up, times the operation of interest with
``bench.time`` (best of N repeats, ``time.perf_counter``) and returns the
measured value in ``unit``. The baseline does the same in bare Python in the
same run, so the figures are comparable across machines as ratios.

``baseline_ratio`` is how many times the baseline's cost the workload takes:
``value / baseline`` for lower-is-better targets (``<=``, e.g. ms) and
``baseline / value`` for higher-is-better ones (``>=``, e.g. pods/s). 1.0 means
as fast as bare Python; 5.0 means five times slower.

Benchmarks are the one place in kubelearn allowed to read the wall clock.
"""

from __future__ import annotations

import gc
import importlib
import json
import pkgutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

_OPS = {"<=": "<=", "≤": "<=", ">=": ">=", "≥": ">="}


@dataclass(frozen=True)
class Target:
    """A goal such as ``<= 1`` (lower is better) or ``>= 10000`` (higher is better)."""

    op: str
    value: float

    @classmethod
    def parse(cls, text: str) -> Target:
        text = text.strip()
        for symbol, op in _OPS.items():
            if text.startswith(symbol):
                return cls(op, float(text[len(symbol):].replace("_", "").replace(",", "")))
        raise ValueError(f"target {text!r} must start with <=, >=, ≤ or ≥")

    @property
    def lower_is_better(self) -> bool:
        return self.op == "<="

    def met(self, value: float) -> bool:
        return value <= self.value if self.lower_is_better else value >= self.value

    def describe(self, unit: str) -> str:
        """For people: ``≤ 1 ms``, ``≥ 10,000 pods/s``."""
        return f"{'≤' if self.lower_is_better else '≥'} {format_number(self.value)} {unit}"

    def describe_ascii(self, unit: str) -> str:
        """For JSON: ``<= 1 ms``, ``>= 10000 pods/s``."""
        value = int(self.value) if self.value.is_integer() else self.value
        return f"{self.op} {value} {unit}"


class Bench:
    """What a workload function receives: sizes for --quick, and a timer."""

    def __init__(self, *, quick: bool = False, repeat: int | None = None):
        self.quick = quick
        self.repeat = repeat if repeat is not None else (3 if quick else 7)

    def size(self, full: int, quick: int) -> int:
        """The problem size: ``quick`` with --quick, else ``full``."""
        return quick if self.quick else full

    def time(self, fn: Callable[[], object], *, number: int = 1) -> float:
        """Best-of-``repeat`` seconds for one call of fn (averaged over ``number`` calls)."""
        best = float("inf")
        for _ in range(self.repeat):
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                fn()
            best = min(best, (time.perf_counter() - start) / number)
        return best


WorkFn = Callable[[Bench], float]


@dataclass
class Workload:
    name: str
    unit: str
    target: Target
    fn: WorkFn
    baseline_fn: WorkFn | None = None

    def baseline(self, fn: WorkFn) -> WorkFn:
        """Decorator form: ``@my_workload.baseline`` on the bare-Python function."""
        self.baseline_fn = fn
        return fn


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    target: Target
    baseline: float

    @property
    def met(self) -> bool:
        return self.target.met(self.value)

    @property
    def baseline_ratio(self) -> float:
        """How many times the bare-Python baseline's cost (see the module docstring)."""
        num, den = (self.value, self.baseline) if self.target.lower_is_better else (self.baseline, self.value)
        return num / den if den else float("inf")

    def to_json(self) -> str:
        return json.dumps({
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "target": self.target.describe_ascii(self.unit),
            "baseline_ratio": round(self.baseline_ratio, 3),
            "met": self.met,
        })


#: Every registered workload by name (filled by the @workload decorator).
REGISTRY: dict[str, Workload] = {}


def workload(name: str, *, unit: str, target: str, baseline: WorkFn | None = None) -> Callable[[WorkFn], Workload]:
    """Register the decorated function as a workload (see the module docstring)."""

    def register(fn: WorkFn) -> Workload:
        if name in REGISTRY:
            raise ValueError(f"benchmark workload {name!r} is registered twice")
        REGISTRY[name] = Workload(name, unit, Target.parse(target), fn, baseline)
        return REGISTRY[name]

    return register


def discover(package: str = "benchmarks.workloads") -> list[Workload]:
    """Import every module of the package; return all registered workloads."""
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package}.{info.name}")
    return list(REGISTRY.values())


def run_one(w: Workload, bench: Bench) -> Result:
    if w.baseline_fn is None:
        raise ValueError(f"benchmark workload {w.name!r} has no baseline")
    value = w.fn(bench)
    return Result(w.name, float(value), w.unit, w.target, float(w.baseline_fn(bench)))


def format_number(x: float) -> str:
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


HEADER = ("name", "value", "unit", "target", "met", "× baseline")


def table_row(r: Result) -> tuple[str, ...]:
    return (r.name, format_number(r.value), r.unit, r.target.describe(r.unit),
            "yes" if r.met else "NO", f"{r.baseline_ratio:.2f}")


def format_table(rows: Iterable[tuple[str, ...]]) -> str:
    rows = [HEADER, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    right = {1, 5}  # numbers
    lines = []
    for row in rows:
        cells = [cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def run(workloads: Iterable[Workload], *, quick: bool = False, as_json: bool = False,
        out: TextIO | None = None) -> list[Result]:
    """Run workloads in order; print JSON lines as they finish, or a table at the end."""
    out = out or sys.stdout
    bench = Bench(quick=quick)
    results = []
    for w in workloads:
        if not as_json:
            print(f"running {w.name} ...", file=sys.stderr, flush=True)
        result = run_one(w, bench)
        results.append(result)
        if as_json:
            print(result.to_json(), file=out, flush=True)
    if not as_json:
        print(format_table(table_row(r) for r in results), file=out)
    return results
