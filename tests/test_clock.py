"""The simulated clock: a heap of (time, sequence, timer), timestamps derived from EPOCH."""
from datetime import datetime, timedelta, timezone

import pytest

from kubelearn import clock as clock_module
from kubelearn.clock import (EPOCH, Clock, parse_rfc3339, rfc1123z, rfc3339, rfc3339_micro)


def drain(clock, until):
    """Fire everything due up to ``until`` in order, as Cluster.advance does."""
    while (timer := clock.pop_due(until)) is not None:
        timer.callback()


def test_epoch_is_a_fixed_utc_instant():
    assert EPOCH == datetime(2025, 6, 2, 9, 0, 0, tzinfo=timezone.utc)


def test_a_new_clock_starts_at_zero_or_at_start():
    assert Clock().now == 0.0
    assert Clock(start=12).now == 12.0


def test_timers_fire_in_time_order():
    clock, fired = Clock(), []
    clock.call_at(5, lambda: fired.append("b"))
    clock.call_at(1, lambda: fired.append("a"))
    clock.call_at(9, lambda: fired.append("c"))
    drain(clock, 100)
    assert fired == ["a", "b", "c"]


def test_equal_times_fire_in_the_order_they_were_scheduled():
    clock, fired = Clock(), []
    for name in "qwertyuiop":
        clock.call_at(3, lambda n=name: fired.append(n))
    drain(clock, 3)
    assert fired == list("qwertyuiop")


def test_pop_due_moves_now_to_the_timer_and_stops_at_until():
    clock = Clock()
    clock.call_at(2, lambda: None)
    clock.call_at(7, lambda: None)
    first = clock.pop_due(5)
    assert first.when == 2 and clock.now == 2
    assert clock.pop_due(5) is None
    assert clock.now == 2            # nothing due: time does not move
    assert clock.next_due() == 7


def test_call_later_is_relative_to_now_and_the_past_means_now():
    clock = Clock(start=10)
    later = clock.call_later(5, lambda: None)
    past = clock.call_at(3, lambda: None)
    assert later.when == 15
    assert past.when == 10


def test_cancelled_timers_never_fire_and_are_not_due():
    clock, fired = Clock(), []
    keep = clock.call_at(1, lambda: fired.append("keep"))
    drop = clock.call_at(1, lambda: fired.append("drop"))
    drop.cancel()
    assert clock.next_due() == 1
    drain(clock, 10)
    assert fired == ["keep"]
    assert keep.cancelled is False and drop.cancelled is True
    assert clock.next_due() is None


def test_next_due_skips_cancelled_timers_at_the_front():
    clock = Clock()
    clock.call_at(1, lambda: None).cancel()
    clock.call_at(4, lambda: None)
    assert clock.next_due() == 4


def test_foreground_counts_live_foreground_timers_only():
    clock = Clock()
    a = clock.call_at(1, lambda: None)
    clock.call_at(2, lambda: None, background=True)
    clock.call_at(3, lambda: None)
    assert clock.foreground == 2
    a.cancel()
    assert clock.foreground == 1
    a.cancel()                        # cancelling twice counts once
    assert clock.foreground == 1
    drain(clock, 2)                   # fires only the background timer
    assert clock.foreground == 1
    drain(clock, 3)
    assert clock.foreground == 0


def test_cancelling_a_fired_timer_does_not_count_it_again():
    clock = Clock()
    t = clock.call_at(1, lambda: None)
    clock.call_at(2, lambda: None)
    clock.pop_due(1)
    assert clock.foreground == 1
    t.cancel()
    assert clock.foreground == 1


def test_describe_pending_lists_foreground_work_soonest_first():
    clock = Clock()
    clock.call_at(30, lambda: None, label="pull nginx")
    clock.call_at(2.5, lambda: None, label="start web")
    clock.call_at(1, lambda: None, background=True, label="probe")
    clock.call_at(4, lambda: None, label="gone").cancel()
    clock.call_at(7, lambda: None)
    assert clock.describe_pending() == ["start web at 2.5s", "task at 7s", "pull nginx at 30s"]


def test_describe_pending_is_empty_when_only_background_work_remains():
    clock = Clock()
    clock.call_at(1, lambda: None, background=True, label="heartbeat")
    assert clock.describe_pending() == []


def test_a_timer_scheduled_while_firing_runs_in_the_same_drain_when_due():
    clock, fired = Clock(), []
    clock.call_at(1, lambda: clock.call_later(1, lambda: fired.append("child")))
    drain(clock, 5)
    assert fired == ["child"] and clock.now == 2


