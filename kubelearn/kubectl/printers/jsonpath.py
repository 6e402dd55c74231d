"""kubectl's JSONPath templates (client-go ``util/jsonpath``), ported.

``-o jsonpath`` is not standard JSONPath: it is a template language with
literal text, ``{...}`` actions, ``range``/``end``, filters and its own
quirks, and learners copy templates from the web.  To print what kubectl
prints we port the parser and the evaluator instead of using a library:

* several results of one action are joined by a single space; maps and lists
  print as compact JSON, ``null`` for nil, strings and numbers bare;
* a missing key prints nothing (``--allow-missing-template-keys`` is true by
  default); with ``allow_missing_keys=False`` it is ``<key> is not found``;
* ``['a.b']`` is *not* one key: it is split at the dots (use ``a\\.b``);
* filters compare ints with ints and strings with strings only
  (``incompatible types for comparison``).

Go iterates maps in random order (``*``, ``..``); we use sorted key order so
the output is deterministic.  Errors carry kubectl's exact text.
"""

from __future__ import annotations

import re
import unicodedata

from .jsonout import client_view, format_float_v, marshal, to_json


class JSONPathError(Exception):
    """``message`` is what kubectl prints after ``error: `` (minus the final newline)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Byte(int):
    """A byte of a string, as Go's reflect sees it when iterating a string."""


# --- Go fmt helpers --------------------------------------------------------

_QUOTE_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
              "\t": "\\t", "\v": "\\v", '"': '\\"', "\\": "\\\\"}


def go_quote(s: str) -> str:
    """``strconv.Quote`` (also ``%q``)."""
    out = []
    for c in s:
        o = ord(c)
        if c in _QUOTE_ESC:
            out.append(_QUOTE_ESC[c])
        elif c.isprintable():
            out.append(c)
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        else:
            out.append(("\\u%04x" if o < 0x10000 else "\\U%08x") % o)
    return '"' + "".join(out) + '"'


def go_sprint(v) -> str:
    """Go ``%v`` of a decoded JSON value: ``map[a:1 b:[x y]]``, ``<nil>``."""
    if v is None:
        return "<nil>"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, float):
        return format_float_v(v)
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    return str(v)


def go_sharp_v(v) -> str:
    """Go ``%#v`` of a decoded JSON value (``map[string]interface {}{...}``)."""
    if v is None:
        return "interface {}(nil)"
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, dict):
        body = ", ".join(f"{go_quote(k)}:{go_sharp_v(v[k])}" for k in sorted(v))
        return "map[string]interface {}{" + body + "}"
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(x) for x in v) + "}"
    return go_sprint(v)


def _go_type(v) -> str:
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    if v is True or v is False:
        return "bool"
    if isinstance(v, _Byte):
        return "uint8"
    return {int: "int64", float: "float64", str: "string"}.get(type(v), type(v).__name__)


def _sharp_u(r: str) -> str:
    """Go ``%#U``: ``U+007B '{'``."""
    return f"U+{ord(r):04X}" + (f" '{r}'" if r.isprintable() else "")


def _is_digit(r) -> bool:
    return r is not None and unicodedata.category(r) == "Nd"


def _is_alnum(r) -> bool:
    return r is not None and (r == "_" or r.isalpha() or _is_digit(r))


def _is_terminator(r) -> bool:
    return r is None or r in " \t\r\n.,[]$@{}"


# --- parse tree ------------------------------------------------------------

class _Node:
    def __init__(self, kind: str, **fields):
        self.kind = kind
        self.__dict__.update(fields)


def _list() -> _Node:
    return _Node("list", nodes=[])


# --- parser (parser.go) ----------------------------------------------------

class _ParseError(Exception):
    pass


_DICT_KEY = re.compile(r"'([^']*)'")
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)")
_UNQUOTE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\"}


