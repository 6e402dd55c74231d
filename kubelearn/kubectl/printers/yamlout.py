"""YAML exactly as ``kubectl -o yaml`` prints it (sigs.k8s.io/yaml -> go-yaml v2).

kubectl turns an object into JSON, parses that JSON with go-yaml and emits
YAML with go-yaml v2's emitter.  PyYAML's output differs in many small visible
ways, so this is a port of the parts of go-yaml that matter:

* keys in go-yaml's "natural" order (``a1 < a01 < a9 < a10``; symbols before
  letters), also for ``--dry-run=client`` output;
* sequences are not indented under their key (``containers:\\n- image: x``);
* a string is quoted ``"..."`` when plain text would read back as something
  else (``"1"``, ``"true"``, ``"y"``, ``"null"``, ``""``, ``"1:20"``, timestamps),
  quoted ``'...'`` when it starts with an indicator or contains ``: `` or `` #``,
  and written as a ``|`` / ``|-`` / ``|+`` block when it has a newline;
* long plain and quoted strings are folded at column 80, as go-yaml v2 does.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

from .jsonout import client_view, format_float_json, format_float_v

_INDENT = 2
_WIDTH = 80
_BREAKS = "\r\n\x85\u2028\u2029"
PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"


def list_wrapper(items) -> dict:
    """The ``List`` kubectl prints for ``get`` of several objects."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List",
            "metadata": {"resourceVersion": ""}}


def to_yaml(obj, sort_keys: bool = True) -> str:
    """``kubectl -o yaml`` text of a JSON-like object (dicts, lists, scalars).

    ``sort_keys=False`` keeps dict order.  Real kubectl always sorts, even for
    ``--dry-run=client`` (the object goes through JSON and a map first).
    """
    e = _Emitter(sort_keys)
    e.node(client_view(obj))
    e.indent = -1
    e.write_indent()
    return "".join(e.out)


# --- what plain text would resolve to (go-yaml resolve.go) ----------------

