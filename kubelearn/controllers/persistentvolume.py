"""PersistentVolume controller: binds claims to volumes, and releases them again.

kube-controller-manager's ``persistentvolume-binder`` (``pkg/controller/volume/
persistentvolume/pv_controller.go``), step for step under upstream's names:

- ``sync_claim`` for a claim that has not finished binding looks for the best
  volume (``pv_util.find_best_match_for_claim``: class, access modes, size,
  selector, volumeMode; pre-bound volumes first). None found: a claim without
  a class gets the default one if one exists now; a WaitForFirstConsumer claim
  waits for the scheduler (``WaitForFirstConsumer``/``WaitForPodScheduled``
  events); a claim with a class is handed to its provisioner
  (``ExternalProvisioning``, or ``ProvisioningFailed`` when the class is
  missing or its in-tree plugin does not exist); a claim of no class gets
  ``FailedBinding``: "no persistent volumes available for this claim and no
  storage class is set". A claim naming its volume (``spec.volumeName``,
  static binding) binds to that volume only, if it satisfies the claim
  (``VolumeMismatch`` says why not).
- ``bind`` writes both halves, volume first, as upstream: the PV's ``claimRef``
  (and ``pv.kubernetes.io/bound-by-controller``), the PV phase ``Bound``, the
  claim's ``volumeName`` with ``pv.kubernetes.io/bind-completed`` and
  ``bound-by-controller``, then the claim's status (``Bound``, and the *volume's*
  capacity and access modes, which is why ``get pvc`` can show 4Gi for a 1Gi
  request).
- ``sync_volume`` keeps a volume's phase true: ``Available`` without a claim (or
  pre-bound to one that has not bound yet), ``Bound``, and ``Released`` once its
  claim is gone, when the reclaim policy runs (``persistentvolume_reclaim``).
  A bound claim whose volume vanished goes ``Lost``.

Like upstream, the controller resyncs every claim and volume every 15 seconds
(``--pvclaimbinder-sync-period``): a claim created before its volume binds at
the next resync, and a claim that cannot bind repeats its event (``x4 over
45s`` in ``describe``). Everything else happens at once, in the order upstream
writes it.
"""
from __future__ import annotations

from kubelearn.api.defaults import _put as put_in_go_order
from kubelearn.api.models import core
from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller
from kubelearn.controllers.persistentvolume_provision import provision_claim
from kubelearn.controllers.pod_claims import PodClaimFollower
from kubelearn.controllers.pv_util import (
    ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED, PodClaimIndex,
    check_volume_satisfy_claim, claim_class, claim_has_class, claim_reference, default_class,
    find_best_match_for_claim, is_delay_binding, is_delay_binding_provisioning,
    is_volume_bound_to_claim, volume_mode_mismatch)

COMPONENT = "persistentvolume-controller"
RESYNC_SECONDS = 15.0
RETRY_SECONDS = 1.0

FAILED_BINDING_NO_CLASS = ("no persistent volumes available for this claim and no storage class "
                           "is set")


