"""Clock controls: tick, step, play on a running loop, pause, the time label."""
from __future__ import annotations

import asyncio

from kubelearn.widgets import ClockControls


def test_label_shows_simulated_time(minikube):
    clock = ClockControls(minikube)
    now = minikube.clock.now
    assert f"t={now:g}s" in clock.time_label.value
    assert "2025-06-02T09:01:00Z" in clock.time_label.value        # 60 s after the epoch
    assert "kubelearn-clock-time" in clock.time_label._dom_classes
    assert repr(clock) == "<ClockControls 'minikube': t=60s · 2025-06-02T09:01:00Z>"


def test_tick_advances_by_speed(minikube):
    clock = ClockControls(minikube, speed=5)
    start = minikube.clock.now
    assert clock.tick() == start + 5
    clock.speed.value = 30
    assert clock.tick() == start + 35
    assert clock.ticks == 2
    assert f"t={start + 35:g}s" in clock.time_label.value


def test_step_button_advances_by_step_seconds(minikube):
    clock = ClockControls(minikube, step_seconds=10)
    start = minikube.clock.now
    clock.step_button.click()
    assert minikube.clock.now == start + 10
    clock.step_seconds.value = 45
    clock.step_button.click()
    assert minikube.clock.now == start + 55


def test_label_follows_time_moved_elsewhere(minikube):
    from kubelearn.widgets.refresh import hub

    clock = ClockControls(minikube)
    minikube.advance(100)
    hub(minikube).flush()                 # what the kernel does after the cell
    assert f"t={minikube.clock.now:g}s" in clock.time_label.value


def test_same_ticks_same_cluster():
    """Wall time only paces play: N ticks give the same state on any machine."""
    from kubelearn import Cluster

    outputs = []
    for _ in range(2):
        c = Cluster.minikube()
        c.kubectl("create deployment web --image=nginx --replicas=3")
        clock = ClockControls(c, speed=2)
        for _ in range(7):
            clock.tick()
        outputs.append(c.kubectl("get pods -o wide").stdout)
    assert outputs[0] == outputs[1]


def test_play_without_a_running_loop_explains(minikube):
    clock = ClockControls(minikube)
    clock.play_button.click()
    assert not clock.playing
    assert "Step" in clock.message.value


def test_play_ticks_on_the_running_loop_until_pause(minikube):
    start = minikube.clock.now

    async def session():
        clock = ClockControls(minikube, speed=5, interval=0.001)
        clock.play_button.click()
        assert clock.playing
        assert clock.play_button.disabled and not clock.pause_button.disabled
        assert "playing" in clock.time_label.value
        for _ in range(5000):        # wall time only paces play: wait as long as it takes
            await asyncio.sleep(0.001)
            if clock.ticks >= 3:
                break
        clock.pause_button.click()
        ticks = clock.ticks
        await asyncio.sleep(0.01)
        return clock, ticks

    clock, ticks = asyncio.run(session())
    assert not clock.playing
    assert clock.ticks == ticks >= 3              # no tick after pause
    assert minikube.clock.now == start + 5 * ticks


def test_an_error_while_advancing_pauses_and_is_shown(minikube, monkeypatch):
    clock = ClockControls(minikube)

    def broken(seconds):
        raise RuntimeError("controllers did not settle: more than 200000 reconciles")

    monkeypatch.setattr(minikube, "advance", broken)
    clock.tick()
    assert "controllers did not settle" in clock.message.value
    assert not clock.playing