class _Parser:
    """A port of client-go's Parser; each step returns the next step."""

    def __init__(self, text: str):
        self.input, self.pos, self.start, self.width = text, 0, 0, 0
        self.root = _list()
        self.cur = self.root

    def parse(self) -> _Node:
        step = self.parse_text
        while step:
            step = step()
        return self.root

    def next(self):
        if self.pos >= len(self.input):
            self.width = 0
            return None
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def peek(self):
        r = self.next()
        self.pos -= self.width
        return r

    def consume(self) -> str:
        value = self.input[self.start:self.pos]
        self.start = self.pos
        return value

    def parse_text(self):
        i = self.input.find("{", self.pos)
        self.pos = len(self.input) if i < 0 else i
        if self.pos > self.start:
            self.root.nodes.append(_Node("text", text=self.consume()))
        if i < 0:
            return None
        self.pos += 1
        self.consume()
        self.cur = _list()
        self.root.nodes.append(self.cur)
        return self.inside_action

    def inside_action(self):
        rest = self.input[self.pos:]
        if rest.startswith("}"):
            self.pos += 1
            self.consume()
            return self.parse_text
        if rest.startswith("[?("):
            return self.parse_filter
        if rest.startswith(".."):
            return self.parse_recursive
        r = self.next()
        if r is None or r in "\r\n":
            raise _ParseError("unclosed action")
        if r in " @$":
            self.consume()
            return self.inside_action
        if r == "[":
            return self.parse_array
        if r in "\"'":
            self.quote = r
            return self.parse_quote
        if r == ".":
            return self.parse_field
        if r in "+-" or _is_digit(r):
            self.pos -= 1
            return self.parse_number
        if _is_alnum(r):
            self.pos -= 1
            return self.parse_identifier
        raise _ParseError(f"unrecognized character in action: {_sharp_u(r)}")

    def add(self, node: _Node):
        self.cur.nodes.append(node)
        return self.inside_action

    def parse_identifier(self):
        while not _is_terminator(self.next()):
            pass
        self.pos -= self.width
        value = self.consume()
        if value in ("true", "false"):
            return self.add(_Node("bool", value=value == "true"))
        return self.add(_Node("identifier", name=value))

    def parse_recursive(self):
        if self.cur.nodes and self.cur.nodes[-1].kind == "recursive":
            raise _ParseError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        self.cur.nodes.append(_Node("recursive"))
        return self.parse_field if _is_alnum(self.peek()) else self.inside_action

    def parse_number(self):
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            r = self.next()
            if r != "." and not _is_digit(r):
                self.pos -= self.width
                break
        value = self.consume()
        if re.fullmatch(r"[+-]?[0-9]+", value) and abs(int(value)) < 2**63:
            return self.add(_Node("int", value=int(value)))
        if re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", value):
            return self.add(_Node("float", value=float(value)))
        raise _ParseError(f"cannot parse number {value}")

    def parse_field(self):
        self.consume()
        while True:
            r = self.next()
            if r == "\\":
                self.next()
            elif _is_terminator(r):
                self.pos -= self.width
                break
        value = self.consume()
        if value == "*":
            return self.add(_Node("wildcard"))
        return self.add(_Node("field", name=value.replace("\\", "")))

    def parse_quote(self):
        while True:
            r = self.next()
            if r is None or r == "\n":
                raise _ParseError("unterminated quoted string")
            if r == self.quote and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            text = _unquote(value)
        except ValueError:
            raise _ParseError(f"unquote string {value} error invalid syntax") from None
        return self.add(_Node("text", text=text))

    def parse_array(self):
        while True:
            r = self.next()
            if r is None or r == "\n":
                raise _ParseError("unterminated array")
            if r == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            lists = [_parse_action(f"[{p.strip(' ')}]") for p in parts]
            return self.add(_Node("union", lists=lists))
        m = _DICT_KEY.fullmatch(text)
        if m:
            self.cur.nodes.extend(_parse_action("." + m.group(1)).nodes)
            return self.inside_action
        m = _SLICE.fullmatch(text)
        if not m:
            raise _ParseError(f"invalid array index {text}")
        return self.add(_Node("array", params=_slice_params([g or "" for g in m.groups()])))

    def parse_filter(self):
        self.pos += 3
        self.consume()
        begin = end = False
        pair = None
        while True:
            r = self.next()
            if r is None or r == "\n":
                raise _ParseError("unterminated filter")
            if r in ("'", '"'):
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self.next() != "]":
            raise _ParseError("unclosed array expect ]")
        text = self.consume()[:-2]
        m = _FILTER.fullmatch(text)
        if not m:
            return self.add(_Node("filter", left=_parse_action(text), right=_list(), op="exists"))
        left, op, right = m.groups()
        return self.add(_Node("filter", left=_parse_action(left), right=_parse_action(right),
                              op=op))


def _slice_params(groups: list[str]) -> list[list]:
    """[known, value, derived] x3, exactly as parseArray fills ParamsEntry."""
    params = [[False, 0, False] for _ in range(3)]
    for i, raw in enumerate(groups):
        value = raw[1:] if i > 0 and raw else raw
        if raw and not (i > 0 and value == ""):
            if not re.fullmatch(r"[+-]?[0-9]+", value) or abs(int(value)) >= 2**63:
                raise _ParseError(f"array index {value} is not a number")
            params[i][:2] = [True, int(value)]
        elif not raw and i == 1:
            params[1] = [True, params[0][1] + 1, True]
    return params


def _parse_action(text: str) -> _Node:
    """parseAction: parse ``{text}`` and return that action's node list."""
    return _Parser("{" + text + "}").parse().nodes[0]