_NON_STR = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
            "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
            ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"}
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?")
_GO_INT = re.compile(r"([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_D = r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)"
_T = r"([0-9][0-9]?):([0-9][0-9]?):([0-9][0-9]?)(?:[.,][0-9]+)?"
_TIMESTAMPS = [re.compile(_D + "[Tt]" + _T + r"(?:Z|[+-]([0-9][0-9]):([0-9][0-9]))"),
               re.compile(_D + " " + _T), re.compile(_D)]


def _finite_float(text: str) -> bool:
    return math.isfinite(float(text))


def _go_int(text: str) -> bool:
    """``strconv.ParseInt(text, 0, 64)`` or ``ParseUint`` would succeed."""
    m = _GO_INT.fullmatch(text)
    if not m:
        return False
    sign, body = m.groups()
    bases = {"0x": 16, "0o": 8, "0b": 2}
    if body[:2].lower() in bases:
        value = int(body[2:], bases[body[:2].lower()])
    else:
        value = int(body, 8 if body.startswith("0") else 10)
    if sign == "-":
        return value <= 2**63
    return value <= (2**63 - 1 if sign else 2**64 - 1)


def _binary_int(plain: str) -> bool:
    """go-yaml's extra "0b" branch: ``0b-1`` and ``-0b1`` also read as ints."""
    if plain.startswith("0b"):
        digits = plain[2:]
    elif plain.startswith("-0b"):
        digits = "-" + plain[3:]
    else:
        return False
    m = re.fullmatch(r"([+-]?)([01]+)", digits)
    if not m:
        return False
    value = int(m.group(2), 2)
    return value <= {"-": 2**63, "+": 2**63 - 1}.get(m.group(1), 2**64 - 1)


def _days_in(month: int, year: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def _is_timestamp(s: str) -> bool:
    """go-yaml's parseTimestamp (four Go time layouts, with range checks)."""
    if not re.match(r"[0-9]{4}-", s):
        return False
    for rx in _TIMESTAMPS:
        m = rx.fullmatch(s)
        if m:
            year, month, day, hh, mm, ss, zh, zm = ([int(g or 0) for g in m.groups()] + [0] * 5)[:8]
            return (1 <= month <= 12 and 1 <= day <= _days_in(month, year)
                    and hh < 24 and mm < 60 and ss < 60 and zh <= 24 and zm <= 60)
    return False


def _resolves_to_str(s: str) -> bool:
    """True when go-yaml would read ``s`` back, unquoted, as the same string."""
    c = s[:1]
    if c and c not in "+-0123456789yYnNtTfFoO~.":
        return True
    if s in _NON_STR:
        return False
    if c in "+-0123456789":
        plain = s.replace("_", "")
        numeric = (_go_int(plain) or (_YAML_FLOAT.fullmatch(plain) and _finite_float(plain))
                   or _binary_int(plain))
        return not (_is_timestamp(s) or numeric)
    if c == ".":
        return not (_DOT_FLOAT.fullmatch(s) and _finite_float(s))
    return True


def _can_use_plain(s: str) -> bool:
    base60 = s[:1] in tuple("+-0123456789") and ":" in s and _BASE60.fullmatch(s)
    return _resolves_to_str(s) and not base60


# --- scalar analysis and style (go-yaml emitterc.go) ----------------------

def _printable(c: str) -> bool:
    o = ord(c)
    return (o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF
            or (0xE000 <= o <= 0xFFFD and o != 0xFEFF))


def _indicators(s: str) -> tuple[bool, bool]:
    """(flow_indicators, block_indicators) of yaml_emitter_analyze_scalar."""
    flow = block = s.startswith("---") or s.startswith("...")
    preceded_ws = True
    for i, c in enumerate(s):
        followed_ws = i + 1 >= len(s) or s[i + 1] in " \t"
        if i == 0 and c in "#,[]{}&*!|>'\"%@`":
            flow = block = True
        elif c in "?:" and (i == 0 or c == ":"):
            flow = True
            block = block or followed_ws
        elif i == 0 and c == "-" and followed_ws:
            flow = block = True
        elif i > 0 and c in ",?[]{}":
            flow = True
        elif i > 0 and c == "#" and preceded_ws:
            flow = block = True
        preceded_ws = c in " \t\0" or c in _BREAKS
    return flow, block


def _analyze(s: str) -> dict:
    """Which styles may carry ``s`` (plain, single-quoted, literal block)."""
    if not s:
        return dict(multiline=False, plain=True, single=True, block=False)
    breaks = [i for i, c in enumerate(s) if c in _BREAKS]
    space_break = any(s[i - 1] == " " for i in breaks if i > 0)
    break_space = any(s[i + 1] == " " for i in breaks if i + 1 < len(s))
    special = not all(_printable(c) for c in s)
    edge = s[0] in " " + _BREAKS or s[-1] in " " + _BREAKS
    _flow, block_ind = _indicators(s)
    bad = space_break or special
    return dict(multiline=bool(breaks),
                plain=not (edge or break_space or bad or breaks or block_ind),
                single=not (break_space or bad),
                block=not (s[-1] == " " or bad))


def _style(s: str, simple_key: bool) -> str:
    """yaml_emitter_select_scalar_style for a string go-yaml v2 encodes."""
    wanted = LITERAL if "\n" in s else PLAIN if _can_use_plain(s) else DOUBLE
    a = _analyze(s)
    if simple_key and a["multiline"]:
        return DOUBLE
    if wanted == PLAIN and (not a["plain"] or (not s and simple_key)):
        wanted = SINGLE
    if wanted == SINGLE and not a["single"]:
        wanted = DOUBLE
    if wanted == LITERAL and (not a["block"] or simple_key):
        wanted = DOUBLE
    return wanted


def _scalar_text(v) -> tuple[str, str | None]:
    """(text, fixed style) for non-strings; (text, None) for strings."""
    if v is None:
        return "null", PLAIN
    if v is True or v is False:
        return ("true" if v else "false"), PLAIN
    if isinstance(v, int):
        return str(int(v)), PLAIN
    if isinstance(v, float):
        text = format_float_json(v)  # what the JSON step wrote
        if re.fullmatch(r"-?[0-9]+", text) and -(2**63) <= int(text) < 2**64:
            return text, PLAIN
        return format_float_v(v), PLAIN
    if isinstance(v, str):
        return v, None
    raise TypeError(f"cannot marshal {type(v).__name__} to YAML")


_ESC = {0: "0", 7: "a", 8: "b", 9: "t", 0xA: "n", 0xB: "v", 0xC: "f", 0xD: "r",
        0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P"}


def _escape(c: str) -> str:
    o = ord(c)
    if o in _ESC:
        return "\\" + _ESC[o]
    if o <= 0xFF:
        return "\\x%02X" % o
    return ("\\u%04X" if o <= 0xFFFF else "\\U%08X") % o


# --- key order (go-yaml sorter.go keyList.Less) ----------------------------

def _is_digit(c: str) -> bool:
    return "0" <= c <= "9" or (c > "\x7f" and unicodedata.category(c) == "Nd")


def _wrap64(n: int) -> int:
    return (n + 2**63) % 2**64 - 2**63


def _digits(s: str, i: int, n: int) -> tuple[int, int]:
    while i < len(s) and _is_digit(s[i]):
        n = _wrap64(n * 10 + ord(s[i]) - 48)
        i += 1
    return n, i


def _key_less(a: str, b: str) -> bool:
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return bl
        start = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and _is_digit(a[j]) and a[j] == "0":
                j -= 1
            start = 1 if j >= 0 and _is_digit(a[j]) else 0
        an, ai = _digits(a, i, start)
        bn, bi = _digits(b, i, start)
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _key_cmp(a: str, b: str) -> int:
    return -1 if _key_less(a, b) else 1 if _key_less(b, a) else 0


_KEY = functools.cmp_to_key(_key_cmp)


# --- the emitter (go-yaml emitterc.go, block styles only) ------------------

class _Emitter:
    """Writes events the way yaml_emitter_t does: column, indent and flags."""

    def __init__(self, sort_keys: bool):
        self.out: list[str] = []
        self.sort_keys = sort_keys
        self.column, self.indent, self.indents = 0, -1, []
        self.whitespace = self.indention = True

    def put(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def put_break(self, char: str = "\n") -> None:
        self.out.append(char)
        self.column = 0

    def write_indicator(self, ind: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.put(" ")
        self.put(ind)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if (not self.indention or self.column > indent
                or (self.column == indent and not self.whitespace)):
            self.put_break()
        self.put(" " * (indent - self.column))
        self.whitespace = self.indention = True

    def push_indent(self, flow: bool, indentless: bool = False) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = _INDENT if flow else 0
        elif not indentless:
            self.indent += _INDENT

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    def node(self, v, mapping_ctx: bool = False) -> None:
        if isinstance(v, dict):
            self.mapping(v) if v else self.empty("{", "}")
        elif isinstance(v, (list, tuple)):
            self.sequence(v, mapping_ctx) if v else self.empty("[", "]")
        else:
            self.scalar(v, simple_key=False)

    def empty(self, opener: str, closer: str) -> None:
        self.write_indicator(opener, True, True, False)
        self.write_indicator(closer, False, False, False)

    def mapping(self, d: dict) -> None:
        self.push_indent(flow=False)
        items = sorted(d.items(), key=lambda kv: _KEY(str(kv[0]))) if self.sort_keys else d.items()
        for k, v in items:
            self.write_indent()
            key = str(k)
            if "\n" not in key and not any(c in _BREAKS for c in key) and len(key.encode()) <= 128:
                self.scalar(key, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:  # too long or multi-line: "? key" / ": value"
                self.write_indicator("?", True, False, True)
                self.scalar(key, simple_key=False)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(v, mapping_ctx=True)
        self.pop_indent()

    def sequence(self, items, mapping_ctx: bool) -> None:
        self.push_indent(flow=False, indentless=mapping_ctx and not self.indention)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item)
        self.pop_indent()

    def scalar(self, v, simple_key: bool) -> None:
        text, style = _scalar_text(v)
        style = style or _style(text, simple_key)
        self.push_indent(flow=True)
        if style == LITERAL:
            self.write_literal(text)
        elif style == DOUBLE:
            self.write_double(text, not simple_key)
        else:
            self.write_folded_text(text, not simple_key, quote="'" if style == SINGLE else "")
        self.pop_indent()

    def write_break(self, c: str) -> None:
        self.put_break(c)

    def write_folded_text(self, s: str, allow_breaks: bool, quote: str) -> None:
        """Plain or single-quoted text; a space past column 80 becomes a line break."""
        if quote:
            self.write_indicator(quote, True, False, False)
        elif not self.whitespace:
            self.put(" ")
        spaces = breaks = False
        for i, c in enumerate(s):
            if c == " ":
                inner = i > 0 and i < len(s) - 1 if quote else True
                nxt_space = i + 1 < len(s) and s[i + 1] == " "
                if allow_breaks and not spaces and self.column > _WIDTH and inner and not nxt_space:
                    self.write_indent()
                else:
                    self.put(c)
                spaces = True
            elif c in _BREAKS:
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put("''" if c == "'" and quote else c)
                self.indention = spaces = breaks = False
        if quote:
            self.write_indicator(quote, False, False, False)
        self.whitespace = self.indention = False

    def write_double(self, s: str, allow_breaks: bool) -> None:
        self.write_indicator('"', True, False, False)
        spaces = False
        bom = s[:1] == "\ufeff"  # go-yaml's is_bom() looks at s[0], not s[i]
        for i, c in enumerate(s):
            if bom or not _printable(c) or c in _BREAKS or c in '"\\':
                self.put(_escape(c))
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > _WIDTH and 0 < i < len(s) - 1:
                    self.write_indent()
                    if s[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(c)
                spaces = True
            else:
                self.put(c)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = self.indention = False

    def write_literal(self, s: str) -> None:
        self.write_indicator("|", True, False, False)
        if s[0] == " " or s[0] in _BREAKS:
            self.write_indicator(str(_INDENT), False, False, False)
        if s[-1] not in _BREAKS:
            self.write_indicator("-", False, False, False)
        elif len(s) == 1 or s[-2] in _BREAKS:
            self.write_indicator("+", False, False, False)
        self.put_break()
        self.indention = self.whitespace = True
        breaks = True
        for c in s:
            if c in _BREAKS:
                self.write_break(c)
                self.indention = breaks = True
            else:
                if breaks:
                    self.write_indent()
                    breaks = False
                self.put(c)
                self.indention = False
