"""Attach/detach controller: a disk that attaches to one node at a time.

kube-controller-manager's ``attachdetach-controller``
(``pkg/controller/volume/attachdetach``) attaches a volume to a node when a pod
scheduled there uses it, and detaches it when no pod there does. Only
*attachable* volumes take part: block devices such as AWS EBS
(``ebs.csi.aws.com``), GCE PD or Azure Disk. hostPath, local, NFS and file
systems such as EFS (``efs.csi.aws.com``, whose CSIDriver says
``attachRequired: false``) are never attached, so nothing here applies to them.

This is where ``ReadWriteOnce`` is enforced across nodes, and only here: a PV
whose access modes include neither ``ReadWriteMany`` nor ``ReadOnlyMany``
(``IsMultiAttachAllowed``) attaches to one node. A pod on a second node gets,
once, the ``FailedAttachVolume`` event ``Multi-Attach error for volume
"pvc-…" Volume is already used by pod(s) web-1`` (or "Volume is already
exclusively attached to one node and can't be attached to another" when no pod
there still wants it), and waits until the volume is detached from the first
node — the classic stuck rollout of a Deployment with an RWO disk. A
successful attach records ``SuccessfulAttachVolume`` "AttachVolume.Attach
succeeded for volume "pvc-…" " on the pods (upstream's message ends in a space).

The attachments are written where upstream keeps them,
``node.status.volumesAttached`` (``kubernetes.io/csi/<driver>^<volumeHandle>``),
which is what a kubelet waits for before it mounts an attachable volume
(``volume_attached``). kubelearn attaches and detaches at once (a real EBS
attach takes seconds) and writes no VolumeAttachment objects.
"""
from __future__ import annotations

from kubelearn.api.defaults import _put as put_in_go_order
from kubelearn.api.models import core
from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller
from kubelearn.controllers.pod_claims import PodClaimFollower
from kubelearn.controllers.pv_util import PodClaimIndex, is_multi_attach_allowed

COMPONENT = "attachdetach-controller"

# CSIDriver.spec.attachRequired of the drivers kubelearn knows; a CSI driver with no
# CSIDriver object needs attaching (upstream's default).
ATTACH_REQUIRED = {
    "ebs.csi.aws.com": True, "pd.csi.storage.gke.io": True, "disk.csi.azure.com": True,
    "efs.csi.aws.com": False, "file.csi.azure.com": False, "hostpath.csi.k8s.io": False,
}
# In-tree attachable sources, named by the CSI driver migration hands them to.
_MIGRATED_SOURCES = (("awsElasticBlockStore", "volumeID", "ebs.csi.aws.com"),
                     ("gcePersistentDisk", "pdName", "pd.csi.storage.gke.io"),
                     ("azureDisk", "diskURI", "disk.csi.azure.com"))


def unique_volume_name(pv: dict) -> str | None:
    """The attachable volume's unique name (``kubernetes.io/csi/ebs.csi.aws.com^vol-1``),
    or None for a volume that never attaches to a node."""
    spec = pv.get("spec") or {}
    csi = spec.get("csi")
    if csi is not None:
        driver = csi.get("driver") or ""
        if not ATTACH_REQUIRED.get(driver, True):
            return None
        return f"kubernetes.io/csi/{driver}^{csi.get('volumeHandle') or ''}"
    for source, field, driver in _MIGRATED_SOURCES:
        if spec.get(source) is not None:
            return f"kubernetes.io/csi/{driver}^{(spec[source] or {}).get(field) or ''}"
    return None


def volume_attached(api, node: str, pv: dict) -> bool:
    """Whether ``pv`` may be mounted on ``node`` as far as attaching goes: it never attaches,
    or ``node.status.volumesAttached`` lists it (the kubelet's VerifyControllerAttachedVolume)."""
    name = unique_volume_name(pv)
    if name is None:
        return True
    node_obj = api.store.get("Node", "", node)
    attached = ((node_obj or {}).get("status") or {}).get("volumesAttached") or ()
    return any(entry.get("name") == name for entry in attached)


