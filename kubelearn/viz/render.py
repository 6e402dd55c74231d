"""Render DOT source with graphviz-pure, never with a system Graphviz.

graphviz-pure (a PyPI package, a dependency of kubelearn) installs one
program, ``graphviz-pure``: a port of Graphviz 16.1.0's ``dot`` that writes the
same bytes on every platform. Notebook outputs are checked byte for byte
(nbval), so a system ``dot`` -- whose version and fonts differ from machine to
machine -- is deliberately never used, even as a fallback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROGRAM = "graphviz-pure"
INSTALL_HINT = "install it into the same environment as kubelearn: pip install graphviz-pure"


def find_graphviz_pure() -> str | None:
    """Path of the graphviz-pure program, or None.

    The environment running this Python comes first (a venv's bin/ or
    Scripts/, which need not be on PATH), then PATH.
    """
    name = PROGRAM + (".exe" if os.name == "nt" else "")
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(PROGRAM)


def render_dot(source: str, fmt: str = "svg", *, timeout: float = 60.0) -> str:
    """Lay out DOT source and return the output (SVG by default) as text.

    Raises RuntimeError if graphviz-pure is missing, fails or times out.
    """
    program = find_graphviz_pure()
    if program is None:
        raise RuntimeError(f"cannot render diagrams: the '{PROGRAM}' program was not found; {INSTALL_HINT}")
    try:
        done = subprocess.run(
            [program, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{PROGRAM} did not finish within {timeout:g} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{PROGRAM} failed (exit code {done.returncode}): {message}")
    return done.stdout.decode("utf-8")


def render_svg(source: str, *, timeout: float = 60.0) -> str:
    """Render DOT source to an SVG document (text)."""
    return render_dot(source, "svg", timeout=timeout)
