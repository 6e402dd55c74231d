"""Label selectors: the ``-l`` grammar, LabelSelector objects, matching and printing.

A port of apimachinery ``pkg/labels/selector.go`` (lexer, parser, Requirement,
String) and ``LabelSelectorAsSelector`` from ``pkg/apis/meta/v1/helpers.go``
(v1.32). Learners type selectors and read them back in ``kubectl describe``,
so both the parse errors and the printed form are upstream's, word for word:

    >>> str(parse_selector("tier in (frontend,backend), app = web"))
    'app=web,tier in (backend,frontend)'

A parse error's ``str()`` is what ``labels.Parse`` returns. The API server
answers a bad ``?labelSelector=`` with 400 BadRequest carrying that text, and
kubectl (cli-runtime ``resource/selector.go``) prints, e.g. for ``kubectl get
pods -l 'a in b'``::

    Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match
    label selector "a in b", field selector "": unable to parse requirement: found 'b' expected: '('

(one line; ``"apps/v1, Resource=deployments"`` for other groups). Wrapping it
that way is the kubectl layer's job.

Matching is hot (controllers list pods by selector on every reconcile), so each
selector precompiles its requirements into tuples and frozensets: ``matches``
runs no regex and no validation. ``index_terms`` tells a label index which
postings a match must appear in.
"""
from __future__ import annotations

from dataclasses import dataclass

from kubelearn.api.validation import (FieldError, aggregate_message, go_quote, go_repr, invalid,
                                      is_qualified_name, is_valid_label_value, not_supported)

# selection.Operator values, as upstream spells them.
EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "=", "==", "!="
IN, NOT_IN, EXISTS, DOES_NOT_EXIST = "in", "notin", "exists", "!"
GREATER_THAN, LESS_THAN = "gt", "lt"
_BINARY = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
_ALL_OPERATORS = _BINARY + (EXISTS, DOES_NOT_EXIST)
_SHOWN = {EQUALS: "=", DOUBLE_EQUALS: "==", NOT_EQUALS: "!=", IN: " in ", NOT_IN: " notin ",
          GREATER_THAN: ">", LESS_THAN: "<"}
_LABEL_SELECTOR_OPS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


class SelectorError(ValueError):
    """A selector upstream refuses; ``str()`` is upstream's error text."""


class SelectorParseError(SelectorError):
    """``labels.Parse`` failed; kubectl shows the text inside a BadRequest (see module doc)."""


def _key_error(key: str, path: str) -> FieldError | None:
    """validateLabelKey: all IsQualifiedName messages in one error, joined by '; '."""
    msgs = is_qualified_name(key)
    return invalid(path, key, "; ".join(msgs)) if msgs else None


@dataclass(frozen=True)
class Requirement:
    """One ``key op values`` term; build it with ``Requirement.new`` to validate it."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    @classmethod
    def new(cls, key: str, operator: str, values=(), path: str = "") -> Requirement:
        """NewRequirement: validates key, operator/values shape and each value."""
        values = tuple(values)
        errs = _requirement_errors(key, operator, values, path)
        if errs:
            raise SelectorError(aggregate_message(errs))
        return cls(key, operator, values)

    def matches(self, labels: dict) -> bool:
        """Requirement.Matches (``!=`` and ``notin`` also match when the key is absent)."""
        return _match_one(self.key, self.operator, frozenset(self.values), labels or {})

    def __str__(self) -> str:
        """Requirement.String: ``app=web``, ``tier in (a,b)`` (values sorted), ``!legacy``."""
        if self.operator in (EXISTS, DOES_NOT_EXIST):
            return ("!" if self.operator == DOES_NOT_EXIST else "") + self.key
        values = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if self.operator in (IN, NOT_IN):
            values = f"({values})"
        return f"{self.key}{_SHOWN[self.operator]}{values}"


_EMPTY_SET = "for 'in', 'notin' operators, values set can't be empty"
_ONE_VALUE = "exact-match compatibility requires one single value"
_NO_VALUES = "values set must be empty for exists and does not exist"
_GT_LT_ONE = "for 'Gt', 'Lt' operators, exactly one value is required"
_GT_LT_INT = "for 'Gt', 'Lt' operators, the value must be an integer"


def _requirement_errors(key, operator, values, path) -> list[FieldError]:
    """The checks of NewRequirement, in upstream order, with upstream field paths."""
    prefix = f"{path}." if path else ""
    errs = [e for e in [_key_error(key, prefix + "key")] if e]
    vpath = prefix + "values"
    if operator in (IN, NOT_IN) and not values:
        errs.append(invalid(vpath, _go_slice(values), _EMPTY_SET))
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS) and len(values) != 1:
        errs.append(invalid(vpath, _go_slice(values), _ONE_VALUE))
    elif operator in (EXISTS, DOES_NOT_EXIST) and values:
        errs.append(invalid(vpath, _go_slice(values), _NO_VALUES))
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(values) != 1:
            errs.append(invalid(vpath, _go_slice(values), _GT_LT_ONE))
        errs += [invalid(f"{vpath}[{i}]", v, _GT_LT_INT)
                 for i, v in enumerate(values) if not _is_int64(v)]
    elif operator not in _ALL_OPERATORS:
        errs.append(not_supported(prefix + "operator", operator, _ALL_OPERATORS))
    for i, value in enumerate(values):
        msgs = is_valid_label_value(value)
        if msgs:
            errs.append(invalid(f"{vpath}[{i}][{key}]", value, "; ".join(msgs)))
    return errs


def _go_slice(values: tuple) -> object:
    """``%#v`` of the values; none at all is a nil slice (``append([]string(nil), ...)``)."""
    return go_repr(list(values) or None, "[]string")


