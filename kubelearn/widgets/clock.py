"""Clock controls: play, pause and step simulated time from a notebook.

Simulated time moves only when someone advances it. ``ClockControls`` does
it in three ways:

* **Step** advances by the number of seconds in the step box, once;
* **Play** starts an asyncio task on the kernel's running loop that calls
  ``cluster.advance(speed)`` every ``interval`` wall-clock seconds (0.5 s)
  until **Pause**. The kernel stays free between ticks: other cells run, and
  widgets keep answering. Wall time only paces the loop: each tick moves the
  cluster by exactly ``speed`` simulated seconds, so what happens in the
  cluster is the same, tick for tick, on a fast machine and a slow one;
* :meth:`ClockControls.tick` is one tick of play, for tests and scripts.

The label shows ``t=123s`` and the simulated RFC 3339 time. After each tick
or step the cluster's refresh hub is flushed, so a dashboard redraws once per
tick however many objects changed. An error while advancing (controllers that
do not settle) pauses play and is shown, never raised into the event loop.
"""
from __future__ import annotations

import asyncio
import warnings

import ipywidgets as widgets

from kubelearn.clock import rfc3339
from kubelearn.widgets.refresh import hub

TICK_INTERVAL = 0.5       # wall-clock seconds between ticks while playing
SPEEDS = (1, 2, 5, 10, 30, 60)


class ClockControls(widgets.VBox):
    """Play / pause / step simulated time; ``tick()`` is one tick of play."""

    def __init__(self, cluster, *, speed: int = 1, step_seconds: int = 10,
                 interval: float = TICK_INTERVAL, **kwargs):
        self.cluster = cluster
        self.interval = interval
        self.ticks = 0
        self._task = None
        self.hub = hub(cluster)
        self.time_label = widgets.HTML()
        self.time_label.add_class("kubelearn-clock-time")
        self.play_button = _button("Play", "play", "kubelearn-clock-play",
                                   "Advance simulated time continuously")
        self.pause_button = _button("Pause", "pause", "kubelearn-clock-pause",
                                    "Stop advancing simulated time", disabled=True)
        self.step_button = _button("Step", "step-forward", "kubelearn-clock-step",
                                   "Advance simulated time once by the step seconds")
        self.step_seconds = widgets.BoundedIntText(value=step_seconds, min=1, max=86_400,
                                                   description="step (s)",
                                                   layout=widgets.Layout(width="150px"))
        self.step_seconds.add_class("kubelearn-clock-step-seconds")
        options = sorted(set(SPEEDS) | {int(speed)})
        self.speed = widgets.Dropdown(options=[(f"{s} s/tick", s) for s in options], value=speed,
                                      description="speed", layout=widgets.Layout(width="170px"))
        self.speed.add_class("kubelearn-clock-speed")
        self.message = widgets.HTML()
        self.message.add_class("kubelearn-clock-message")
        self.play_button.on_click(lambda _b: self.play())
        self.pause_button.on_click(lambda _b: self.pause())
        self.step_button.on_click(lambda _b: self.step())
        row = widgets.HBox([self.play_button, self.pause_button, self.step_button,
                            self.step_seconds, self.speed, self.time_label])
        super().__init__([row, self.message], **kwargs)
        self.add_class("kubelearn-clock")
        self.hub.subscribe(self._on_refresh)
        self._show_time()

    # -- state ----------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._task is not None

    def time_text(self) -> str:
        now = self.cluster.clock.now
        return f"t={now:g}s · {rfc3339(now)}"

    def _show_time(self) -> None:
        state = " · playing" if self.playing else ""
        self.time_label.value = (f'<span class="kubelearn-pre">{self.time_text()}{state}</span>')

    def _on_refresh(self, _kinds) -> None:
        self._show_time()

    # -- moving time ----------------------------------------------------------------------
    def _advance(self, seconds: float) -> bool:
        try:
            self.cluster.advance(seconds)
        except Exception as exc:  # noqa: BLE001 - shown in the widget, never a traceback
            self.pause()
            self.message.value = (f'<span class="kubelearn-stderr">simulated time stopped at '
                                  f"t={self.cluster.clock.now:g}s: {_escape(exc)}</span>")
            self.hub.flush(force=True)
            return False
        self.message.value = ""
        self.hub.flush(force=True)
        return True

    def tick(self) -> float:
        """One tick of play: advance by ``speed`` simulated seconds; the new time."""
        self.ticks += 1
        self._advance(self.speed.value)
        return self.cluster.clock.now

    def step(self, seconds: float | None = None) -> float:
        """Advance once by ``seconds`` (default: the step box); the new time."""
        self._advance(self.step_seconds.value if seconds is None else seconds)
        return self.cluster.clock.now

    def play(self) -> None:
        """Tick every ``interval`` wall seconds on the running asyncio loop until ``pause``."""
        if self.playing:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                try:
                    loop = asyncio.get_event_loop()
                except RuntimeError:
                    loop = None
        if loop is None or not loop.is_running():
            self.message.value = ("Play needs a running event loop (a Jupyter kernel has one); "
                                  "use Step or <code>tick()</code> here.")
            return
        self._task = loop.create_task(self._run())
        self.play_button.disabled, self.pause_button.disabled = True, False
        self._show_time()

    def pause(self) -> None:
        task, self._task = self._task, None
        if task is not None and task is not _current_task():
            task.cancel()
        self.play_button.disabled, self.pause_button.disabled = False, True
        self._show_time()

    async def _run(self) -> None:
        try:
            while self._task is not None:
                self.tick()
                await asyncio.sleep(self.interval)
        except asyncio.CancelledError:
            pass

    def close(self) -> None:
        self.pause()
        self.hub.unsubscribe(self._on_refresh)
        super().close()

    def __repr__(self) -> str:
        return f"<ClockControls {self.cluster.name!r}: {self.time_text()}>"


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def _button(text: str, icon: str, css: str, tooltip: str, disabled: bool = False):
    button = widgets.Button(description=text, icon=icon, tooltip=tooltip, disabled=disabled,
                            layout=widgets.Layout(width="90px"))
    button.add_class(css)
    return button


def _escape(exc: Exception) -> str:
    from html import escape

    return escape(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
