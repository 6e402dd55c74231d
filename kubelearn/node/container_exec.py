"""Running a command in a live container: the kubelet's side of ``kubectl exec``.

The API server proxies an exec to the kubelet of the pod's node, which asks
the runtime to start the command in the container's namespaces: it sees the
container's filesystem (its layer and its volumes) and environment. Here the
command runs in the container's shell (``kubelearn.node.shell``) at the
current simulated instant, after every script sharing its storage has caught
up to now. A container that is not running is ``container not found``, as the
kubelet answers.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kubelearn.node.apps import ExecResult


@dataclass
class ExecOutcome:
    result: ExecResult
    runtime: str            # "containerd" | "docker": how a failed start is reported
    exec_id: str            # the runtime's id for this exec (in containerd's errors)


def exec_in_container(cluster, namespace: str, pod: str, container: str, argv: list[str],
                      stdin: str | None = None) -> ExecOutcome | None:
    """Run ``argv`` in a running container now; None when the container is not running."""
    from kubelearn.node.kubelet import _locate

    found = _locate(cluster, namespace, pod, container)
    if found is None:
        return None
    kubelet, worker, record = found
    run = record.run
    # A terminating pod's containers run until they stop (its grace period), and
    # exec reaches them until then, as on a real node.
    if record.state != "running" or run is None \
            or worker.stage not in ("starting", "running", "terminating"):
        return None
    now = cluster.clock.now
    result = run.exec(argv, now, stdin=stdin)
    counter = getattr(run, "exec_count", 0) + 1
    run.exec_count = counter
    exec_id = hashlib.sha256(f"{record.container_id}/{counter}".encode()).hexdigest()
    return ExecOutcome(result, kubelet.runtime.scheme, exec_id)


def node_reachable(cluster, node: str) -> bool:
    """Does the node's kubelet answer (a stopped node's does not)?"""
    return node not in (getattr(cluster, "stopped_nodes", None) or {})
