"""Run pytest (with nbval) on notebook folders, skipping folders with no notebook yet.

    python tools/nbtest.py FOLDER... -- PYTEST-OPTION...

A folder that is missing or holds no ``*.ipynb`` (hidden folders such as
``.ipynb_checkpoints`` are ignored) is dropped with a message; if no folder is
left, the script exits 0 without running pytest. Otherwise pytest runs on the
remaining folders with ``--nbval-current-env`` added, and its exit code is
returned unchanged, so "no tests collected" (exit 5) still fails when there
are notebooks.

The notebooks' kernels run as a brand-new learner would: an empty progress
folder of their own (``KUBELEARN_HOME``) and no ``KUBELEARN_LEARNER``, so
``check()`` never writes to your ``~/.kubelearn`` and outputs never depend on it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def has_notebooks(folder: Path) -> bool:
    return any(
        not any(part.startswith(".") for part in nb.relative_to(folder).parts)
        for nb in folder.rglob("*.ipynb")
    )


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    folders, options = argv[:split], argv[split + 1 :]
    kept = []
    for folder in folders:
        if has_notebooks(Path(folder)):
            kept.append(folder)
        else:
            print(f"nbtest: skipping {folder}/: no notebooks yet")
    if not kept:
        return 0
    cmd = [sys.executable, "-m", "pytest", "--nbval-current-env", *options, *kept]
    print("nbtest: pytest", " ".join(cmd[3:]), flush=True)
    with tempfile.TemporaryDirectory(prefix="kubelearn-home-") as home:
        env = {k: v for k, v in os.environ.items() if k != "KUBELEARN_LEARNER"}
        env["KUBELEARN_HOME"] = home
        return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