def rearm(clock, label):
    """Work that keeps scheduling itself at ``now``: it would never let time move on."""
    clock.call_at(clock.now, lambda: rearm(clock, label), label=label)


def test_a_timer_re_armed_at_the_same_instant_is_reported_not_hung(monkeypatch):
    monkeypatch.setattr(clock_module, "MAX_FIRES_PER_INSTANT", 50)
    clock = Clock(start=3.5)
    clock.call_at(4.25, lambda: rearm(clock, "kubelet node-1: retry x for default/p"))
    with pytest.raises(RuntimeError, match=r"timer 'kubelet node-1: retry x for default/p' "
                                           r"fired more than 50 times at 4\.25s"):
        drain(clock, 10)
    assert clock.now == 4.25


def test_the_same_label_may_fire_again_at_later_instants(monkeypatch):
    monkeypatch.setattr(clock_module, "MAX_FIRES_PER_INSTANT", 3)
    clock, fired = Clock(), []
    for when in range(10):          # one label, once an instant: fine however often
        clock.call_at(when, lambda: fired.append(clock.now), label="tick")
    for _ in range(3):              # three at one instant: still within the bound
        clock.call_at(20, lambda: fired.append(clock.now), label="tick")
    drain(clock, 30)
    assert len(fired) == 13


@pytest.mark.parametrize("seconds, text", [
    (0, "2025-06-02T09:00:00Z"),
    (5, "2025-06-02T09:00:05Z"),
    (5.9, "2025-06-02T09:00:05Z"),          # whole seconds, truncated like metav1.Time
    (86400 + 3661, "2025-06-03T10:01:01Z"),
])
def test_rfc3339(seconds, text):
    assert rfc3339(seconds) == text


def test_rfc3339_micro_keeps_microseconds():
    assert rfc3339_micro(5.123456) == "2025-06-02T09:00:05.123456Z"
    assert rfc3339_micro(0) == "2025-06-02T09:00:00.000000Z"


@pytest.mark.parametrize("seconds, text", [
    (0, "Mon, 02 Jun 2025 09:00:00 +0000"),
    (5, "Mon, 02 Jun 2025 09:00:05 +0000"),
    (6 * 86400, "Sun, 08 Jun 2025 09:00:00 +0000"),
])
def test_rfc1123z(seconds, text):
    assert rfc1123z(seconds) == text


@pytest.mark.parametrize("seconds", [0, 1, 59, 3600, 86399, 10 ** 6])
def test_rfc3339_round_trips_whole_seconds(seconds):
    assert parse_rfc3339(rfc3339(seconds)) == seconds


@pytest.mark.parametrize("seconds", [0.5, 5.123456, 3600.000001])
def test_rfc3339_micro_round_trips(seconds):
    assert parse_rfc3339(rfc3339_micro(seconds)) == pytest.approx(seconds, abs=1e-6)


@pytest.mark.parametrize("seconds", [0, 42, 90061])
def test_rfc1123z_names_the_same_instant_as_rfc3339(seconds):
    parsed = datetime.strptime(rfc1123z(seconds), "%a, %d %b %Y %H:%M:%S %z")
    assert parsed == EPOCH + timedelta(seconds=seconds)
    assert parse_rfc3339(rfc3339(seconds)) == (parsed - EPOCH).total_seconds()


def test_parse_rfc3339_before_the_epoch_is_negative():
    assert parse_rfc3339("2025-06-02T08:59:00Z") == -60


def test_rfc3339_cache_answers_as_the_formatter_does(monkeypatch):
    from datetime import timedelta

    import kubelearn.clock as clock

    monkeypatch.setattr(clock, "_RFC3339_CACHE_SIZE", 8)
    for t in [0, 0.9, 1, 59.5, 60, -0.5, 3600 * 25 + 0.1, 1, 0.2] * 3:
        expected = (EPOCH + timedelta(seconds=int(t))).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert rfc3339(t) == expected
    assert len(clock._RFC3339) <= 8


def test_a_timer_is_pending_until_it_fires_or_is_cancelled():
    clock = Clock()
    fired, cancelled, later = (clock.call_at(t, lambda: None) for t in (1, 2, 3))
    assert fired.pending and cancelled.pending and later.pending
    cancelled.cancel()
    assert clock.pop_due(2) is fired
    assert not fired.pending and not cancelled.pending and later.pending


def test_parse_rfc3339_gives_the_same_answer_from_its_cache():
    for text, seconds in (("2025-06-02T09:00:05Z", 5.0), ("2025-06-02T09:01:00.250000Z", 60.25)):
        assert parse_rfc3339(text) == seconds
        assert parse_rfc3339(text) == seconds      # now answered from the cache