def _unquote(s: str) -> str:
    """client-go's UnquoteExtend (strconv.Unquote that also takes '...')."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise ValueError(s)
    quote, body = s[0], s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise ValueError(s)
        if c != "\\":
            out.append(c)
            i += 1
            continue
        ch, i = _unquote_escape(body, i + 1, quote)
        out.append(ch)
    return "".join(out)


def _unquote_escape(body: str, i: int, quote: str) -> tuple[str, int]:
    """One backslash escape of strconv.UnquoteChar; ``i`` is just past the backslash."""
    if i >= len(body):
        raise ValueError(body)
    c = body[i]
    if c in _UNQUOTE:
        return _UNQUOTE[c], i + 1
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        digits = body[i + 1:i + 1 + n]
        if len(digits) < n or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            raise ValueError(body)
        v = int(digits, 16)
        if c != "x" and (v > 0x10FFFF or 0xD800 <= v <= 0xDFFF):
            raise ValueError(body)
        return chr(v), i + 1 + n
    if c in "01234567":
        digits = body[i:i + 3]
        if not re.fullmatch(r"[0-7]{3}", digits) or int(digits, 8) > 255:
            raise ValueError(body)
        return chr(int(digits, 8)), i + 3
    if c in "'\"" and c == quote:
        return c, i + 1
    raise ValueError(body)


# --- evaluation (jsonpath.go); every step returns (values, error) like Go ----

def _children(v) -> list:
    """What ``*`` and ``..`` iterate: map values (by key), items, string bytes."""
    if isinstance(v, dict):
        return [v[k] for k in sorted(v)]
    if isinstance(v, list):
        return list(v)
    if isinstance(v, str):
        return [_Byte(b) for b in v.encode()]
    return []


def _kind(v):
    if v is True or v is False:
        return "bool"
    if isinstance(v, _Byte):
        return "uint"
    return {int: "int", float: "float", str: "string"}.get(type(v))


def _check_kinds(a, b) -> str | None:
    if _kind(a) is None or _kind(b) is None:
        return "invalid type for comparison"
    return None


def _equal(a, b):
    err = _check_kinds(a, b)
    if err:
        return False, err
    if _kind(a) != _kind(b):
        if {_kind(a), _kind(b)} == {"int", "uint"}:
            return a == b, None
        return False, "incompatible types for comparison"
    return a == b, None


def _less(a, b):
    err = _check_kinds(a, b)
    if err:
        return False, err
    if _kind(a) != _kind(b):
        if {_kind(a), _kind(b)} == {"int", "uint"}:
            return a < b, None
        return False, "incompatible types for comparison"
    if _kind(a) == "bool":
        return False, "invalid type for comparison"
    return a < b, None


def _compare(op: str, a, b):
    if op == "==":
        return _equal(a, b)
    if op == "!=":
        eq, err = _equal(a, b)
        return not eq, err
    if op in ("<", ">="):
        lt, err = _less(a, b)
        return (lt if op == "<" else not lt and not err), err
    if op in ("<=", ">"):
        lt, err = _less(a, b)
        if not lt and not err:
            lt, err = _equal(a, b)
        return (lt if op == "<=" else not lt and not err), err
    return False, f"unrecognized filter operator {op}"


class _Exec:
    """State of one JSONPath execution (range bookkeeping as in client-go)."""

    def __init__(self, root: _Node, allow_missing_keys: bool):
        self.nodes = root.nodes
        self.allow_missing = allow_missing_keys
        self.begin_range = self.in_range = self.end_range = 0
        self.last_end = None

    def find_results(self, data) -> tuple[list[list], str | None]:
        nodes, cur, full = self.nodes, [data], []
        i = 0
        while i < len(nodes):
            results, err = self.walk(cur, nodes[i])
            if err:
                return [], err
            if 0 < self.end_range <= self.in_range:  # an {end}: leave this block
                self.end_range -= 1
                self.last_end = nodes[i]
                break
            if self.begin_range > 0:  # a {range}: run the rest once per result
                self.begin_range -= 1
                self.in_range += 1
                for value in results or [None]:
                    self.nodes = nodes[i + 1:]
                    inner, err = self.find_results(value)
                    if err:
                        return [], err
                    if results:
                        full += inner
                self.in_range -= 1
                i = next((k for k in range(i + 1, len(nodes)) if nodes[k] is self.last_end), i)
            else:
                full.append(results)
            i += 1
        return full, None

    def walk(self, values: list, node: _Node):
        return getattr(self, "eval_" + node.kind)(values, node)

    def eval_list(self, values, node):
        for child in node.nodes:
            values, err = self.walk(values, child)
            if err:
                return values, err
        return values, None

    def eval_text(self, values, node):
        return [node.text], None

    def eval_int(self, values, node):
        return [node.value] * len(values), None

    eval_float = eval_bool = eval_int

    def eval_identifier(self, values, node):
        if node.name == "range":
            self.begin_range += 1
            return values, None
        if node.name == "end":
            if self.in_range > 0:
                self.end_range += 1
                return [], None
            return [], "not in range, nothing to end"
        return values, f"unrecognized identifier {node.name}"

    def eval_field(self, values, node):
        found = [v[node.name] for v in values if isinstance(v, dict) and node.name in v]
        if values and not found and not self.allow_missing:
            return [], f"{node.name} is not found"
        return found, None

    def eval_wildcard(self, values, node):
        return [c for v in values if v is not None for c in _children(v)], None

    def eval_recursive(self, values, node):
        result = []
        for v in values:
            children = _children(v) if v is not None else []
            if children:
                result.append(v)
                result += self.eval_recursive(children, node)[0]
        return result, None

    def eval_union(self, values, node):
        result = []
        for part in node.lists:
            found, err = self.eval_list(values, part)
            if err:
                return values, err
            result += found
        return result, None

    def eval_array(self, values, node):
        result = []
        for v in values:
            if v is None:
                continue
            if not isinstance(v, list):
                return values, f"{_go_type(v)} is not array or slice"
            n = len(v)
            (k0, start, _), (k1, stop, derived), (k2, step, _) = node.params
            start = start if k0 else 0
            start += n if start < 0 else 0
            stop = stop if k1 else n
            stop += n if stop < 0 or (stop == 0 and derived) else 0
            if start == stop:
                return result, None  # zero elements requested: allowed
            if start >= n or start < 0:
                return values, f"array index out of bounds: index {start}, length {n}"
            if stop > n or stop < 0:
                return values, f"array index out of bounds: index {stop - 1}, length {n}"
            if start > stop:
                return values, f"starting index {start} is greater than ending index {stop}"
            if k2 and step <= 0:
                return values, "step must be > 0"
            result += v[start:stop:step if k2 else 1]
        return result, None

    def eval_filter(self, values, node):
        results = []
        for v in values:
            if not isinstance(v, list):
                return values, f"{go_sprint(v)} is not array or slice and cannot be filtered"
            for item in v:
                lefts, err = self.eval_list([item], node.left)
                if node.op == "exists":
                    results += [item] if lefts else []
                    continue
                if err:
                    return values, err
                if not lefts:
                    continue
                if len(lefts) > 1:
                    return values, "can only compare one element at a time"
                rights, err = self.eval_list([item], node.right)
                if err:
                    return values, err
                if not rights:
                    continue
                if len(rights) > 1:
                    return values, "can only compare one element at a time"
                ok, err = _compare(node.op, lefts[0], rights[0])
                if err:
                    return results, err
                results += [item] if ok else []
        return results, None


# --- output and the public API ---------------------------------------------

def value_text(v) -> str:
    """How kubectl's jsonpath prints one result: JSON for maps/lists, else ``%v``."""
    if isinstance(v, (dict, list)):
        return marshal(v)
    return "null" if v is None else go_sprint(v)


