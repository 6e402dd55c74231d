"""What a kubectl command gives back: stdout, stderr, exit code.

It prints like a terminal would show it (stdout, then stderr), so a notebook
cell ending in ``c.kubectl("get pods")`` looks like the shell.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KubectlResult:
    stdout: str
    stderr: str
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def __str__(self) -> str:
        return (self.stdout + self.stderr).rstrip("\n")

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