def _is_int64(text: str) -> bool:
    """strconv.ParseInt(text, 10, 64) succeeds."""
    body = text[1:] if text[:1] in "+-" else text
    return body.isascii() and body.isdigit() and -2 ** 63 <= int(text) < 2 ** 63


def _match_one(key: str, op: str, values: frozenset, labels: dict) -> bool:
    """Requirement.Matches on precompiled values."""
    if op in (IN, EQUALS, DOUBLE_EQUALS):
        return key in labels and labels[key] in values
    if op in (NOT_IN, NOT_EQUALS):
        return key not in labels or labels[key] not in values
    if op == EXISTS:
        return key in labels
    if op == DOES_NOT_EXIST:
        return key not in labels
    if op in (GREATER_THAN, LESS_THAN) and key in labels and _is_int64(labels[key]):
        if len(values) != 1 or not all(_is_int64(v) for v in values):
            return False
        have, want = int(labels[key]), int(next(iter(values)))
        return have > want if op == GREATER_THAN else have < want
    return False


# --- the -l grammar: Lexer and Parser of selector.go ------------------------------------------

(_ERROR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN) = range(14)
_STRING2TOKEN = {")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN,
                 "<": _LT, "!=": _NEQ, "notin": _NOTIN, "(": _OPEN}
_TOKEN2OP = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GREATER_THAN, _LT: LESS_THAN,
             _NOTIN: NOT_IN, _NEQ: NOT_EQUALS}
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")


def _lex(text: str) -> list[tuple[int, str]]:
    """Lexer.Lex until end of string (a NUL also ends it, as Go reads 0 for "no more")."""
    items, pos, end = [], 0, len(text)
    while True:
        while pos < end and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= end or text[pos] == "\0":
            items.append((_EOS, ""))
            return items
        scan = _scan_special if text[pos] in _SPECIAL else _scan_identifier
        tok, lit, pos = scan(text, pos)
        items.append((tok, lit))


def _scan_special(text: str, pos: int) -> tuple[int, str, int]:
    """scanSpecialSymbol: the longest operator made of special characters (``!=``, ``==``)."""
    buf, last = "", None
    while pos < len(text) and text[pos] in _SPECIAL:
        buf, pos = buf + text[pos], pos + 1
        if buf in _STRING2TOKEN:
            last = (_STRING2TOKEN[buf], buf)
        elif last is not None:
            pos -= 1
            break
    if pos < len(text) and text[pos] == "\0":
        pos += 1
    return (*last, pos) if last else (_ERROR, f"error expected: keyword found '{buf}'", pos)


def _scan_identifier(text: str, pos: int) -> tuple[int, str, int]:
    """scanIDOrKeyword: up to whitespace or a special character; ``in``/``notin`` are keywords."""
    start = pos
    while pos < len(text) and text[pos] not in _SPECIAL and text[pos] not in _WHITESPACE \
            and text[pos] != "\0":
        pos += 1
    lit = text[start:pos]
    if pos < len(text) and text[pos] == "\0":
        pos += 1
    return _STRING2TOKEN.get(lit, _ID), lit, pos