def parse_jsonpath(template: str) -> _Node:
    """Parse a template; raises ``JSONPathError`` with the bare parser message."""
    try:
        return _Parser(template).parse()
    except _ParseError as err:
        raise JSONPathError(str(err)) from None


def find_results(root: _Node, data, allow_missing_keys: bool = True) -> list[list]:
    """client-go ``FindResults``: one list of values per printed result group."""
    groups, err = _Exec(root, allow_missing_keys).find_results(data)
    if err:
        raise JSONPathError(err)
    return groups


def render_jsonpath(template: str, data, allow_missing_keys: bool = True,
                    as_json: bool = False) -> str:
    """``kubectl ... -o jsonpath=<template>`` (``as_json``: ``-o jsonpath-as-json``).

    ``data`` is the object, or the ``List`` for several objects.  Raises
    ``JSONPathError``; print it as ``"error: " + message + "\\n"`` on stderr.
    """
    if not template:
        raise JSONPathError("template format specified but no template given")
    try:
        root = parse_jsonpath(template)
    except JSONPathError as err:
        raise JSONPathError(f"error parsing jsonpath {template}, {err.message}") from None
    data = client_view(data)
    try:
        groups = find_results(root, data, allow_missing_keys)
    except JSONPathError as err:
        raise JSONPathError(_exec_error(template, err.message, data)) from None
    if as_json:
        return "".join(to_json([int(v) if isinstance(v, _Byte) else v for v in g], sort_keys=True)
                       for g in groups)
    return "".join(" ".join(value_text(v) for v in g) for g in groups)


def _exec_error(template: str, message: str, data) -> str:
    return (f"error executing jsonpath {go_quote(template)}: Error executing template: "
            f"{message}. Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(data)}\n\n")
