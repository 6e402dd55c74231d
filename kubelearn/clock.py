"""Simulated time: the only clock the engine reads.

A heap of ``(time, sequence, callback)`` as in simpy: equal times always fire in
the order they were scheduled, so two runs with the same seed do the same thing
in the same order. Nothing in kubelearn reads the wall clock; commands that wait
in real kubectl (``rollout status``) advance this clock instead.
"""
from __future__ import annotations

import heapq
from datetime import datetime, timedelta, timezone
from typing import Callable

# Simulated second 0. A fixed date keeps timestamps identical across runs.
EPOCH = datetime(2025, 6, 2, 9, 0, 0, tzinfo=timezone.utc)

# A bound on how often timers with one label fire at one instant, so work that
# keeps re-arming itself at ``now`` is reported instead of hanging ``advance``.
MAX_FIRES_PER_INSTANT = 10_000


_RFC3339: dict[int, str] = {}
_RFC3339_CACHE_SIZE = 4096


def rfc3339(t: float) -> str:
    """``2025-06-02T09:00:05Z`` — how metadata timestamps are serialised.

    Every write stamps the same few seconds over and over (an Event has three
    timestamps), so the text is cached per whole second."""
    second = int(t)
    text = _RFC3339.get(second)
    if text is None:
        if len(_RFC3339) >= _RFC3339_CACHE_SIZE:
            _RFC3339.clear()
        text = _RFC3339[second] = (EPOCH + timedelta(seconds=second)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
    return text


def rfc3339_micro(t: float) -> str:
    """``2025-06-02T09:00:05.123456Z`` — MicroTime fields (events' eventTime)."""
    return (EPOCH + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rfc1123z(t: float) -> str:
    """``Mon, 02 Jun 2025 09:00:05 +0000`` — how ``kubectl describe`` prints times."""
    return (EPOCH + timedelta(seconds=int(t))).strftime("%a, %d %b %Y %H:%M:%S +0000")


_PARSED: dict[str, float] = {}


def parse_rfc3339(text: str) -> float:
    """Seconds since EPOCH for a stored timestamp.

    Controllers read back the same few timestamps on every sync (a condition's
    lastUpdateTime), and ``strptime`` is slow, so answers are cached like
    ``rfc3339``'s."""
    seconds = _PARSED.get(text)
    if seconds is None:
        if len(_PARSED) >= _RFC3339_CACHE_SIZE:
            _PARSED.clear()
        stamp = datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        fraction = float("0" + text[19:].rstrip("Z")) if text[19:20] == "." else 0.0
        seconds = _PARSED[text] = (stamp - EPOCH).total_seconds() + fraction
    return seconds


class Timer:
    """A handle to scheduled work; ``cancel()`` makes it a no-op. ``pending`` is
    True until the timer fires or is cancelled, so an owner can drop the timers
    that are done without the callback having to refer to its own timer (a
    reference cycle that only the cyclic garbage collector would free)."""

    __slots__ = ("when", "callback", "cancelled", "fired", "background", "label", "_clock")

    def __init__(self, clock: "Clock", when: float, callback: Callable[[], None],
                 background: bool, label: str):
        self._clock = clock
        self.when = when
        self.callback = callback
        self.cancelled = False
        self.fired = False
        self.background = background
        self.label = label

    @property
    def pending(self) -> bool:
        return not (self.cancelled or self.fired)

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            self._clock._forget(self)


class Clock:
    """Simulated seconds since EPOCH, with a queue of timed work."""

    def __init__(self, start: float = 0.0):
        self.now = float(start)
        self._heap: list[tuple[float, int, Timer]] = []
        self._seq = 0
        self.foreground = 0   # live timers that settle() waits for
        self._fires: dict[str, int] = {}   # label -> timers fired at ``now``
        self._fires_at = self.now

    def call_at(self, when: float, callback: Callable[[], None], *, background: bool = False,
                label: str = "") -> Timer:
        """Run ``callback`` at simulated time ``when``. Background work (probes,
        periodic syncs) repeats forever, so ``settle`` does not wait for it."""
        timer = Timer(self, max(when, self.now), callback, background, label)
        self._seq += 1
        heapq.heappush(self._heap, (timer.when, self._seq, timer))
        if not background:
            self.foreground += 1
        return timer

    def call_later(self, delay: float, callback: Callable[[], None], *, background: bool = False,
                   label: str = "") -> Timer:
        return self.call_at(self.now + delay, callback, background=background, label=label)

    def next_due(self) -> float | None:
        """When the next live timer fires, or None when nothing is scheduled."""
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pop_due(self, until: float) -> Timer | None:
        """Remove and return the next timer due at or before ``until``, moving
        ``now`` to its time; None when nothing more is due."""
        when = self.next_due()
        if when is None or when > until:
            return None
        _, _, timer = heapq.heappop(self._heap)
        timer.fired = True
        self._forget(timer)
        self.now = max(self.now, timer.when)
        self._count_fire(timer.label)
        return timer

    def _count_fire(self, label: str) -> None:
        """Raise instead of hanging when timers with one label keep firing at one instant."""
        if self._fires_at != self.now:
            self._fires_at = self.now
            self._fires.clear()
        fires = self._fires[label] = self._fires.get(label, 0) + 1
        if fires > MAX_FIRES_PER_INSTANT:
            raise RuntimeError(
                f"timer {label or '(unlabelled)'!r} fired more than {MAX_FIRES_PER_INSTANT} "
                f"times at {self.now:g}s: it keeps re-arming itself at the same instant, "
                "so simulated time cannot move on")

    def _forget(self, timer: Timer) -> None:
        if not timer.background:
            self.foreground -= 1
            timer.background = True   # counted once, whether fired or cancelled

    def describe_pending(self) -> list[str]:
        """Labels of the foreground work still scheduled, soonest first."""
        live = sorted((w, s, t.label) for w, s, t in self._heap
                      if not t.cancelled and not t.background)
        return [f"{label or 'task'} at {w:g}s" for w, _, label in live]
