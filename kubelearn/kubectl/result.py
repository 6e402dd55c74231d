"""What a kubectl command gives back: stdout, stderr, exit code.

It prints like a terminal would show it, so a notebook cell ending in
``c.kubectl("get pods")`` looks like the shell: ``chunks`` keeps the order in
which the two streams were written (a ``Warning:`` before the line after it).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KubectlResult:
    stdout: str
    stderr: str
    exit_code: int
    # (stream, text) pieces in the order the command wrote them, when known: a
    # ``Warning:`` on stderr comes before the stdout line that follows it
    chunks: tuple = ()

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def pieces(self) -> tuple:
        """``(stream, text)`` in terminal order: ``chunks``, or stdout then stderr."""
        return self.chunks or (("stdout", self.stdout), ("stderr", self.stderr))

    def __str__(self) -> str:
        return "".join(text for _, text in self.pieces()).rstrip("\n")

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


class KubectlError(Exception):
    """A client-side failure: kubectl prints ``message`` on stderr and exits 1."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
