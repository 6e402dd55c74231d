"""How the AWS CLI prints a response: ``--output json|text|table|yaml``.

json is the CLI's ``json.dumps(indent=4, ensure_ascii=False)`` with dates as ISO
8601 strings; text is tab-separated values, one line per scalar group with the
key name of a nested list in capitals first (as awscli's ``text`` formatter);
table is the bordered table titled with the operation name; yaml is block YAML.
``ResponseMetadata`` is dropped, as the CLI does.
"""
from __future__ import annotations

import datetime
import json

import yaml


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def render(value, output: str, title: str = "") -> str:
    value = _plain(value)
    if output == "json":
        return json.dumps(value, indent=4, ensure_ascii=False) + "\n"
    if output == "yaml":
        return yaml.safe_dump(value, sort_keys=False, default_flow_style=False)
    if output == "text":
        lines: list[str] = []
        _text(value, lines, "")
        return "".join(line + "\n" for line in lines)
    if output == "table":
        return _table(value, title)
    raise ValueError(output)


# -- text ------------------------------------------------------------------------
def _scalar(v) -> str:
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "True" if v else "False"
    return str(v)


def _text(value, lines: list[str], label: str) -> None:
    if isinstance(value, list):
        if value and all(not isinstance(v, (dict, list)) for v in value):
            lines.append("\t".join(([label.upper()] if label else []) + [_scalar(v) for v in value]))
            return
        for item in value:
            _text(item, lines, label)
        return
    if isinstance(value, dict):
        scalars = [(k, v) for k, v in value.items() if not isinstance(v, (dict, list))]
        if scalars:
            lines.append("\t".join(([label.upper()] if label else [])
                                   + [_scalar(v) for _, v in sorted(scalars)]))
        for k, v in sorted(value.items()):
            if isinstance(v, (dict, list)):
                _text(v, lines, k)
        return
    lines.append(_scalar(value))


# -- table ------------------------------------------------------------------------
def _table(value, title: str) -> str:
    rows: list[tuple[str, list[list[str]]]] = []      # (section title, rows)

    def walk(v, name: str) -> None:
        if isinstance(v, dict):
            scalars = [(k, v[k]) for k in v if not isinstance(v[k], (dict, list))]
            if scalars:
                rows.append((name, [[k for k, _ in scalars], [_scalar(x) for _, x in scalars]]))
            for k in v:
                if isinstance(v[k], (dict, list)):
                    walk(v[k], k)
        elif isinstance(v, list):
            if all(isinstance(x, dict) and all(not isinstance(y, (dict, list)) for y in x.values())
                   for x in v) and v:
                keys = list(dict.fromkeys(k for x in v for k in x))
                rows.append((name, [keys] + [[_scalar(x.get(k, "")) for k in keys] for x in v]))
            elif all(not isinstance(x, (dict, list)) for x in v):
                rows.append((name, [[_scalar(x)] for x in v]))
            else:
                for x in v:
                    walk(x, name)
        else:
            rows.append((name, [[_scalar(v)]]))

    walk(value, title)
    width = max([len(title) + 4] + [sum(_widths(r)) + 3 * len(_widths(r)) + 1
                                    for _, r in rows if r])
    out = ["-" * width, "|" + title.center(width - 2) + "|"]
    for name, table in rows:
        if name != title:
            out += ["+" + "-" * (width - 2) + "+", "|" + name.center(width - 2) + "|"]
        widths = _widths(table)
        extra = width - (sum(widths) + 3 * len(widths) + 1)
        widths[-1] += extra
        out.append("+" + "+".join("-" * (w + 2) for w in widths) + "+")
        for i, row in enumerate(table):
            if i == 0 and len(table) > 1 and name != title or (i == 0 and len(table) > 1):
                out.append("|" + "|".join(f" {c.center(w)} " for c, w in zip(row, widths)) + "|")
                out.append("+" + "+".join("-" * (w + 2) for w in widths) + "+")
            else:
                out.append("|" + "|".join(f" {c.ljust(w)} " for c, w in zip(row, widths)) + "|")
        out.append("+" + "+".join("-" * (w + 2) for w in widths) + "+")
    return "\n".join(out) + "\n"


def _widths(table: list[list[str]]) -> list[int]:
    columns = max(len(r) for r in table)
    return [max(len(r[i]) if i < len(r) else 0 for r in table) for i in range(columns)]
