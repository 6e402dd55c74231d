"""Ages as kubectl prints them (apimachinery ``pkg/util/duration``).

The AGE column, ``RESTARTS (25s ago)``, event ``LAST SEEN`` and describe's
Events ages all use ``HumanDuration``: about two significant figures, with
odd-looking but exact breakpoints (``119s``, then ``2m``; ``9m59s``, then
``10m``; ``179m``, then ``3h``).  A clock skew of up to one second prints
``0s``; more than that prints ``<invalid>``.  Go works in whole nanoseconds
and truncates, so we do the same with integers instead of floats.
"""

from __future__ import annotations

_NS = 1_000_000_000
_MINUTE = 60 * _NS
_HOUR = 60 * _MINUTE


def _to_ns(seconds) -> int:
    """Seconds (int, float or ``timedelta``) as whole nanoseconds, like time.Duration."""
    if hasattr(seconds, "total_seconds"):
        return (seconds.days * 86400 + seconds.seconds) * _NS + seconds.microseconds * 1000
    if isinstance(seconds, int):
        return seconds * _NS
    return round(seconds * _NS)


def _whole_seconds(ns: int) -> int:
    """Go's ``int(d.Seconds())``: truncation toward zero."""
    return ns // _NS if ns >= 0 else -(-ns // _NS)


def human_duration(seconds) -> str:
    """``duration.HumanDuration``: ``5s``, ``2m3s``, ``10m``, ``3h5m``, ``2d5h``, ``1y30d``."""
    d = _to_ns(seconds)
    s = _whole_seconds(d)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = d // _MINUTE
    if minutes < 10:
        sec = (d // _NS) % 60
        return f"{minutes}m" if sec == 0 else f"{minutes}m{sec}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 8:
        mins = minutes % 60
        return f"{hours}h" if mins == 0 else f"{hours}h{mins}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(seconds) -> str:
    """``duration.ShortHumanDuration``: one unit only (``5s``, ``3m``, ``2h``, ``4d``, ``1y``).

    kubectl's get tables do not use it; some describe fields and tools do.
    """
    d = _to_ns(seconds)
    s = _whole_seconds(d)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 60:
        return f"{s}s"
    if d // _MINUTE < 60:
        return f"{d // _MINUTE}m"
    hours = d // _HOUR
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{d // (_HOUR * 24 * 365)}y"
