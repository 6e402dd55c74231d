"""How ``kubectl describe`` lays text out: a PrefixWriter over one Go tabwriter.

Upstream (``k8s.io/kubectl/pkg/describe/describe.go``, v1.32) builds every
description with ``tabbedString``: one ``text/tabwriter`` (minwidth 0, tabwidth
8, padding 2, padchar ' ', no flags) that the whole description is written
into and that is flushed once at the end (``DescribeEvents`` also flushes
before the events table). Writes go through a ``PrefixWriter`` that indents by
two spaces per level. ``Label:\\tvalue`` lines therefore align in *column
blocks*: runs of consecutive lines that have a cell in the same column. A line
without a tab ("Containers:", an empty line) ends every block, which is why the
values of ``Name:`` ... ``IP:`` of a pod line up with each other but not with
``Controlled By:`` after ``IPs:``. The layout itself is the tabwriter port in
``kubectl.printers.tabwriter`` with describe's settings.

The rest are the small formatting helpers every describer shares, each named
after the upstream function it ports.
"""
from __future__ import annotations

from kubelearn.apiserver.tables import age
from kubelearn.clock import parse_rfc3339, rfc1123z
from kubelearn.kubectl.printers.tabwriter import DESCRIBE_SETTINGS, format_text

LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = range(5)

# What Go prints for a zero metav1.Time formatted as RFC1123Z.
ZERO_TIME_RFC1123Z = "Mon, 01 Jan 0001 00:00:00 +0000"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ANNOTATION_LEN = 140


class PrefixWriter:
    """describe.go's prefixWriter: ``write(level, text)`` indents by two spaces a level.

    Text is collected and laid out by the tabwriter when ``text()`` is called;
    ``flush()`` ends a tabwriter flush unit, as ``w.Flush()`` does upstream.
    """

    def __init__(self) -> None:
        self._units: list[list[str]] = [[]]

    def write(self, level: int, text: str) -> None:
        self._units[-1].append("  " * level + text)

    def write_line(self, *parts: str) -> None:
        """WriteLine: fmt.Sprintln, operands joined by spaces, then a newline."""
        self._units[-1].append(" ".join(parts) + "\n")

    def flush(self) -> None:
        if self._units[-1]:
            self._units.append([])

    def text(self) -> str:
        return "".join(format_text("".join(unit), **DESCRIBE_SETTINGS) for unit in self._units)


# --- values ----------------------------------------------------------------------------------

def time_text(timestamp: str | None) -> str:
    """``t.Format(time.RFC1123Z)``; an unset metav1.Time is Go's zero time."""
    return rfc1123z(parse_rfc3339(timestamp)) if timestamp else ZERO_TIME_RFC1123Z


def since(timestamp: str | None, now: float) -> str:
    """translateTimestampSince."""
    return age(timestamp, now)


def go_bool(value) -> str:
    """``%v`` / ``%t`` of a Go bool."""
    return "true" if value else "false"


def print_bool(value) -> str:
    """describe.go printBool: ``True``/``False``."""
    return "True" if value else "False"


def print_bool_ptr(value) -> str:
    """printBoolPtr: ``<unset>`` for a nil *bool."""
    return "<unset>" if value is None else print_bool(value)


def go_slice(values) -> str:
    """``%v`` of a Go []string: ``[a b]``; nil or empty prints ``[]``."""
    return "[" + " ".join(str(v) for v in values or ()) + "]"


def go_quote(text: str) -> str:
    """``%q`` for the plain strings describe quotes (sub paths)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def string_or_none(text: str) -> str:
    return text or "<none>"


def controlled_by(obj: dict) -> str:
    """printController: ``Kind/name`` of the controller owner reference, if any."""
    for ref in obj["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


# --- multi-line fields -----------------------------------------------------------------------

def print_labels_multiline(w, title: str, labels: dict | None, initial_indent: str = "",
                           inner_indent: str = "\t", skip=()) -> None:
    """printLabelsMultilineWithIndent: ``key=value`` per line, sorted by key, or ``<none>``."""
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    keys = sorted(k for k in (labels or {}) if k not in skip)
    if not keys:
        w.write_line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(LEVEL_0, initial_indent)
            w.write(LEVEL_0, inner_indent)
        w.write(LEVEL_0, f"{key}={labels[key]}\n")


def print_annotations_multiline(w, title: str, annotations: dict | None) -> None:
    """printAnnotationsMultiline: ``key: value`` sorted, last-applied-configuration hidden;
    long (> 140) or multi-line values go on their own lines, cut at 138 with ``...``."""
    w.write(LEVEL_0, f"{title}:\t")
    annotations = annotations or {}
    keys = sorted(k for k in annotations if k != LAST_APPLIED)
    if not keys:
        w.write_line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(LEVEL_0, "\t")
        value = annotations[key]
        value = value[:-1] if value.endswith("\n") else value
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(LEVEL_0, f"{key}:\n")
            for part in value.split("\n"):
                w.write(LEVEL_0, f"\t  {_shorten(part, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(LEVEL_0, f"{key}: {value}\n")


def _shorten(text: str, limit: int) -> str:
    return text[:limit] + "..." if len(text) > limit else text


def print_tolerations_multiline(w, title: str, tolerations: list[dict] | None) -> None:
    """printTolerationsMultilineWithIndent: sorted by key; ``key=value:Effect op=Exists for Ns``."""
    w.write(LEVEL_0, f"{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for i, tol in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(LEVEL_0, "")
            w.write(LEVEL_0, "\t")
        key, value, effect = tol.get("key", ""), tol.get("value", ""), tol.get("effect", "")
        text = key + (f"={value}" if value else "") + (f":{effect}" if effect else "")
        if tol.get("operator") == "Exists" and not value:
            text += " op=Exists" if (key or effect) else "op=Exists"
        if tol.get("tolerationSeconds") is not None:
            text += f" for {tol['tolerationSeconds']}s"
        w.write(LEVEL_0, text + "\n")


def print_events(w, events: list[dict] | None, now: float) -> None:
    """DescribeEvents: ``Events:  <none>`` or the Type/Reason/Age/From/Message table,
    sorted by lastTimestamp (stably, so equal times keep the order they were listed in)."""
    if events is None:
        return
    if not events:
        w.write(LEVEL_0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n")
    for event in sorted(events, key=_last_timestamp):
        first = since(event.get("eventTime"), now) if event.get("eventTime") \
            else since(event.get("firstTimestamp"), now)
        series = event.get("series")
        if series:
            interval = (f"{since(series.get('lastObservedTime'), now)} "
                        f"(x{series.get('count', 0)} over {first})")
        elif (event.get("count") or 0) > 1:
            interval = f"{since(event.get('lastTimestamp'), now)} (x{event['count']} over {first})"
        else:
            interval = first
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        w.write(LEVEL_1, f"{event.get('type', '')}\t{event.get('reason', '')}\t{interval}\t"
                         f"{source}\t{(event.get('message') or '').strip()}\n")


def _last_timestamp(event: dict) -> float:
    stamp = event.get("lastTimestamp")
    return parse_rfc3339(stamp) if stamp else float("-inf")
