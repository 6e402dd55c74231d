"""Notebook magics: ``%kubectl ...`` and ``%%kubectl ...`` (cell body on stdin).

They talk to the cluster of the current context (``kubectl config
use-context`` switches it), print stdout and stderr where a terminal would,
and keep the last result in ``kubelearn.magics.last_result``.
"""
from __future__ import annotations

import sys

from kubelearn.contexts import kubeconfig
from kubelearn.kubectl.result import KubectlResult

NO_CLUSTER = ("The connection to the server localhost:8080 was refused - did you specify the "
              "right host or port?\n(kubelearn: start a cluster first, e.g. "
              "`from kubelearn import Cluster; c = Cluster()`)\n")

last_result: KubectlResult | None = None


def kubectl_magic(line: str, cell: str | None = None) -> None:
    global last_result
    cluster = kubeconfig().cluster()
    if cluster is None:
        last_result = KubectlResult("", NO_CLUSTER, 1)
    else:
        last_result = cluster.kubectl(line, stdin=cell)
    if last_result.stdout:
        sys.stdout.write(last_result.stdout)
        sys.stdout.flush()
    if last_result.stderr:
        sys.stderr.write(last_result.stderr)
        sys.stderr.flush()


def register(ipython) -> None:
    ipython.register_magic_function(kubectl_magic, magic_kind="line_cell", magic_name="kubectl")
