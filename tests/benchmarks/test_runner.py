"""Tests for benchmarks.runner and ``python -m benchmarks``."""

import io
import json
import sys
from pathlib import Path

import pytest

import benchmarks.__main__ as bench_main
from benchmarks import runner
from benchmarks.runner import Bench, Result, Target

SELFTEST = "selftest_workloads"


@pytest.fixture
def registry(monkeypatch):
    """An empty registry, with the self-test workloads importable afresh."""
    monkeypatch.setattr(runner, "REGISTRY", {})
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    for name in [m for m in sys.modules if m == SELFTEST or m.startswith(SELFTEST + ".")]:
        monkeypatch.delitem(sys.modules, name)
    return runner.REGISTRY


@pytest.mark.parametrize(
    "text, op, value",
    [("<= 1", "<=", 1.0), ("≤ 1", "<=", 1.0), (">= 10000", ">=", 10000.0), ("≥10_000", ">=", 10000.0)],
)
def test_target_parse(text, op, value):
    assert Target.parse(text) == Target(op, value)


def test_target_rejects_missing_direction():
    with pytest.raises(ValueError, match="must start with"):
        Target.parse("1 ms")


def test_target_met_and_describe():
    low, high = Target.parse("<= 1"), Target.parse(">= 10000")
    assert low.met(1.0) and not low.met(1.01)
    assert high.met(10000) and not high.met(9999)
    assert low.describe("ms") == "≤ 1 ms"
    assert high.describe("pods/s") == "≥ 10,000 pods/s"
    assert high.describe_ascii("pods/s") == ">= 10000 pods/s"
    assert Target.parse("<= 0.5").describe_ascii("ms") == "<= 0.5 ms"


def test_baseline_ratio_is_cost_relative_to_baseline():
    slow_ms = Result("a", 4.0, "ms", Target.parse("<= 10"), baseline=1.0)
    slow_rate = Result("b", 250.0, "pods/s", Target.parse(">= 100"), baseline=1000.0)
    assert slow_ms.baseline_ratio == 4.0
    assert slow_rate.baseline_ratio == 4.0


def test_bench_time_takes_best_of_repeats(monkeypatch):
    ticks = iter([0.0, 3.0, 10.0, 11.0, 20.0, 22.0])
    monkeypatch.setattr(runner.time, "perf_counter", lambda: next(ticks))
    calls = []
    assert Bench(repeat=3).time(lambda: calls.append(1)) == 1.0
    assert len(calls) == 3


def test_bench_sizes_and_repeats():
    assert Bench().size(100, quick=10) == 100
    assert Bench(quick=True).size(100, quick=10) == 10
    assert Bench(quick=True).repeat < Bench().repeat


def test_discover_finds_workload_modules(registry):
    found = runner.discover(SELFTEST)
    assert [w.name for w in found] == ["trivial-sum", "trivial-rate"]
    assert all(w.baseline_fn is not None for w in found)
    assert found[1].target == Target(">=", 1.0)


def test_run_prints_table(registry):
    out = io.StringIO()
    results = runner.run(runner.discover(SELFTEST), quick=True, out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["name", "value", "unit", "target", "met", "×", "baseline"]
    assert lines[1].startswith("trivial-sum ") and "≤ 1,000 ms" in lines[1]
    assert lines[2].startswith("trivial-rate") and "items/s" in lines[2]
    assert all(r.met for r in results)
    assert all(r.value > 0 and r.baseline > 0 for r in results)


def test_main_json_lines(registry, monkeypatch, capsys):
    monkeypatch.setattr(bench_main, "discover", lambda: runner.discover(SELFTEST))
    assert bench_main.main(["--json", "--quick", "--filter", "sum"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == ["name", "value", "unit", "target", "baseline_ratio", "met"]
    assert record["name"] == "trivial-sum"
    assert record["unit"] == "ms" and record["target"] == "<= 1000 ms"
    assert record["met"] is True and record["baseline_ratio"] > 0


def test_main_filter_without_match_fails(registry, monkeypatch, capsys):
    monkeypatch.setattr(bench_main, "discover", lambda: runner.discover(SELFTEST))
    assert bench_main.main(["--filter", "nothing-like-this"]) == 1
    assert "no benchmark workload matches" in capsys.readouterr().err


def test_main_usage_error_exits_2():
    with pytest.raises(SystemExit) as exc:
        bench_main.main(["--bogus"])
    assert exc.value.code == 2


def test_registration_errors(registry):
    @runner.workload("x", unit="ms", target="<= 1")
    def x(bench):
        return 0.5

    with pytest.raises(ValueError, match="registered twice"):
        runner.workload("x", unit="ms", target="<= 1")(lambda bench: 0.0)
    with pytest.raises(ValueError, match="has no baseline"):
        runner.run_one(x, Bench(quick=True))


def test_package_workloads_import():
    """The real workloads folder imports cleanly (whatever it holds)."""
    for w in runner.discover():
        assert w.baseline_fn is not None, f"{w.name} has no baseline"
