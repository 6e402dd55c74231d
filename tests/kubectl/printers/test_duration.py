"""HumanDuration / ShortHumanDuration breakpoints (reference §1.2, apimachinery duration.go)."""

from datetime import timedelta

import pytest

from kubelearn.kubectl.printers.duration import human_duration, short_human_duration

M, H, D = 60, 3600, 86400


@pytest.mark.parametrize("seconds, text", [
    (0, "0s"), (5, "5s"), (119, "119s"), (119.99, "119s"), (120, "2m"), (123, "2m3s"),
    (9 * M + 59, "9m59s"), (10 * M, "10m"), (10 * M + 59, "10m"), (179 * M + 59, "179m"),
    (3 * H, "3h"), (3 * H + 5 * M, "3h5m"), (7 * H + 59 * M + 59, "7h59m"), (8 * H, "8h"),
    (47 * H + 59 * M, "47h"), (2 * D, "2d"), (2 * D + 5 * H, "2d5h"), (7 * D + 23 * H, "7d23h"),
    (8 * D, "8d"), (729 * D + 23 * H, "729d"), (730 * D, "2y"), (731 * D, "2y1d"),
    (2919 * D, "7y364d"), (2920 * D, "8y"), (3650 * D, "10y"),
])
def test_human_duration(seconds, text):
    assert human_duration(seconds) == text


@pytest.mark.parametrize("seconds, text", [
    (-0.5, "0s"), (-1, "0s"), (-1.9, "0s"), (-2, "<invalid>"), (-3600, "<invalid>"),
])
def test_clock_skew(seconds, text):
    assert human_duration(seconds) == text
    assert short_human_duration(seconds) == text


@pytest.mark.parametrize("seconds, text", [
    (59, "59s"), (60, "1m"), (3599, "59m"), (3600, "1h"), (D - 1, "23h"), (D, "1d"),
    (364 * D, "364d"), (365 * D, "1y"), (3 * 365 * D + 100, "3y"),
])
def test_short_human_duration(seconds, text):
    assert short_human_duration(seconds) == text


def test_timedelta_is_accepted():
    assert human_duration(timedelta(minutes=2, seconds=3)) == "2m3s"
    assert human_duration(timedelta(seconds=-2)) == "<invalid>"
    assert short_human_duration(timedelta(hours=30)) == "1d"