class _Parser:
    """Parser of selector.go; ``values=True`` is its ``Values`` context (``in`` is a value)."""

    def __init__(self, text: str, path: str | None):
        self.items, self.pos, self.path = _lex(text), 0, path

    def peek(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        return (_ID if values and tok in (_IN, _NOTIN) else tok), lit

    def take(self, values: bool = True) -> tuple[int, str]:
        item = self.peek(values)
        self.pos += 1
        return item

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.peek()
            if tok == _EOS:
                return reqs
            if tok not in (_ID, _NOT):
                raise SelectorParseError(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                reqs.append(self.requirement())
            except SelectorError as err:
                raise SelectorParseError(f"unable to parse requirement: {err}") from None
            tok, lit = self.take()
            if tok == _EOS:
                return reqs
            if tok != _COMMA:
                raise SelectorParseError(f"found '{lit}', expected: ',' or 'end of string'")
            tok, lit = self.peek()
            if tok not in (_ID, _NOT):
                raise SelectorParseError(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        key, op = self.key_and_operator()
        if op not in (EXISTS, DOES_NOT_EXIST):
            tok, lit = self.take(values=False)
            op = _TOKEN2OP.get(tok)
            if op is None:
                raise SelectorError(f"found '{lit}', expected: {', '.join(_BINARY)}")
        values = () if op in (EXISTS, DOES_NOT_EXIST) else \
            self.value_set() if op in (IN, NOT_IN) else self.exact_value()
        return Requirement.new(key, op, sorted(values), self.path or "")

    def key_and_operator(self) -> tuple[str, str]:
        """parseKeyAndInferOperator: ``!key`` or ``key`` alone, else an operator follows."""
        op, (tok, lit) = "", self.take()
        if tok == _NOT:
            op, (tok, lit) = DOES_NOT_EXIST, self.take()
        if tok != _ID:
            raise SelectorError(f"found '{lit}', expected: identifier")
        err = _key_error(lit, self.path or "<nil>")
        if err:
            raise SelectorError(str(err))
        if self.peek()[0] in (_EOS, _COMMA) and op != DOES_NOT_EXIST:
            op = EXISTS
        return lit, op

    def value_set(self) -> set[str]:
        """parseValues: ``(a,b)``; ``()`` means the empty value."""
        tok, lit = self.take()
        if tok != _OPEN:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.peek()
        if tok == _CLOSE:
            self.take()
            return {""}
        if tok not in (_ID, _COMMA):
            raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")
        values = self.identifiers()
        if self.take()[0] != _CLOSE:
            raise SelectorError(f"found '{lit}', expected: ')'")
        return values

    def identifiers(self) -> set[str]:
        """parseIdentifiersList: comma-separated, possibly empty, identifiers."""
        values: set[str] = set()
        while True:
            tok, lit = self.take()
            if tok == _ID:
                values.add(lit)
                tok, lit = self.peek()
                if tok == _CLOSE:
                    return values
                if tok != _COMMA:
                    raise SelectorError(f"found '{lit}', expected: ',' or ')'")
            elif tok == _COMMA:
                values.add("") if not values else None
                tok, _ = self.peek()
                if tok == _CLOSE:
                    values.add("")
                    return values
                if tok == _COMMA:
                    self.take()
                    values.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        """parseExactValue: ``a=`` means the empty value."""
        if self.peek()[0] in (_EOS, _COMMA):
            return {""}
        tok, lit = self.take()
        if tok != _ID:
            raise SelectorError(f"found '{lit}', expected: identifier")
        return {lit}


def parse_selector(text: str, path: str | None = None) -> Selector:
    """labels.Parse: the ``-l`` / ``?labelSelector=`` syntax; raises SelectorParseError."""
    return Selector(_Parser(text, path).parse())


class Selector:
    """An AND of requirements, sorted by key as upstream sorts them.

    ``Selector()`` (no requirements) matches everything; ``Selector.nothing()``
    (a nil LabelSelector) matches nothing.
    """

    __slots__ = ("requirements", "_compiled", "_nothing")

    def __init__(self, requirements=(), *, nothing: bool = False):
        reqs = sorted(requirements, key=lambda r: r.key)  # stable, like Go's for short lists
        self.requirements: tuple[Requirement, ...] = tuple(reqs)
        self._compiled = tuple((r.key, r.operator, frozenset(r.values)) for r in reqs)
        self._nothing = nothing

    @classmethod
    def nothing(cls) -> Selector:
        return cls(nothing=True)

    @property
    def empty(self) -> bool:
        """Empty(): no requirements, so it selects everything (False for ``nothing()``)."""
        return not self.requirements and not self._nothing

    @property
    def matches_nothing(self) -> bool:
        return self._nothing

    def matches(self, labels: dict | None) -> bool:
        """Do these labels satisfy every requirement?"""
        if self._nothing:
            return False
        labels = labels or {}
        for key, op, values in self._compiled:
            if op in (IN, EQUALS, DOUBLE_EQUALS):
                if labels.get(key) not in values:  # values hold only strings, never None
                    return False
            elif not _match_one(key, op, values, labels):
                return False
        return True

    def add(self, *requirements: Requirement) -> Selector:
        """Add: a new selector with these requirements as well."""
        return Selector(self.requirements + requirements, nothing=self._nothing)

    def index_terms(self) -> list[tuple[str, str | None]]:
        """Postings every match must appear in: ``(key, value)`` for ``=``/``==``/one-value ``in``,
        ``(key, None)`` for keys that must merely exist (``exists``, ``in`` with several
        values, ``gt``/``lt``). Negative requirements give no term. Intersecting the
        postings narrows the candidates; ``matches`` still decides. No terms means scan.
        """
        terms: list[tuple[str, str | None]] = []
        for key, op, values in self._compiled:
            if op in (EQUALS, DOUBLE_EQUALS, IN) and len(values) == 1:
                terms.append((key, next(iter(values))))
            elif op in (IN, EXISTS, GREATER_THAN, LESS_THAN):
                terms.append((key, None))
        return terms

    def index_exact(self) -> bool:
        """True when the intersection of the ``index_terms`` postings is exactly the
        set of matches (only ``=``, ``==``, one-value ``in`` and ``exists``), so a
        store need not call ``matches`` on each candidate."""
        return bool(self._compiled) and all(
            (op in (EQUALS, DOUBLE_EQUALS, IN) and len(values) == 1) or op == EXISTS
            for _, op, values in self._compiled)

    def requires_exact_match(self, key: str) -> str | None:
        """RequiresExactMatch: the one value ``key`` must have, if the first term on it fixes one."""
        for req in self.requirements:
            if req.key == key:
                single = req.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(req.values) == 1
                return req.values[0] if single else None
        return None

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return "Selector.nothing()" if self._nothing else f"Selector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selector):
            return NotImplemented
        return (self.requirements, self._nothing) == (other.requirements, other._nothing)

    def __hash__(self) -> int:
        return hash((self.requirements, self._nothing))


def selector_from_set(labels: dict | None) -> Selector:
    """SelectorFromSet: ``key=value`` for each entry; an empty or missing map selects everything.

    A Service with an empty selector must select *no* pods; that rule belongs to
    the endpoints controller, which should skip such Services before calling this.
    """
    return Selector(Requirement(k, EQUALS, (v,)) for k, v in (labels or {}).items())


def selector_from_label_selector(obj: dict | None) -> Selector:
    """LabelSelectorAsSelector: None selects nothing, ``{}`` everything; raises SelectorError."""
    if obj is None:
        return Selector.nothing()
    match_labels = obj.get("matchLabels") or {}
    exprs = obj.get("matchExpressions") or []
    reqs = [Requirement.new(k, EQUALS, (match_labels[k],)) for k in sorted(match_labels)]
    for expr in exprs:
        op = _LABEL_SELECTOR_OPS.get(expr.get("operator"))
        if op is None:
            raise SelectorError(f"{go_quote(str(expr.get('operator') or ''))} is not a valid "
                                "label selector operator")
        reqs.append(Requirement.new(expr.get("key") or "", op, expr.get("values") or ()))
    return Selector(reqs)


def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: ``k1=v1,k2=v2`` sorted by key, ``<none>`` when there are none."""
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels)) if labels else "<none>"


def node_selector_term_matches(term: dict, labels: dict, name: str) -> bool:
    """A NodeSelectorTerm (node affinity, a PV's nodeAffinity) against a node's labels
    and name: all its matchExpressions and matchFields hold; an empty term matches
    nothing. Operators In, NotIn, Exists, DoesNotExist, Gt and Lt (integers)."""
    exprs, fields = term.get("matchExpressions") or (), term.get("matchFields") or ()
    if not exprs and not fields:
        return False
    return (all(_node_requirement(e, labels) for e in exprs)
            and all(_node_requirement(f, {"metadata.name": name}) for f in fields))


def _node_requirement(req: dict, labels: dict) -> bool:
    key, op, values = req.get("key"), req.get("operator"), req.get("values") or ()
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt") and key in labels and len(values) == 1:
        try:
            have, want = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return have > want if op == "Gt" else have < want
    return False
