"""Which PersistentVolume a claim gets: upstream's binding rules, as pure functions.

The PV controller, the scheduler's VolumeBinding plugin and the provisioners all
ask the same questions, so they live here once, under upstream's names
(``component-helpers/storage/volume/pv_helpers.go`` and the PV controller's
``index.go``):

- ``find_best_match_for_claim``: the controller's search. PVs are grouped by
  their access modes (``RWO``, ``RWO,ROX``, ...); the groups that contain every
  mode the claim asks for are searched fewest modes first, and the first group
  with a match wins. So a 10Gi ``RWO`` volume beats a 5Gi ``RWO,ROX,RWX`` one
  for an ``RWO`` claim: the closest *modes* first, then the smallest size.
- ``find_matching_volume``: within one group (or, for the scheduler, over all
  PVs and one node): a volume pre-bound to the claim (``spec.claimRef``) wins
  outright if it is big enough and of the same volumeMode; otherwise the
  smallest ``Available`` volume that is big enough, of the claim's class,
  matches its selector (and, for the scheduler, the node and the access modes).

Go walks maps in random order, so upstream breaks ties (two volumes of one
size, two mode groups of one length) arbitrarily. kubelearn breaks them by
name, and says so: the same cluster always binds the same way.

Everything here reads stored dicts and never changes them.
"""
from __future__ import annotations

from kubelearn.api.quantity import QuantityParseError, parse_quantity
from kubelearn.api.selector import (SelectorError, node_selector_term_matches,
                                     selector_from_label_selector)
from kubelearn.apiserver.store import object_key
from kubelearn.apiserver.tables import is_default_class, pv_class

ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by"
ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node"
ANN_MIGRATED_TO = "pv.kubernetes.io/migrated-to"
BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner"
PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"
PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection"

# In-tree provisioners whose volumes CSI migration (on by default in 1.32) hands to a
# CSI driver: the claim is provisioned by that driver's external provisioner.
CSI_MIGRATED_PROVISIONERS = {
    "kubernetes.io/aws-ebs": "ebs.csi.aws.com",
    "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
    "kubernetes.io/azure-disk": "disk.csi.azure.com",
    "kubernetes.io/azure-file": "file.csi.azure.com",
    "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com",
}

ACCESS_MODE_ORDER = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


# --- classes ---------------------------------------------------------------------------------

def claim_class(pvc: dict) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else ""."""
    return pv_class(pvc)


def claim_has_class(pvc: dict) -> bool:
    """PersistentVolumeClaimHasClass: a class was asked for, even ``""`` (no class)."""
    annotations = pvc["metadata"].get("annotations") or {}
    return BETA_STORAGE_CLASS_ANNOTATION in annotations or \
        (pvc.get("spec") or {}).get("storageClassName") is not None


def default_class(classes) -> dict | None:
    """GetDefaultClass: of the classes marked default, the newest (then the first by name)."""
    defaults = [sc for sc in classes if is_default_class(sc)]
    if not defaults:
        return None
    defaults.sort(key=lambda sc: sc["metadata"]["name"])
    defaults.sort(key=lambda sc: sc["metadata"].get("creationTimestamp") or "", reverse=True)
    return defaults[0]


def is_delay_binding(pvc: dict, store) -> bool:
    """IsDelayBindingMode: the claim's class exists and says WaitForFirstConsumer."""
    name = claim_class(pvc)
    sc = store.get("StorageClass", "", name) if name else None
    return sc is not None and sc.get("volumeBindingMode") == "WaitForFirstConsumer"


def is_delay_binding_provisioning(pvc: dict) -> bool:
    """IsDelayBindingProvisioning: the scheduler picked a node for provisioning."""
    return ANN_SELECTED_NODE in (pvc["metadata"].get("annotations") or {})


# --- what a claim asks for ---------------------------------------------------------------------

