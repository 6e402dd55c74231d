"""Go's ``text/tabwriter`` (and kubectl's ``liggitt/tabwriter`` fork), ported.

Every kubectl table goes through a tabwriter, and "pad each column to its
widest cell" is only right for the simple case.  The real rules, kept here:

* text is cut into cells at ``\\t``; a column is aligned only across a
  *contiguous block* of lines that have a tab-terminated cell in it;
* the text after the last tab of a line is not in any column and is never
  padded, so lines carry no trailing spaces;
* a line without tabs ends every block (it also flushes the writer);
* widths count code points (Go counts runes), not display cells;
* ``REMEMBER_WIDTHS`` (kubectl's fork) keeps the widest width seen per column
  across blocks, which is why a multi-line custom-columns value does not shrink
  the columns printed below it.

``kubectl get`` uses (minwidth 6, tabwidth 4, padding 3, ' ', RememberWidths);
``describe`` and ``rollout history`` use (0, 8, 2, ' ', 0).
HTML filtering and escape sequences (``FilterHTML``, ``StripEscape``) are not
used by kubectl and are not implemented.
"""

from __future__ import annotations

import re

from .jsonout import format_float_v

ALIGN_RIGHT = 1 << 2
DISCARD_EMPTY_COLUMNS = 1 << 3
TAB_INDENT = 1 << 4
DEBUG = 1 << 5
REMEMBER_WIDTHS = 1 << 6

GET_SETTINGS = dict(minwidth=6, tabwidth=4, padding=3, padchar=" ", flags=REMEMBER_WIDTHS)
DESCRIBE_SETTINGS = dict(minwidth=0, tabwidth=8, padding=2, padchar=" ", flags=0)

_SPLIT = re.compile(r"([\t\v\n\f])")


class TabWriter:
    """A buffered tabwriter: ``write`` text, then ``flush`` to get the output."""

    def __init__(self, minwidth=0, tabwidth=8, padding=1, padchar=" ", flags=0):
        if minwidth < 0 or tabwidth < 0 or padding < 0:
            raise ValueError("negative minwidth, tabwidth, or padding")
        self.minwidth, self.tabwidth, self.padding = minwidth, tabwidth, padding
        self.padchar = padchar
        self.flags = flags & ~ALIGN_RIGHT if padchar == "\t" else flags
        self.maxwidths: list[int] = []
        self._out: list[str] = []
        self._reset()

    def _reset(self) -> None:
        self._lines: list[list[tuple[str, bool]]] = [[]]  # (text, htab)
        self._cell = ""
        self._widths: list[int] = []

    def write(self, text: str) -> None:
        """Buffer ``text``; complete lines without tabs are formatted at once."""
        for part in _SPLIT.split(text):
            if part in ("\t", "\v", "\n", "\f"):
                self._lines[-1].append((self._cell, part == "\t"))
                self._cell = ""
                if part in "\n\f":
                    ncells = len(self._lines[-1])
                    self._lines.append([])
                    if part == "\f" or ncells == 1:
                        self._flush_lines()
            else:
                self._cell += part

    def flush(self) -> str:
        """Format everything buffered; return all output produced so far."""
        if self._cell:
            self._lines[-1].append((self._cell, False))
            self._cell = ""
        self._flush_lines()
        out, self._out = "".join(self._out), []
        return out

    def _flush_lines(self) -> None:
        self._format(0, len(self._lines))
        self._reset()

    def _format(self, line0: int, line1: int) -> None:
        column = len(self._widths)
        this = line0
        while this < line1:
            if column >= len(self._lines[this]) - 1:
                this += 1
                continue
            self._write_lines(line0, this)  # lines before the block
            line0 = this
            width, discardable = self.minwidth, True
            while this < line1 and column < len(self._lines[this]) - 1:
                text, htab = self._lines[this][column]
                width = max(width, len(text) + self.padding)
                discardable = discardable and not text and not htab
                this += 1
            if discardable and self.flags & DISCARD_EMPTY_COLUMNS:
                width = 0
            width = self._remember(width)
            self._widths.append(width)
            self._format(line0, this)  # columns to the right, same block
            self._widths.pop()
            line0 = this
        self._write_lines(line0, line1)

    def _remember(self, width: int) -> int:
        if not self.flags & REMEMBER_WIDTHS:
            return width
        col = len(self._widths)
        if len(self.maxwidths) < col:
            self.maxwidths.extend(self._widths[len(self.maxwidths):])
        if len(self.maxwidths) == col:
            self.maxwidths.append(width)
        elif self.maxwidths[col] > width:
            width = self.maxwidths[col]
        else:
            self.maxwidths[col] = width
        return width

    def _write_lines(self, line0: int, line1: int) -> None:
        for i in range(line0, line1):
            use_tabs = bool(self.flags & TAB_INDENT)
            for j, (text, _htab) in enumerate(self._lines[i]):
                if j and self.flags & DEBUG:
                    self._out.append("|")
                padded = j < len(self._widths)
                if not text:
                    if padded:
                        self._pad(0, self._widths[j], use_tabs)
                    continue
                use_tabs = False
                if self.flags & ALIGN_RIGHT and padded:
                    self._pad(len(text), self._widths[j], False)
                self._out.append(text)
                if not self.flags & ALIGN_RIGHT and padded:
                    self._pad(len(text), self._widths[j], False)
            if i + 1 < len(self._lines):
                self._out.append("\n")

    def _pad(self, textw: int, cellw: int, use_tabs: bool) -> None:
        if self.padchar == "\t" or use_tabs:
            if self.tabwidth == 0:
                return
            cellw = (cellw + self.tabwidth - 1) // self.tabwidth * self.tabwidth
            n = cellw - textw
            self._out.append("\t" * ((n + self.tabwidth - 1) // self.tabwidth))
        else:
            self._out.append(self.padchar * (cellw - textw))


def format_text(text: str, minwidth=6, tabwidth=4, padding=3, padchar=" ", flags=0) -> str:
    """Run tab-separated ``text`` through one tabwriter and flush it."""
    w = TabWriter(minwidth, tabwidth, padding, padchar, flags)
    w.write(text)
    return w.flush()


def format_table(rows: list[list[str]], minwidth=6, tabwidth=4, padding=3,
                 padchar=" ", flags=0) -> str:
    """Each row is written as ``"\\t".join(cells) + "\\n"``; returns the aligned text."""
    return format_text("".join("\t".join(r) + "\n" for r in rows),
                       minwidth, tabwidth, padding, padchar, flags)


def table_cell(value) -> str:
    """A server-table cell as kubectl's table printer writes it.

    ``None`` prints nothing; strings stop at the first ``\\n``, ``\\r`` or ``\\f``
    and get ``...``; ESC is shown as ``^[``; numbers and bools use Go's ``%v``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        cut = re.search(r"[\f\n\r]", value)
        text = value[:cut.start()] + "..." if cut else value
        return text.replace("\x1b", "^[")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float_v(value)
    return str(value)


def print_table(header: list[str], rows: list[list], no_headers: bool = False) -> str:
    """A ``kubectl get`` table: upper-cased headers, then the rows, aligned.

    kubectl prints nothing on stdout when there are no objects ("No resources
    found" goes to stderr); that choice is the caller's, this prints what it
    is given.
    """
    lines = [] if no_headers else [[h.upper() for h in header]]
    lines += [[table_cell(c) for c in row] for row in rows]
    return format_table(lines, **GET_SETTINGS)
