"""The name printer: ``deployment.apps/web created`` (cli-runtime printers/name.go).

Every mutating kubectl verb ends with this line, and ``-o name`` prints it
without the operation.  The kind part is the lower-cased kind plus ``.group``
for non-core groups (``pod/x``, ``deployment.apps/x``).
"""

from __future__ import annotations


def kind_display(kind: str, group: str = "") -> str:
    """``("Deployment", "apps")`` -> ``deployment.apps``; core kinds have no group."""
    return kind.lower() + (f".{group}" if group else "")


def name_line(kind_display: str, name: str, operation: str | None = None) -> str:
    """``deployment.apps/web created``; no operation gives the ``-o name`` form.

    An empty name prints ``<unknown>`` as kubectl does.  No trailing newline.
    """
    line = f"{kind_display}/{name or '<unknown>'}"
    return f"{line} {operation}" if operation else line