class PersistentVolumeController(PodClaimFollower, Controller):
    name = COMPONENT
    watches = ("PersistentVolume", "PersistentVolumeClaim", "Pod")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.pods = PodClaimIndex()
        self._resync_timer = None

    # -- informer handlers ---------------------------------------------------
    def keys_for(self, event):
        if event.kind == "Pod":
            return self.pod_keys(event)
        self._arm_resync()
        meta, spec = event.obj["metadata"], event.obj.get("spec") or {}
        if event.kind == "PersistentVolumeClaim":
            if event.type == "DELETED":     # deleteClaim: the volume it held is released
                return (("volume", spec["volumeName"]),) if spec.get("volumeName") else ()
            return (("claim", meta.get("namespace", ""), meta["name"]),)
        if event.type == "DELETED":         # deleteVolume: its claim may be Lost now
            ref = spec.get("claimRef")
            return (("claim", ref.get("namespace", ""), ref.get("name", "")),) if ref else ()
        return (("volume", meta["name"]),)

    def pod_claim_keys(self, event, old, claims):
        return ()               # the index is all it keeps of pods (for Used By checks)

    def _arm_resync(self) -> None:
        if self._resync_timer is None:
            self._resync_timer = self.clock.call_later(
                RESYNC_SECONDS, self._resync, background=True,
                label="persistentvolume-controller: resync")

    def _resync(self) -> None:
        """Every claim and every volume again, as the controller's periodic resync."""
        self._resync_timer = None
        claims = self.api.store.list("PersistentVolumeClaim")
        volumes = self.api.store.list("PersistentVolume")
        if not claims and not volumes:
            return
        for pvc in claims:
            self.enqueue(("claim", pvc["metadata"].get("namespace", ""), pvc["metadata"]["name"]))
        for pv in volumes:
            self.enqueue(("volume", pv["metadata"]["name"]))
        self._arm_resync()

    def reconcile(self, key):
        try:
            if key[0] == "claim":
                claim = self.api.store.get("PersistentVolumeClaim", key[1], key[2])
                if claim is not None:
                    self.sync_claim(claim)
            else:
                volume = self.api.store.get("PersistentVolume", "", key[1])
                if volume is not None:
                    self.sync_volume(volume)
        except errors.StatusError:
            return RETRY_SECONDS        # a write lost a race: the next sync finishes the job
        return None

    def record(self, obj: dict, type_: str, reason: str, message: str) -> None:
        self.cluster.events.record(obj, type_, reason, message, COMPONENT)

    # -- claims --------------------------------------------------------------
    def sync_claim(self, claim: dict) -> None:
        if ANN_BIND_COMPLETED not in (claim["metadata"].get("annotations") or {}):
            self._sync_unbound_claim(claim)
        else:
            self._sync_bound_claim(claim)

    def _sync_unbound_claim(self, claim: dict) -> None:
        spec = claim.get("spec") or {}
        if not spec.get("volumeName"):
            delay = is_delay_binding(claim, self.api.store)
            volume = find_best_match_for_claim(claim, self.api.store.list("PersistentVolume"),
                                               delay)
            if volume is not None:
                self.bind(volume, claim)
                return
            if self._assign_default_storage_class(claim):
                return
            if delay and not is_delay_binding_provisioning(claim):
                self._emit_event_for_unbound_delay_binding_claim(claim)
            elif claim_class(claim) != "":
                provision_claim(self, claim)
                return
            else:
                self.record(claim, "Normal", "FailedBinding", FAILED_BINDING_NO_CLASS)
            self.update_claim_status(claim, "Pending", None)
            return
        name = spec["volumeName"]
        volume = self.api.store.get("PersistentVolume", "", name)
        if volume is None:              # the volume it asks for does not exist (yet)
            self.update_claim_status(claim, "Pending", None)
            return
        if not (volume.get("spec") or {}).get("claimRef"):
            reason = check_volume_satisfy_claim(volume, claim)
            if reason is not None:
                self.record(claim, "Warning", "VolumeMismatch",
                            f'Cannot bind to requested volume "{name}": {reason}')
                self.update_claim_status(claim, "Pending", None)
            else:
                self.bind(volume, claim)
            return
        if is_volume_bound_to_claim(volume, claim):
            self.bind(volume, claim)
            return
        self.record(claim, "Warning", "FailedBinding",
                    f'volume "{name}" already bound to a different claim.')
        if ANN_BOUND_BY_CONTROLLER not in (claim["metadata"].get("annotations") or {}):
            self.update_claim_status(claim, "Pending", None)

    def _sync_bound_claim(self, claim: dict) -> None:
        name = (claim.get("spec") or {}).get("volumeName")
        if not name:
            self._claim_lost(claim, "ClaimLost", "Bound claim has lost reference to "
                             "PersistentVolume. Data on the volume is lost!")
            return
        volume = self.api.store.get("PersistentVolume", "", name)
        if volume is None:
            self._claim_lost(claim, "ClaimLost",
                             "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
            return
        ref = (volume.get("spec") or {}).get("claimRef")
        if not ref or ref.get("uid") == claim["metadata"].get("uid"):
            self.bind(volume, claim)    # fix a half-done binding, or confirm it
            return
        self._claim_lost(claim, "ClaimMisbound",
                         "Two claims are bound to the same volume, this one is bound incorrectly")

    def _claim_lost(self, claim: dict, reason: str, message: str) -> None:
        """updateClaimStatusWithEvent: the event only when the phase changes."""
        if (claim.get("status") or {}).get("phase") == "Lost":
            return
        claim = self.update_claim_status(claim, "Lost", None)
        self.record(claim, "Warning", reason, message)

    def _emit_event_for_unbound_delay_binding_claim(self, claim: dict) -> None:
        meta = claim["metadata"]
        waiting = []
        for pod_name in self.pods.pods(meta.get("namespace", ""), meta["name"]):
            pod = self.api.store.get("Pod", meta.get("namespace", ""), pod_name)
            if pod is not None and not pod["spec"].get("nodeName") and \
                    (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                waiting.append(pod_name)
        if not waiting:
            self.record(claim, "Normal", "WaitForFirstConsumer",
                        "waiting for first consumer to be created before binding")
        elif len(waiting) == 1:
            self.record(claim, "Normal", "WaitForPodScheduled",
                        f"waiting for pod {waiting[0]} to be scheduled")
        else:
            self.record(claim, "Normal", "WaitForPodScheduled",
                        f"waiting for pods {','.join(waiting)} to be scheduled")

    def _assign_default_storage_class(self, claim: dict) -> bool:
        """Retroactive default StorageClass (GA in 1.28): a claim created without a class,
        before any class was default, gets the default class once there is one."""
        if claim_has_class(claim):
            return False
        default = default_class(self.api.store.list("StorageClass"))
        if default is None:
            return False
        spec = put_in_go_order(claim.get("spec") or {}, core.PersistentVolumeClaimSpec,
                               {"storageClassName": default["metadata"]["name"]})
        self.api.update({**claim, "spec": spec})
        return True

    # -- binding ---------------------------------------------------------------
    def bind(self, volume: dict, claim: dict) -> None:
        """bind: the volume's side first, then the claim's, as upstream saves them."""
        volume = self._bind_volume_to_claim(volume, claim)
        volume = self.update_volume_phase(volume, "Bound")
        claim = self._bind_claim_to_volume(claim, volume)
        self.update_claim_status(claim, "Bound", volume)

    def _bind_volume_to_claim(self, volume: dict, claim: dict) -> dict:
        """GetBindVolumeToClaim: claimRef to this claim (uid included), and
        bound-by-controller unless the user pre-bound it."""
        spec, meta = volume.get("spec") or {}, volume["metadata"]
        ref = spec.get("claimRef") or {}
        claim_meta = claim["metadata"]
        set_by_controller = not is_volume_bound_to_claim(volume, claim)
        changed = False
        if (ref.get("name"), ref.get("namespace") or "", ref.get("uid")) != \
                (claim_meta["name"], claim_meta.get("namespace", ""), claim_meta.get("uid")):
            spec = {**spec, "claimRef": claim_reference(claim)}
            changed = True
        annotations = meta.get("annotations") or {}
        if set_by_controller and ANN_BOUND_BY_CONTROLLER not in annotations:
            meta = {**meta, "annotations": {**annotations, ANN_BOUND_BY_CONTROLLER: "yes"}}
            changed = True
        if not changed:
            return volume
        return self.api.update({**volume, "metadata": meta, "spec": spec})

    def _bind_claim_to_volume(self, claim: dict, volume: dict) -> dict:
        meta, spec = claim["metadata"], claim.get("spec") or {}
        annotations = dict(meta.get("annotations") or {})
        changed = False
        if spec.get("volumeName") != volume["metadata"]["name"]:
            spec = put_in_go_order(spec, core.PersistentVolumeClaimSpec,
                                   {"volumeName": volume["metadata"]["name"]})
            annotations.setdefault(ANN_BOUND_BY_CONTROLLER, "yes")
            changed = True
        if ANN_BIND_COMPLETED not in annotations:
            annotations[ANN_BIND_COMPLETED] = "yes"
            changed = True
        if not changed:
            return claim
        return self.api.update({**claim, "metadata": {**meta, "annotations": annotations},
                                "spec": spec})

    def update_claim_status(self, claim: dict, phase: str, volume: dict | None) -> dict:
        """updateClaimStatus: the phase, and the volume's access modes and capacity."""
        status = dict(claim.get("status") or {})
        old_phase = status.get("phase")
        updates: dict = {}
        dirty = old_phase != phase
        if dirty:
            updates["phase"] = phase
        if volume is None:
            for key in ("accessModes", "capacity"):
                if status.get(key) is not None:
                    del status[key]
                    dirty = True
        else:
            vspec = volume.get("spec") or {}
            if status.get("accessModes") != vspec.get("accessModes"):
                updates["accessModes"] = vspec.get("accessModes")
            if old_phase != phase and status.get("capacity") != vspec.get("capacity"):
                updates["capacity"] = vspec.get("capacity")
        if not dirty and not updates:
            return claim
        status = put_in_go_order(status, core.PersistentVolumeClaimStatus, updates)
        return self.api.update_status({**claim, "status": status})

    def update_volume_phase(self, volume: dict, phase: str, message: str = "") -> dict:
        status = volume.get("status") or {}
        if status.get("phase") == phase:
            return volume
        status = {k: v for k, v in status.items() if k != "message"}
        updates = {"phase": phase, **({"message": message} if message else {})}
        status = put_in_go_order(status, core.PersistentVolumeStatus, updates)
        return self.api.update_status({**volume, "status": status})

    def update_volume_phase_with_event(self, volume: dict, phase: str, type_: str, reason: str,
                                       message: str) -> dict:
        if (volume.get("status") or {}).get("phase") == phase:
            return volume
        volume = self.update_volume_phase(volume, phase, message)
        self.record(volume, type_, reason, message)
        return volume

    # -- volumes ---------------------------------------------------------------
    def sync_volume(self, volume: dict) -> None:
        from kubelearn.controllers.persistentvolume_reclaim import reclaim_volume, unbind_volume

        spec = volume.get("spec") or {}
        ref = spec.get("claimRef")
        if not ref or not ref.get("uid"):   # unused, or pre-bound to a claim not bound yet
            self.update_volume_phase(volume, "Available")
            return
        claim = self.api.store.get("PersistentVolumeClaim", ref.get("namespace", ""),
                                   ref.get("name", ""))
        if claim is not None and claim["metadata"].get("uid") != ref.get("uid"):
            claim = None                # the claim was deleted and made again under its name
        phase = (volume.get("status") or {}).get("phase")
        if claim is None:
            if phase not in ("Released", "Failed"):
                volume = self.update_volume_phase(volume, "Released")
            reclaim_volume(self, volume)
            return
        claim_spec = claim.get("spec") or {}
        if not claim_spec.get("volumeName"):
            if volume_mode_mismatch(claim, volume):
                self.record(volume, "Warning", "VolumeMismatch", "Cannot bind PersistentVolume to "
                            f'requested PersistentVolumeClaim "{claim["metadata"]["name"]}" due '
                            "to incompatible volumeMode.")
                self.record(claim, "Warning", "VolumeMismatch", "Cannot bind PersistentVolume "
                            f'"{volume["metadata"]["name"]}" to requested PersistentVolumeClaim '
                            "due to incompatible volumeMode.")
                return
            self.enqueue(("claim", claim["metadata"].get("namespace", ""),
                          claim["metadata"]["name"]))
            return
        if claim_spec["volumeName"] == volume["metadata"]["name"]:
            self.update_volume_phase(volume, "Bound")
            return
        annotations = volume["metadata"].get("annotations") or {}
        if ANN_DYNAMICALLY_PROVISIONED in annotations and \
                spec.get("persistentVolumeReclaimPolicy") == "Delete":
            if phase not in ("Released", "Failed"):
                volume = self.update_volume_phase(volume, "Released")
            reclaim_volume(self, volume)
            return
        unbind_volume(self, volume)