class AttachDetachController(PodClaimFollower, Controller):
    name = COMPONENT
    watches = ("Pod", "PersistentVolumeClaim", "PersistentVolume")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.pods = PodClaimIndex()
        self.attached: dict[str, list[str]] = {}         # PV name -> nodes, in attach order
        self._unique: dict[str, str] = {}                 # PV name -> unique volume name
        self._reported: set[tuple[str, str]] = set()      # (PV, node) Multi-Attach told

    def keys_for(self, event):
        meta = event.obj["metadata"]
        if event.kind == "Pod":
            return self.pod_keys(event)
        if event.kind == "PersistentVolumeClaim":
            name = (event.obj.get("spec") or {}).get("volumeName")
            return (name,) if name else ()
        return (meta["name"],)

    def pod_claim_keys(self, event, old, claims):
        namespace = event.obj["metadata"].get("namespace", "")
        return [("claim", namespace, n) for n in sorted(set(old) | set(claims))]

    def reconcile(self, key):
        if isinstance(key, tuple):          # a claim's pods changed: look at its volume
            pvc = self.api.store.get("PersistentVolumeClaim", key[1], key[2])
            name = (pvc or {}).get("spec", {}).get("volumeName") if pvc else None
            if not name:
                return None
            key = name
        try:
            self.reconcile_volume(key)
        except errors.StatusError:
            return 1.0
        return None

    def reconcile_volume(self, pv_name: str) -> None:
        pv = self.api.store.get("PersistentVolume", "", pv_name)
        unique = unique_volume_name(pv) if pv is not None else None
        if unique is None:
            for node in list(self.attached.get(pv_name, ())):
                self._detach(pv_name, node)
            return
        self._unique[pv_name] = unique
        desired = self._desired_nodes(pv)
        for node in list(self.attached.get(pv_name, ())):
            if node not in desired:
                self._detach(pv_name, node)
        self._reported = {(p, n) for p, n in self._reported if p != pv_name or n in desired}
        for node, pods in desired.items():
            attached = self.attached.get(pv_name, [])
            if node in attached:
                continue
            if attached and not is_multi_attach_allowed(pv):
                if (pv_name, node) not in self._reported:
                    self._report_multi_attach_error(pv_name, pods, desired, attached)
                    self._reported.add((pv_name, node))
                continue
            self._attach(pv_name, node)
            for pod in pods:
                self.cluster.events.record(pod, "Normal", "SuccessfulAttachVolume",
                                           f'AttachVolume.Attach succeeded for volume '
                                           f'"{pv_name}" ', COMPONENT)

    def _desired_nodes(self, pv: dict) -> dict[str, list[dict]]:
        """Nodes whose scheduled, unfinished pods use the volume's claim, first come first."""
        ref = (pv.get("spec") or {}).get("claimRef") or {}
        namespace = ref.get("namespace", "")
        pods = []
        for name in self.pods.pods(namespace, ref.get("name", "")):
            pod = self.api.store.get("Pod", namespace, name)
            if pod is None or not pod["spec"].get("nodeName"):
                continue
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            claim = self.api.store.get("PersistentVolumeClaim", namespace, ref.get("name", ""))
            if claim is None or claim["metadata"].get("uid") != ref.get("uid"):
                continue
            pods.append(pod)
        pods.sort(key=lambda p: (p["metadata"].get("creationTimestamp") or "",
                                 p["metadata"]["name"]))
        desired: dict[str, list[dict]] = {}
        for pod in pods:
            desired.setdefault(pod["spec"]["nodeName"], []).append(pod)
        return desired

    def _report_multi_attach_error(self, pv_name: str, pods: list[dict],
                                   desired: dict[str, list[dict]], attached: list[str]) -> None:
        """reportMultiAttachError: name the pods (of the same namespace) holding the volume."""
        holders = [p for node in attached for p in desired.get(node, ())]
        for pod in pods:
            if not holders:
                suffix = ("Volume is already exclusively attached to one node and can't be "
                          "attached to another")
            else:
                namespace = pod["metadata"].get("namespace")
                local = sorted(p["metadata"]["name"] for p in holders
                               if p["metadata"].get("namespace") == namespace)
                others = len(holders) - len(local)
                if local:
                    suffix = f"Volume is already used by pod(s) {', '.join(local)}"
                    if others:
                        suffix += f" and {others} pod(s) in different namespaces"
                else:
                    suffix = f"Volume is already used by {others} pod(s) in different namespaces"
            self.cluster.events.record(pod, "Warning", "FailedAttachVolume",
                                       f'Multi-Attach error for volume "{pv_name}" {suffix}',
                                       COMPONENT)

    # -- node.status.volumesAttached ------------------------------------------------
    def _attach(self, pv_name: str, node: str) -> None:
        self.attached.setdefault(pv_name, []).append(node)
        self._write_node(node, self._unique[pv_name], add=True)

    def _detach(self, pv_name: str, node: str) -> None:
        nodes = self.attached.get(pv_name, [])
        if node in nodes:
            nodes.remove(node)
        if not nodes:
            self.attached.pop(pv_name, None)
        unique = self._unique.get(pv_name)
        if unique is not None:
            self._write_node(node, unique, add=False)

    def _write_node(self, node: str, unique: str, add: bool) -> None:
        obj = self.api.store.get("Node", "", node)
        if obj is None:
            return
        status = obj.get("status") or {}
        entries = [e for e in status.get("volumesAttached") or () if e.get("name") != unique]
        if add:
            entries.append({"name": unique, "devicePath": ""})
        entries.sort(key=lambda e: e.get("name", ""))
        if entries:
            status = put_in_go_order(status, core.NodeStatus, {"volumesAttached": entries})
        else:
            status = {k: v for k, v in status.items() if k != "volumesAttached"}
        self.api.update_status({**obj, "status": status})
