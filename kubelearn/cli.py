"""The ``kubelearn`` command: open the course in JupyterLab, print versions, and the
instructor's ``grade`` and ``validate`` (``kubelearn.grading.commands``).

``kubelearn lab`` is ``make lab`` for someone who installed kubelearn with pip
instead of cloning the repository. It opens JupyterLab on the course folder:

- if the current directory has ``chapters/`` (a clone, or a course copy made
  earlier), that directory is the course;
- otherwise the notebooks that ship with kubelearn are copied into
  ``./kubelearn-course/`` and JupyterLab opens there. Learners edit and run
  notebooks, so they get their own copy rather than files inside the Python
  installation; a file that already exists in the copy is never overwritten,
  so running ``kubelearn lab`` again keeps their work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Sequence
from pathlib import Path

from kubelearn._version import KUBERNETES_VERSION, __version__
from kubelearn.grading.commands import add_parsers as add_grading_parsers

COURSE_FOLDERS = ("chapters", "exercises", "solutions")
COPY_DIR = "kubelearn-course"

Launcher = Callable[[list[str]], int]


def packaged_course() -> Path | None:
    """Where this installation keeps the course notebooks, or None.

    A source checkout (editable install) uses the repository itself; a wheel
    installs them under ``<prefix>/share/kubelearn`` (pyproject data-files).
    """
    checkout = Path(__file__).resolve().parent.parent
    candidates = [
        checkout if (checkout / "pyproject.toml").is_file() else None,
        Path(sysconfig.get_path("data")) / "share" / "kubelearn",
        Path(site.getuserbase()) / "share" / "kubelearn",
    ]
    for path in candidates:
        if path is not None and any((path / f).is_dir() for f in COURSE_FOLDERS):
            return path
    return None


def copy_course(source: Path, dest: Path) -> int:
    """Copy the course notebooks from source to dest, keeping existing files.

    Returns how many files were copied.
    """
    copied = 0
    for folder in COURSE_FOLDERS:
        for nb in sorted((source / folder).glob("*.ipynb")):
            target = dest / folder / nb.name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(nb, target)
                copied += 1
        (dest / folder).mkdir(parents=True, exist_ok=True)
    return copied


def jupyter_command(root: Path, *, no_browser: bool = False, port: int | None = None) -> list[str]:
    """The command line that runs JupyterLab on root, opened on chapters/."""
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        "--LabApp.default_url=/lab/tree/chapters",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # Jupyter refuses root (containers) otherwise
    if no_browser:
        cmd.append("--no-browser")
    if port is not None:
        cmd.append(f"--port={port}")
    return cmd


def run_jupyter(cmd: list[str]) -> int:
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 130


def cmd_lab(args: argparse.Namespace, launcher: Launcher) -> int:
    cwd = Path.cwd()
    if (cwd / "chapters").is_dir():
        root = cwd
    else:
        source = packaged_course()
        if source is None:
            print(
                "kubelearn: cannot find the course notebooks in this installation; "
                "reinstall with 'pip install --force-reinstall kubelearn', "
                "or run 'kubelearn lab' in a folder that has chapters/",
                file=sys.stderr,
            )
            return 1
        root = cwd / COPY_DIR
        copied = copy_course(source, root)
        kept = "" if copied else " (already there; your changes are kept)"
        print(f"kubelearn: course notebooks in ./{COPY_DIR}/{kept}")
    print(f"kubelearn: opening JupyterLab on {root}", flush=True)
    return launcher(jupyter_command(root, no_browser=args.no_browser, port=args.port))


def cmd_version(args: argparse.Namespace, launcher: Launcher) -> int:
    print(f"kubelearn {__version__}")
    print(f"simulates Kubernetes {KUBERNETES_VERSION}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubelearn",
        description="A Kubernetes course in JupyterLab, on a simulated cluster.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    lab = sub.add_parser(
        "lab",
        help="open the course in JupyterLab",
        description=(
            "Open the course in JupyterLab. If the current directory has chapters/, "
            f"it is used as the course; otherwise the course notebooks are copied into "
            f"./{COPY_DIR}/ (existing files are never overwritten) and opened there."
        ),
    )
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.add_argument("--port", type=int, help="port for JupyterLab (default: 8888 or the next free one)")
    lab.set_defaults(func=cmd_lab)
    version = sub.add_parser("version", help="print the kubelearn and Kubernetes versions")
    version.set_defaults(func=cmd_version)
    add_grading_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, launcher: Launcher = run_jupyter) -> int:
    """Entry point of the ``kubelearn`` console script; returns the exit code.

    Usage errors exit with code 2 (argparse's SystemExit).
    """
    args = build_parser().parse_args(argv)
    return args.func(args, launcher)


if __name__ == "__main__":
    sys.exit(main())