def storage_request(pvc: dict):
    """The claim's ``resources.requests.storage`` as a Quantity (zero when missing)."""
    value = (((pvc.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")
    return _quantity(value)


def capacity(pv: dict):
    """The volume's ``spec.capacity.storage`` as a Quantity (zero when missing)."""
    return _quantity(((pv.get("spec") or {}).get("capacity") or {}).get("storage"))


def _quantity(value):
    try:
        return parse_quantity(value if value is not None else "0")
    except QuantityParseError:
        return parse_quantity("0")


def is_fully_bound(pvc: dict) -> bool:
    """isPVCFullyBound: the claim names its volume and the binding completed."""
    return bool((pvc.get("spec") or {}).get("volumeName")) and \
        ANN_BIND_COMPLETED in (pvc["metadata"].get("annotations") or {})


def pod_claim_names(pod: dict) -> list[str]:
    """The claims a pod's volumes name, in volume order (each once)."""
    names: list[str] = []
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        source = volume.get("persistentVolumeClaim")
        if source is not None and source.get("claimName") and source["claimName"] not in names:
            names.append(source["claimName"])
    return names


def claim_reference(pvc: dict) -> dict:
    """reference.GetReference: the ObjectReference a PV's claimRef holds (Go field order)."""
    meta = pvc["metadata"]
    return {"kind": "PersistentVolumeClaim", "namespace": meta.get("namespace", ""),
            "name": meta["name"], "uid": meta.get("uid", ""), "apiVersion": "v1",
            "resourceVersion": meta.get("resourceVersion", "")}


def claim_key_of(claim_ref: dict | None) -> tuple[str, str] | None:
    if not claim_ref:
        return None
    return claim_ref.get("namespace") or "", claim_ref.get("name") or ""


# --- matching --------------------------------------------------------------------------------

def is_volume_bound_to_claim(pv: dict, pvc: dict) -> bool:
    """IsVolumeBoundToClaim: claimRef names this claim (and its uid, when it has one)."""
    ref = (pv.get("spec") or {}).get("claimRef")
    if not ref:
        return False
    meta = pvc["metadata"]
    if ref.get("name") != meta["name"] or (ref.get("namespace") or "") != meta.get("namespace"):
        return False
    return not ref.get("uid") or ref["uid"] == meta.get("uid")


def volume_mode_mismatch(pvc: dict, pv: dict) -> bool:
    """CheckVolumeModeMismatches: a missing volumeMode counts as Filesystem."""
    claim_mode = (pvc.get("spec") or {}).get("volumeMode") or "Filesystem"
    volume_mode = (pv.get("spec") or {}).get("volumeMode") or "Filesystem"
    return claim_mode != volume_mode


def check_access_modes(pvc: dict, pv: dict) -> bool:
    """CheckAccessModes: the volume offers every mode the claim asks for."""
    offered = set((pv.get("spec") or {}).get("accessModes") or ())
    return all(mode in offered for mode in (pvc.get("spec") or {}).get("accessModes") or ())


def check_node_affinity(pv: dict, node_labels: dict, node_name: str = "") -> bool:
    """CheckNodeAffinity: a volume without ``nodeAffinity.required`` fits every node;
    otherwise one of its NodeSelectorTerms must match the node."""
    required = ((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required")
    if required is None:
        return True
    return any(node_selector_term_matches(term, node_labels, node_name)
               for term in required.get("nodeSelectorTerms") or ())


def _claim_selector(pvc: dict):
    selector = (pvc.get("spec") or {}).get("selector")
    if selector is None:
        return None
    try:
        return selector_from_label_selector(selector)
    except SelectorError:
        return None


def find_matching_volume(pvc: dict, volumes, *, node: dict | None = None,
                         excluded: set[str] | frozenset = frozenset(),
                         delay_binding: bool = False) -> dict | None:
    """FindMatchingVolume (1.32): the volume pre-bound to this claim, else the smallest
    fitting Available one. ``node`` is the scheduler's path (node affinity and access
    modes are checked); ``delay_binding`` the controller's for WaitForFirstConsumer
    claims, where only pre-bound volumes are returned."""
    requested = storage_request(pvc)
    requested_class = claim_class(pvc)
    selector = _claim_selector(pvc)
    if selector is None and (pvc.get("spec") or {}).get("selector") is not None:
        return None         # upstream fails the search on a selector it cannot parse
    node_labels = (node or {}).get("metadata", {}).get("labels") or {}
    node_name = (node or {}).get("metadata", {}).get("name", "")
    smallest, smallest_size = None, None
    for pv in sorted(volumes, key=lambda v: v["metadata"]["name"]):
        spec = pv.get("spec") or {}
        if pv["metadata"]["name"] in excluded:
            continue
        if spec.get("claimRef") and not is_volume_bound_to_claim(pv, pvc):
            continue
        size = capacity(pv)
        if size < requested or volume_mode_mismatch(pvc, pv):
            continue
        if spec.get("volumeAttributesClassName"):
            continue        # VolumeAttributesClass is off by default in 1.32: never bind such a PV
        if pv["metadata"].get("deletionTimestamp"):
            continue
        affinity_ok = node is None or check_node_affinity(pv, node_labels, node_name)
        if is_volume_bound_to_claim(pv, pvc):
            return pv if affinity_ok else None
        if node is None and delay_binding:
            continue
        if (pv.get("status") or {}).get("phase") != "Available":
            continue
        if selector is not None and not selector.matches(pv["metadata"].get("labels") or {}):
            continue
        if pv_class(pv) != requested_class or not affinity_ok:
            continue
        if node is not None and not check_access_modes(pvc, pv):
            continue
        if smallest is None or size < smallest_size:
            smallest, smallest_size = pv, size
    return smallest


def access_modes_key(modes) -> tuple[str, ...]:
    """The index key of a set of access modes (GetAccessModesAsString, as a tuple)."""
    present = set(modes or ())
    return tuple(m for m in ACCESS_MODE_ORDER if m in present)


def find_best_match_for_claim(pvc: dict, volumes, delay_binding: bool = False) -> dict | None:
    """findBestMatchForClaim: search the access-mode groups that contain every mode the
    claim asks for, fewest modes first; the first group with a match decides."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for pv in volumes:
        groups.setdefault(access_modes_key((pv.get("spec") or {}).get("accessModes")), []).append(pv)
    wanted = set((pvc.get("spec") or {}).get("accessModes") or ())
    candidates = [key for key in groups if wanted <= set(key)]
    candidates.sort(key=lambda key: (len(key), key))
    for key in candidates:
        found = find_matching_volume(pvc, groups[key], delay_binding=delay_binding)
        if found is not None:
            return found
    return None


def check_volume_satisfy_claim(pv: dict, pvc: dict) -> str | None:
    """checkVolumeSatisfyClaim: why a volume a claim names cannot be bound to it, or None."""
    if pv["metadata"].get("deletionTimestamp"):
        return f'the volume is marked for deletion "{pv["metadata"]["name"]}"'
    if capacity(pv) < storage_request(pvc):
        return "requested PV is too small"
    if pv_class(pv) != claim_class(pvc):
        return "storageClassName does not match"
    if volume_mode_mismatch(pvc, pv):
        return "incompatible volumeMode"
    if not check_access_modes(pvc, pv):
        return "incompatible accessMode"
    return None


def is_multi_attach_allowed(pv: dict) -> bool:
    """IsMultiAttachAllowed: a PV may be attached to several nodes when it offers ROX or
    RWX (or says nothing about its modes); RWO and RWOP volumes attach to one node."""
    modes = (pv.get("spec") or {}).get("accessModes") or ()
    if not modes:
        return True
    return "ReadWriteMany" in modes or "ReadOnlyMany" in modes


class PodClaimIndex:
    """Which pods name which claims (upstream's ``common.PodPVCIndex``), kept from pod
    watch events (``pod_claims``).

    It sees every pod event, and most pods name no claim: a new pod costs one look at
    its volume list, and a later write that keeps that very list (binding, every
    status write: stored objects are never changed in place) costs an identity
    check, plus a lookup once some pod names a claim."""

    def __init__(self) -> None:
        self._by_claim: dict[tuple[str, str], set[str]] = {}
        self._by_pod: dict[tuple[str, str], tuple[str, ...]] = {}

    def update(self, event) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Take a pod event; returns the claim names the pod named before and now."""
        if event.type == "MODIFIED" and (event.old.get("spec") or {}).get("volumes") is \
                (event.obj.get("spec") or {}).get("volumes"):
            if not self._by_pod:
                return (), ()
            claims = self._by_pod.get(object_key(event.obj), ())
            return claims, claims
        meta = event.obj["metadata"]
        namespace = meta.get("namespace", "")
        key = (namespace, meta["name"])
        claims = () if event.type == "DELETED" else tuple(pod_claim_names(event.obj))
        old = self._by_pod.get(key, ())
        if claims == old:
            return old, claims
        for name in old:
            pods = self._by_claim.get((namespace, name))
            if pods is not None:
                pods.discard(meta["name"])
                if not pods:
                    del self._by_claim[(namespace, name)]
        for name in claims:
            self._by_claim.setdefault((namespace, name), set()).add(meta["name"])
        if claims:
            self._by_pod[key] = claims
        else:
            self._by_pod.pop(key, None)
        return old, claims

    def pods(self, namespace: str, claim: str) -> list[str]:
        """Names of the pods in ``namespace`` whose volumes name ``claim``, sorted."""
        return sorted(self._by_claim.get((namespace, claim), ()))
