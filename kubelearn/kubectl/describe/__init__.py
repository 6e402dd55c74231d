"""``kubectl describe``: the long, human-readable view of one object and its events.

``describe(api, kind, obj, now)`` returns what kubectl v1.32 prints for one
object, ending with a newline. Describing several objects is the caller's job:
upstream prints the first description as is and writes ``"\\n\\n"`` before each
further one (``pkg/cmd/describe/describe.go``), so ``"\\n\\n".join(texts)``
gives the same bytes (two empty lines between objects, because every
description already ends with a newline).

The describers are ports of ``k8s.io/kubectl/pkg/describe/describe.go``, one
module per group of kinds; ``writer`` holds the PrefixWriter/tabwriter layout
and the shared helpers. A kind without a describer here raises
``NotImplementedError`` rather than printing something kubectl would not.
"""
from __future__ import annotations

from kubelearn.kubectl.describe.core import (describe_config_map, describe_endpoints,
                                             describe_namespace, describe_secret,
                                             describe_service, describe_service_account)
from kubelearn.kubectl.describe.nodes import describe_node
from kubelearn.kubectl.describe.pods import describe_pod
from kubelearn.kubectl.describe.storage import (describe_persistent_volume,
                                                describe_persistent_volume_claim,
                                                describe_storage_class)
from kubelearn.kubectl.describe.workloads import (describe_daemon_set, describe_deployment,
                                                  describe_replica_set)

DESCRIBERS = {
    "Pod": describe_pod,
    "Node": describe_node,
    "Namespace": describe_namespace,
    "Service": describe_service,
    "Endpoints": describe_endpoints,
    "ConfigMap": describe_config_map,
    "Secret": describe_secret,
    "ServiceAccount": describe_service_account,
    "PersistentVolume": describe_persistent_volume,
    "PersistentVolumeClaim": describe_persistent_volume_claim,
    "StorageClass": describe_storage_class,
    "Deployment": describe_deployment,
    "ReplicaSet": describe_replica_set,
    "DaemonSet": describe_daemon_set,
}


def describe(api, kind: str, obj: dict, now: float, *, show_events: bool = True) -> str:
    """What ``kubectl describe`` prints for ``obj`` (a stored object of registry kind ``kind``)
    at simulated time ``now``; ``show_events=False`` is ``--show-events=false``."""
    describer = DESCRIBERS.get(kind)
    if describer is None:
        raise NotImplementedError(f"describe for {kind} is not built yet")
    return describer(api, obj, now, show_events)
