"""JSON as kubectl prints it (Go ``encoding/json``), plus Go's number rules.

``kubectl -o json`` is ``json.MarshalIndent(obj, "", "    ")`` followed by a
newline.  Python's ``json.dumps`` differs where a learner can see it: Go escapes
``<``, ``>`` and ``&`` (and U+2028/U+2029) as ``\\u003c``..., writes ``\\b``,
``\\f``, ``\\n``, ``\\r``, ``\\t`` but ``\\u00XX`` (lower-case hex) for other control
characters, keeps every other non-ASCII character, and formats floats the way
JavaScript does (``1e+21``, ``1e-7``, ``1000000``).

The float rules also decide what a number looks like after the round trip
server -> JSON -> kubectl: the API server writes ``float64(3)`` as ``3`` and
kubectl decodes that back as an int64.  ``client_view`` applies that round
trip, so every printer shows ``replicas: 3`` and never ``3.0``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

_INT64 = (-(2**63), 2**63 - 1)
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
            "\r": "\\r", "\t": "\\t", "<": "\\u003c", ">": "\\u003e",
            "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_NEEDS_ESCAPE = re.compile('["\\\\<>&\u2028\u2029\x00-\x1f\ud800-\udfff]')


def to_json(obj, sort_keys: bool = True) -> str:
    """``kubectl -o json``: 4-space indent, Go escaping, trailing newline.

    ``sort_keys=True`` is what kubectl prints for objects read from a server
    (unstructured maps are sorted); ``False`` keeps dict order, which is how
    kubectl prints typed objects built client side (``--dry-run=client``).
    """
    out: list[str] = []
    _encode(obj, out, "    ", "\n", sort_keys)
    return "".join(out) + "\n"


def marshal(obj, sort_keys: bool = True) -> str:
    """Compact ``json.Marshal`` output (no spaces), as jsonpath prints maps."""
    out: list[str] = []
    _encode(obj, out, "", "", sort_keys)
    return "".join(out)


def go_json_string(s: str) -> str:
    """A Go ``encoding/json`` string literal (HTML-safe escaping)."""
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, s) + '"'


def _escape_char(m: re.Match) -> str:
    ch = m.group(0)
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"  # lone surrogate: Go replaces invalid UTF-8
    return "\\u%04x" % ord(ch)


def _encode(v, out: list[str], step: str, nl: str, sort_keys: bool, pad: str = "") -> None:
    colon = ": " if step else ":"
    if isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        inner = pad + step
        items = sorted(v.items()) if sort_keys else v.items()
        out.append("{")
        for i, (k, val) in enumerate(items):
            out.append(("," if i else "") + nl + inner + go_json_string(str(k)) + colon)
            _encode(val, out, step, nl, sort_keys, inner)
        out.append(nl + pad + "}")
    elif isinstance(v, (list, tuple)):
        if not v:
            out.append("[]")
            return
        inner = pad + step
        out.append("[")
        for i, val in enumerate(v):
            out.append(("," if i else "") + nl + inner)
            _encode(val, out, step, nl, sort_keys, inner)
        out.append(nl + pad + "]")
    else:
        out.append(_scalar(v))


def _scalar(v) -> str:
    if v is None:
        return "null"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float):
        return format_float_json(v)
    if isinstance(v, str):
        return go_json_string(v)
    raise TypeError(f"json: unsupported type: {type(v).__name__}")


# --- Go float formatting ---------------------------------------------------

def _shortest(f: float) -> tuple[str, int]:
    """Shortest round-trip digits of abs(f) and the decimal point position."""
    sign, digits, exp = Decimal(repr(abs(f))).as_tuple()
    text = "".join(map(str, digits))
    return text.rstrip("0") or "0", len(digits) + exp


def _fmt_e(digits: str, dp: int, sep_min: int = 2) -> str:
    exp = dp - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return mant + "e" + ("-" if exp < 0 else "+") + str(abs(exp)).zfill(sep_min)


def _fmt_f(digits: str, dp: int) -> str:
    if dp <= 0:
        return "0." + "0" * -dp + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def format_float_v(f: float) -> str:
    """Go ``fmt`` ``%v`` of a float64 (strconv 'g', shortest): ``1e+06``, ``1.5``."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    if f == 0:
        return sign + "0"
    digits, dp = _shortest(f)
    exp = dp - 1
    body = _fmt_e(digits, dp) if exp < -4 or exp >= 6 else _fmt_f(digits, dp)
    return sign + body


def format_float_json(f: float) -> str:
    """Go ``encoding/json`` float64: like ES6, ``1e+21``, ``1e-7``, ``100000``."""
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"json: unsupported value: {format_float_v(f)}")
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    if f == 0:
        return sign + "0"
    digits, dp = _shortest(f)
    if abs(f) < 1e-6 or abs(f) >= 1e21:
        return sign + _fmt_e(digits, dp, sep_min=1)
    return sign + _fmt_f(digits, dp)


def client_number(v):
    """A number as kubectl decodes it from the server's JSON (int64 if integral)."""
    if isinstance(v, float) and not isinstance(v, bool) and math.isfinite(v):
        text = format_float_json(v)
        if re.fullmatch(r"-?[0-9]+", text) and _INT64[0] <= int(text) <= _INT64[1]:
            return int(text)
    return v


def client_view(obj):
    """``obj`` with every float replaced by what the server round trip yields."""
    if isinstance(obj, dict):
        return {k: client_view(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [client_view(v) for v in obj]
    return client_number(obj)
