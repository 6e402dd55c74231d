"""Notebook magics: ``%kubectl ...`` and ``%%kubectl ...`` (cell body on stdin),
``%minikube ...`` (``%minikube service web --url``) and ``%aws ...``
(``%aws eks describe-cluster --name X``, in the kernel's simulated AWS account).

They talk to the cluster of the current context (``kubectl config
use-context`` switches it), print stdout and stderr where a terminal would,
and keep the last result in ``kubelearn.magics.last_result``.
"""
from __future__ import annotations

import shlex
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
    _write(last_result)


def _write(result: KubectlResult) -> None:
    """Write each piece of output to its stream, in the order the command wrote them
    (a ``Warning:`` before the line it precedes in a terminal)."""
    merged: list[list[str]] = []          # adjacent pieces of one stream, written at once
    for stream, text in result.pieces():
        if not text:
            continue
        if merged and merged[-1][0] == stream:
            merged[-1][1] += text
        else:
            merged.append([stream, text])
    for stream, text in merged:
        target = sys.stdout if stream == "stdout" else sys.stderr
        target.write(text)
        target.flush()


def minikube_magic(line: str) -> None:
    """``%minikube ARGS``: ``cluster.minikube(ARGS)`` on the current context's cluster.
    Without any cluster, minikube finds no profile, as it would before ``minikube start``."""
    global last_result
    cluster = kubeconfig().cluster()
    if cluster is None:
        from kubelearn.cloud.minikube import run_without_cluster

        last_result = run_without_cluster(line)
    else:
        last_result = cluster.minikube(line)
    _write(last_result)     # minikube mixes its streams: each piece where a terminal shows it
    if cluster is not None and _opens_dashboard(line, last_result):
        from IPython.display import display

        display(cluster.dashboard())    # the notebook is the browser minikube would open


def _opens_dashboard(line: str, result) -> bool:
    """``minikube dashboard`` (without ``--url``) opens the dashboard in a browser; in a
    notebook kubelearn shows its dashboard widget there instead."""
    words = shlex.split(line)
    return (result.exit_code == 0 and words[:1] == ["dashboard"]
            and not any(w == "--url" or w.startswith("--url=") for w in words[1:]))


def aws_magic(line: str) -> None:
    """``%aws ARGS``: an aws command line in this kernel's simulated AWS account
    (``kubelearn.cloud.aws``; started with region us-east-2 if none is running)."""
    global last_result
    from kubelearn.cloud.aws import aws

    last_result = aws(line)
    _write(last_result)


def register(ipython) -> None:
    ipython.register_magic_function(kubectl_magic, magic_kind="line_cell", magic_name="kubectl")
    ipython.register_magic_function(minikube_magic, magic_kind="line", magic_name="minikube")
    ipython.register_magic_function(aws_magic, magic_kind="line", magic_name="aws")
