"""Resource quantities ("500m", "1Gi", "1e3"), parsed and printed as the API server does.

A port of apimachinery ``pkg/api/resource/quantity.go`` (v1.32). Why it matters:
learners write ``cpu: 0.5`` or ``memory: 1024Mi`` and then read ``kubectl get -o
yaml``; a real API server stores and shows ``500m`` and ``1Gi``. Three rules
from upstream decide what they see:

* A value is exact (never a float) and rounded *up* to a whole nano-unit.
* The *format* comes from the suffix as written: ``DecimalSI`` (``m``, ``k``,
  ``M``, ...), ``BinarySI`` (``Ki``, ``Mi``, ...) or ``DecimalExponent`` (``e3``).
* ``str()`` keeps the text as written when it is already canonical ("100m",
  "1Mi", "+1") and otherwise prints the canonical form ("1000m" -> "1",
  "0.5" -> "500m", "1024Mi" -> "1Gi", "1000" -> "1k", "1.5Gi" -> "1536Mi").

Internally a quantity is an integer count of nano-units (value x 10^9), so
comparing and adding are plain integer operations.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import total_ordering

SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT = "DecimalSI", "BinarySI", "DecimalExponent"

_DEC_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12,
                 "P": 15, "E": 18}
_BIN_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {e: s for s, e in _DEC_SUFFIXES.items()}
_BIN_BY_EXP = {e: s for s, e in _BIN_SUFFIXES.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_NANO = 10 ** 9
_INT64_MAX = 2 ** 63 - 1
_MAX_INT64_FACTORS = 18


class QuantityParseError(ValueError):
    """A quantity string upstream would refuse; ``str()`` is the upstream message."""


def _scan(text: str) -> tuple[bool, str, str, str]:
    """parseQuantityString: split into sign, numerator, denominator and suffix."""
    pos, end, positive = 0, len(text), True
    if end and text[0] in "+-":
        positive, pos = text[0] != "-", 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "", ""
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num, denom = text[start:pos] or "0", ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise QuantityParseError(ERR_FORMAT_WRONG)
    return positive, num, denom, text[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str]:
    """suffixHandler.interpret: (base, exponent, format) for a suffix."""
    if suffix in _DEC_SUFFIXES:
        return 10, _DEC_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BIN_SUFFIXES:
        return 2, _BIN_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        try:
            return 10, int(suffix[1:]), DECIMAL_EXPONENT
        except ValueError:
            pass
    raise QuantityParseError(ERR_SUFFIX)


def _keeps_text(num: str, denom: str, base: int, exponent: int) -> bool | None:
    """Which ParseQuantity path runs: True/False = int64 path (text kept or not), None = inf.Dec."""
    shifted = num + denom
    if base == 10:
        scale = exponent - len(denom)
        if _MAX_INT64_FACTORS - len(shifted) < 0 or scale < -9:
            return None
        return scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
    if exponent < 0 or denom or 15 - len(num) - (exponent * 3 // 10) - 1 < 0:
        return None
    if int(num) << exponent > _INT64_MAX:
        return None
    return int(num) & 7 != 0


def _round_away(value: Fraction) -> int:
    """Round to an integer away from zero (inf.RoundUp / negativeScaleInt64)."""
    whole = -((-abs(value.numerator)) // value.denominator)
    return whole if value >= 0 else -whole


def _parse(text: str) -> Quantity:
    """ParseQuantity."""
    if not text:
        raise QuantityParseError(ERR_FORMAT_WRONG)
    if text == "0":
        return Quantity(0, DECIMAL_SI, "0")
    positive, num, denom, suffix = _scan(text)
    base, exponent, fmt = _interpret(suffix)
    keep = _keeps_text(num, denom, base, exponent)
    value = Fraction(int(num + denom), 10 ** len(denom)) * Fraction(base) ** exponent
    nanos = _round_away(value * _NANO)
    if keep is None and fmt == BINARY_SI:
        nanos = min(nanos, _INT64_MAX * _NANO)
        if 0 < nanos < _NANO:
            fmt = DECIMAL_SI
    return Quantity(nanos if positive else -nanos, fmt, text if keep else None)


def _strip_factors(value: int, base: int) -> tuple[int, int]:
    """removeInt64Factors: divide out ``base`` while it divides evenly."""
    times, mag = 0, abs(value)
    while mag >= base and mag % base == 0:
        mag //= base
        times += 1
    return (mag if value >= 0 else -mag), times


def _decimal_text(nanos: int, fmt: str) -> str:
    """AsCanonicalBytes + suffix: mantissa with an exponent that is a multiple of 3."""
    mantissa, times = _strip_factors(nanos, 10)
    exponent = times - 9
    while exponent % 3:
        mantissa, exponent = mantissa * 10, exponent - 1
    if fmt == DECIMAL_SI and exponent in _DEC_BY_EXP:
        return f"{mantissa}{_DEC_BY_EXP[exponent]}"
    # DecimalExponent, or DecimalSI beyond "E" (upstream >=1.33 falls back to "e").
    return f"{mantissa}e{exponent}" if exponent else str(mantissa)


def _canonical(nanos: int, fmt: str) -> str:
    """CanonicalizeBytes."""
    if nanos == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 * _NANO < nanos < 1024 * _NANO or nanos % _NANO:
            fmt = DECIMAL_SI
        else:
            mantissa, times = _strip_factors(nanos // _NANO, 1024)
            return f"{mantissa}{_BIN_BY_EXP.get(times * 10, '')}"
    if fmt not in (DECIMAL_SI, DECIMAL_EXPONENT):
        fmt = DECIMAL_EXPONENT
    return _decimal_text(nanos, fmt)


@total_ordering
class Quantity:
    """An exact resource amount; compare, add and print it like ``resource.Quantity``."""

    __slots__ = ("nanos", "format", "_text")

    def __init__(self, nanos: int, format: str = DECIMAL_SI, text: str | None = None):
        self.nanos = nanos
        self.format = format
        self._text = text

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """Parse ``text`` exactly as ``resource.ParseQuantity`` (no whitespace trimming)."""
        return _parse(text)

    @classmethod
    def from_milli(cls, milli: int, format: str = DECIMAL_SI) -> Quantity:
        """NewMilliQuantity: ``from_milli(1500)`` prints ``1500m``."""
        return cls(milli * 10 ** 6, format)

    @classmethod
    def from_int(cls, value: int, format: str = DECIMAL_SI) -> Quantity:
        """NewQuantity: ``from_int(2**30, BINARY_SI)`` prints ``1Gi``."""
        return cls(value * _NANO, format)

    def __str__(self) -> str:
        return self._text if self._text is not None else _canonical(self.nanos, self.format)

    def canonical(self) -> str:
        """The canonical form, ignoring the text the quantity was parsed from."""
        return _canonical(self.nanos, self.format)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return self.nanos == other.nanos if isinstance(other, Quantity) else NotImplemented

    def __lt__(self, other: Quantity) -> bool:
        return self.nanos < other.nanos if isinstance(other, Quantity) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.nanos)

    def __add__(self, other: Quantity) -> Quantity:
        """Quantity.Add: keeps this format, unless this one is zero."""
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.nanos + other.nanos, other.format if not self.nanos else self.format)

    def __sub__(self, other: Quantity) -> Quantity:
        """Quantity.Sub: keeps this format, unless this one is zero."""
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.nanos - other.nanos, other.format if not self.nanos else self.format)

    def __neg__(self) -> Quantity:
        return Quantity(-self.nanos, self.format)

    def __bool__(self) -> bool:
        return self.nanos != 0

    def is_zero(self) -> bool:
        return self.nanos == 0

    def sign(self) -> int:
        return (self.nanos > 0) - (self.nanos < 0)

    def to_milli(self) -> int:
        """MilliValue: whole thousandths, rounded up (``"0.1m"`` -> 1, ``"1"`` -> 1000)."""
        return _round_away(Fraction(self.nanos, 10 ** 6))

    def to_int(self) -> int:
        """Value: whole units, rounded up (``"1Gi"`` -> 1073741824, ``"500m"`` -> 1)."""
        return _round_away(Fraction(self.nanos, _NANO))

    def to_float(self) -> float:
        """AsApproximateFloat64, for display arithmetic such as percentages."""
        return self.nanos / _NANO


def parse_quantity(value: str | int | float | Quantity) -> Quantity:
    """A Quantity from a manifest value: strings as written, numbers as YAML/JSON spell them."""
    if isinstance(value, Quantity):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise QuantityParseError(ERR_FORMAT_WRONG)
    return _parse(value if isinstance(value, str) else _json_number(value))


def _json_number(value: int | float) -> str:
    """How the number reaches the server as JSON text (Go encoding/json float rules)."""
    if isinstance(value, int) or value == 0:
        return str(int(value))
    if 1e-6 <= abs(value) < 1e21:
        return format(Decimal(repr(value)).normalize(), "f")
    mantissa, exponent = f"{value!r}".replace("E", "e").split("e")
    return f"{mantissa}e{int(exponent):+d}"


def quantity_from_json(value: str | int | float | None) -> Quantity | None:
    """Quantity.UnmarshalJSON: ``null`` stays None, strings are whitespace-trimmed first."""
    if value is None:
        return None
    return parse_quantity(value.strip() if isinstance(value, str) else value)


def to_milli(value: str | int | float | Quantity) -> int:
    """Milli-units of a quantity: ``to_milli("250m") == 250``, ``to_milli("1") == 1000``."""
    return parse_quantity(value).to_milli()


def to_int(value: str | int | float | Quantity) -> int:
    """Whole units (bytes for memory): ``to_int("1Ki") == 1024``."""
    return parse_quantity(value).to_int()


def format_quantity(value: str | int | float | Quantity) -> str:
    """What ``kubectl get -o yaml`` shows for a stored quantity."""
    return str(parse_quantity(value))
