"""Command-line flags the way kubectl (cobra + pflag) reads them.

Flags may come anywhere among the arguments; ``--`` ends them. Long flags take
``--name=value`` or ``--name value``, short ones ``-n value``, ``-nvalue`` or
``-n=value``; boolean shorthands combine (``-it``). Mistakes get pflag's own
words (``unknown flag: --foo``), which kubectl prints as ``Error: ...``
followed by a usage hint.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kubelearn.api.validation import go_quote

from kubelearn.kubectl.result import KubectlError


@dataclass(frozen=True)
class Flag:
    name: str
    short: str = ""
    kind: str = "string"          # string | bool | int | list
    default: object = None
    # pflag's NoOptDefVal: the value a bare ``--flag`` takes (it then never
    # consumes the next argument), e.g. ``--dry-run`` means ``--dry-run=unchanged``.
    no_opt: str | None = None


@dataclass
class Parsed:
    args: list[str]
    values: dict[str, object]
    set: set[str] = field(default_factory=set)     # flags the user actually gave
    after_dash: list[str] = field(default_factory=list)

    def __getitem__(self, name: str):
        return self.values[name]

    def given(self, name: str) -> bool:
        return name in self.set


class FlagError(KubectlError):
    """A pflag parse error: printed as ``Error: <msg>`` plus a usage hint."""

    def __init__(self, message: str, command: str):
        super().__init__(f"Error: {message}\nSee 'kubectl {command} --help' for usage.")


def parse(argv: list[str], flags: list[Flag], command: str) -> Parsed:
    by_long = {f.name: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    values: dict[str, object] = {f.name: ([] if f.kind == "list" else f.default) for f in flags}
    parsed = Parsed([], values)
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            parsed.after_dash = argv[i:]
            break
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            flag = by_long.get(name)
            if flag is None:
                raise FlagError(f"unknown flag: --{name}", command)
            if not eq and flag.kind != "bool" and flag.no_opt is not None:
                value, eq = flag.no_opt, "="
            if not eq and flag.kind != "bool":
                if i >= len(argv):
                    raise FlagError(f"flag needs an argument: --{name}", command)
                value, i = argv[i], i + 1
            _store(parsed, flag, value if (eq or flag.kind != "bool") else None, f"--{name}",
                   command)
        elif arg.startswith("-") and len(arg) > 1:
            i = _parse_shorthands(arg, argv, i, by_short, parsed, command)
        else:
            parsed.args.append(arg)
    return parsed


def _parse_shorthands(arg, argv, i, by_short, parsed, command) -> int:
    letters = arg[1:]
    j = 0
    while j < len(letters):
        letter = letters[j]
        flag = by_short.get(letter)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: '{letter}' in -{letters[j:]}", command)
        rest = letters[j + 1:]
        if flag.kind == "bool":
            if len(rest) > 1 and rest.startswith("="):
                _store(parsed, flag, rest[1:], f"-{letter}", command)
                return i
            _store(parsed, flag, None, f"-{letter}", command)
            j += 1
            continue
        if rest:
            _store(parsed, flag, rest[1:] if len(rest) > 1 and rest.startswith("=") else rest,
                   f"-{letter}", command)
            return i
        if i >= len(argv):
            raise FlagError(f"flag needs an argument: '{letter}' in -{letter}", command)
        _store(parsed, flag, argv[i], f"-{letter}", command)
        return i + 1
    return i


def _store(parsed: Parsed, flag: Flag, raw: str | None, spelled: str, command: str) -> None:
    parsed.set.add(flag.name)
    if flag.kind == "bool":
        if raw is None:
            parsed.values[flag.name] = True
            return
        if raw not in _GO_BOOLS:
            raise FlagError(_invalid(flag, raw, "ParseBool", "invalid syntax"), command)
        parsed.values[flag.name] = _GO_BOOLS[raw]
    elif flag.kind == "int":
        if not re.fullmatch(r"[+-]?[0-9]+", raw):
            raise FlagError(_invalid(flag, raw, "ParseInt", "invalid syntax"), command)
        if not -2**63 <= int(raw) < 2**63:
            raise FlagError(_invalid(flag, raw, "ParseInt", "value out of range"), command)
        parsed.values[flag.name] = int(raw)
    elif flag.kind == "list":
        parsed.values[flag.name].append(raw)
    else:
        parsed.values[flag.name] = raw


# strconv.ParseBool accepts exactly these spellings.
_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


def _invalid(flag: Flag, raw: str, func: str, why: str) -> str:
    return (f'invalid argument {go_quote(raw)} for "{_both(flag)}" flag: '
            f"strconv.{func}: parsing {go_quote(raw)}: {why}")


def _both(flag: Flag) -> str:
    return f"-{flag.short}, --{flag.name}" if flag.short else f"--{flag.name}"


# Flags every kubectl command accepts.
GLOBAL_FLAGS = [
    Flag("namespace", "n"),
    Flag("context"),
    Flag("kubeconfig"),
    Flag("cluster"),
    Flag("user"),
    Flag("request-timeout", default="0"),
    Flag("v", "v", default="0"),
]
