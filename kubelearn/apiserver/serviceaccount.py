"""The ServiceAccount admission plugin: every pod gets its API credentials volume.

On a real cluster each new pod (unless it opts out with
``automountServiceAccountToken: false``, or is a kubelet's mirror pod) gets a
projected volume ``kube-api-access-<5 chars>`` holding a token, the cluster CA
and its namespace, mounted read-only at
``/var/run/secrets/kubernetes.io/serviceaccount`` in every container. That is
why ``kubectl describe pod`` lists a volume nobody wrote in the manifest.
"""
from __future__ import annotations

from kubelearn.apiserver import errors

MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
MIRROR_ANNOTATIONS = ("kubernetes.io/config.mirror", "kubernetes.io/config.source")


def admit_pod(api, pod: dict) -> dict:
    """``pod`` with its service account checked and its token volume mounted."""
    meta, spec = pod["metadata"], pod["spec"]
    if any(a in (meta.get("annotations") or {}) for a in MIRROR_ANNOTATIONS):
        return pod
    account = spec.get("serviceAccountName") or "default"
    sa = api.store.get("ServiceAccount", meta["namespace"], account)
    if sa is None:
        raise errors.forbidden(
            f'pods "{meta["name"]}" is forbidden: error looking up service account '
            f'{meta["namespace"]}/{account}: serviceaccount "{account}" not found')
    if spec.get("automountServiceAccountToken") is False or \
            sa.get("automountServiceAccountToken") is False:
        return pod
    if any(m.get("mountPath") == MOUNT_PATH for c in spec.get("containers") or []
           for m in c.get("volumeMounts") or []):
        return pod
    name = f"kube-api-access-{api.random_suffix()}"
    mount = {"mountPath": MOUNT_PATH, "name": name, "readOnly": True}
    containers = [{**c, "volumeMounts": [*(c.get("volumeMounts") or []), mount]}
                  for c in spec.get("containers") or []]
    init = [{**c, "volumeMounts": [*(c.get("volumeMounts") or []), mount]}
            for c in spec.get("initContainers") or []]
    new_spec = {**spec, "containers": containers,
                "volumes": [*(spec.get("volumes") or []), token_volume(name)]}
    if init:
        new_spec["initContainers"] = init
    return {**pod, "spec": new_spec}


def token_volume(name: str) -> dict:
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}],
                       "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1",
                                                 "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}},
    ]}}
