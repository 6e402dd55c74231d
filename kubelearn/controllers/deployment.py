"""Deployment controller: a Deployment owns ReplicaSets, one per pod template.

The steps and names follow upstream's ``syncDeployment``:

1. ``get_replica_sets_for_deployment``: claim the ReplicaSets the selector takes.
2. a paused Deployment, or one whose ``spec.replicas`` changed, is only scaled
   (``sync`` / ``scale``, proportionally during a RollingUpdate); a
   ``deprecated.deployment.rollback.to`` annotation is a ``rollback``;
3. otherwise the strategy rolls out: ``get_new_replica_set`` finds the
   ReplicaSet whose template equals the Deployment's (ignoring the
   ``pod-template-hash`` label) or creates ``<name>-<hash>`` with that label
   added to its selector and template, with the revision annotations;
4. status is always recomputed (``sync_rollout_status`` / ``sync_status``):
   replicas, updated, ready, available, and the Available/Progressing
   conditions with upstream's reasons and messages.

As upstream splits the controller over files, so does kubelearn: this module
has the event handlers, ``sync_deployment`` and ``rollout_recreate``
(recreate.go); ``deployment_rolling`` the RollingUpdate steps (rolling.go),
``deployment_rollback`` the annotation-driven rollback (rollback.go),
``deployment_sync`` the shared steps and proportional scaling (sync.go),
``deployment_progress`` the Progressing verdict (progress.go),
``deployment_util`` the helpers (util/).
"""
from __future__ import annotations

from kubelearn.api.podutil import controller_ref, is_pod_terminal
from kubelearn.api.selector import SelectorError, selector_from_label_selector
from kubelearn.controllers import deployment_util as util
from kubelearn.controllers.base import Controller
from kubelearn.controllers.controller_utils import claim
from kubelearn.controllers.deployment_progress import ProgressMixin
from kubelearn.controllers.deployment_rollback import RollbackMixin, get_rollback_to
from kubelearn.controllers.deployment_rolling import RollingMixin
from kubelearn.controllers.deployment_sync import COMPONENT, SyncMixin


class DeploymentController(SyncMixin, ProgressMixin, RollingMixin, RollbackMixin, Controller):
    name = COMPONENT
    watches = ("Deployment", "ReplicaSet", "Pod")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self._deadline_timers: dict[tuple[str, str], object] = {}

    # -- events ------------------------------------------------------------
    def keys_for(self, event):
        obj = event.obj
        meta = obj["metadata"]
        namespace = meta.get("namespace", "")
        if event.kind == "Deployment":
            if event.type == "MODIFIED" and event.old is not None \
                    and event.old.get("spec") == obj.get("spec") \
                    and _same_watched_metadata(event.old, obj):
                return ()       # our own status or revision write
            return ((namespace, meta["name"]),)
        if event.kind == "ReplicaSet":
            return self._deployments_for_replica_set(event)
        if event.type != "DELETED":
            return ()
        # A pod is gone: a Recreate rollout may have been waiting for it.
        ref = controller_ref(obj)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return ()
        rs = self.api.store.get("ReplicaSet", namespace, ref.get("name", ""))
        owner = controller_ref(rs) if rs is not None else None
        if owner is not None and owner.get("kind") == "Deployment":
            return ((namespace, owner["name"]),)
        return ()

    def _deployments_for_replica_set(self, event):
        rs = event.obj
        namespace = rs["metadata"].get("namespace", "")
        keys = []
        for candidate in (event.old, rs):
            ref = controller_ref(candidate) if candidate is not None else None
            if ref is not None and ref.get("kind") == "Deployment":
                keys.append((namespace, ref["name"]))
        if keys or event.type == "DELETED":
            return list(dict.fromkeys(keys))
        labels = rs["metadata"].get("labels") or {}
        if event.old is not None and (event.old["metadata"].get("labels") or {}) == labels:
            return keys         # an orphan that did not change: nothing new to adopt
        for d in self.api.list("Deployment", namespace):
            selector = _selector(d)
            if selector is not None and not selector.empty and selector.matches(labels):
                keys.append((namespace, d["metadata"]["name"]))
        return keys

    # -- sync ----------------------------------------------------------------
    def reconcile(self, key):
        return self.sync_deployment(key)

    def sync_deployment(self, key) -> float | None:
        namespace, name = key
        d = self.api.store.get("Deployment", namespace, name)
        if d is None:
            return None
        selector = _selector(d)
        if selector is None:
            return None
        if selector.empty:
            self.cluster.events.record(d, "Warning", "SelectingAll",
                                       "This deployment is selecting all pods. A non-empty "
                                       "selector is required.", COMPONENT)
            status = d.get("status") or {}
            if status.get("observedGeneration", 0) < (d["metadata"].get("generation") or 0):
                self.api.update_status({**d, "status": {
                    **status, "observedGeneration": d["metadata"]["generation"]}})
            return None
        rs_list = self.get_replica_sets_for_deployment(d, selector)
        if d["metadata"].get("deletionTimestamp"):
            new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
            return self.sync_status(old_rss + [new_rs], new_rs, d)
        d = self.check_paused_conditions(d)
        if d["spec"].get("paused"):
            return self.sync(d, rs_list)
        if get_rollback_to(d) is not None:
            return self.rollback(d, rs_list)
        if self.is_scaling_event(d, rs_list):
            return self.sync(d, rs_list)
        if (d["spec"].get("strategy") or {}).get("type") == "Recreate":
            return self.rollout_recreate(d, rs_list)
        return self.rollout_rolling(d, rs_list)

    def get_replica_sets_for_deployment(self, d: dict, selector) -> list[dict]:
        """Adopt matching orphan ReplicaSets, release the ones that no longer match."""
        candidates = self.api.list("ReplicaSet", d["metadata"].get("namespace", ""))
        return claim(self.api, d, candidates, selector.matches)

    # -- strategies ------------------------------------------------------------
    def rollout_recreate(self, d: dict, rs_list: list[dict]) -> float | None:
        """rolloutRecreate: old ReplicaSets to 0, wait for their pods, then the new one up."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        scaled_down = False
        for rs in util.filter_active(old_rss):
            scaled_down = self.scale_replica_set_and_record_event(rs, 0, d) or scaled_down
        if scaled_down or self.old_pods_running(new_rs, old_rss):
            return self.sync_rollout_status(self._fresh(old_rss + [new_rs]), new_rs, d)
        if new_rs is None:
            new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(
                self._fresh_one(d), self._fresh(rs_list), True)
            d = self._fresh_one(d)
        if new_rs is not None:
            self.scale_replica_set_and_record_event(new_rs, util.replicas_of(d), d)
        d = self._fresh_one(d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(self._fresh(old_rss + [new_rs]), self._fresh_one(new_rs), d)
        # Upstream's next sync (woken by this very status write) cleans up a finished
        # rollout; kubelearn does not wake itself for its own status writes, so it
        # looks once more here.
        d = self._fresh_one(d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        return None

    def old_pods_running(self, new_rs: dict | None, old_rss: list[dict]) -> bool:
        """oldPodsRunning: any pod of an old ReplicaSet not yet in a terminal phase."""
        if util.actual_replicas(old_rss) > 0:
            return True
        for rs in old_rss:
            uid = rs["metadata"]["uid"]
            for kind, namespace, name in self.api.store.dependents(uid):
                pod = self.api.store.get(kind, namespace, name) if kind == "Pod" else None
                ref = controller_ref(pod) if pod is not None else None
                if ref is not None and ref.get("uid") == uid and not is_pod_terminal(pod):
                    return True
        return False


def _same_watched_metadata(old: dict, new: dict) -> bool:
    """``_watched_metadata`` of both is equal. A status write carries the annotations
    dict over unchanged, so most writes are answered without building either tuple."""
    old_meta, new_meta = old["metadata"], new["metadata"]
    if old_meta.get("annotations") is new_meta.get("annotations"):
        return old_meta.get("deletionTimestamp") == new_meta.get("deletionTimestamp")
    return _watched_metadata(old) == _watched_metadata(new)


def _watched_metadata(d: dict) -> tuple:
    """What in a Deployment's metadata matters to a sync: deletion and copied annotations."""
    meta = d["metadata"]
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items()
                   if k != util.REVISION_ANNOTATION}
    return meta.get("deletionTimestamp"), annotations


_SELECTORS: dict[int, tuple[dict, object]] = {}
_SELECTORS_SIZE = 256


def _selector(d: dict):
    """The Deployment's parsed selector (None when invalid), parsed once per stored
    selector: every sync and every ReplicaSet event asks for it again."""
    raw = (d.get("spec") or {}).get("selector")
    known = _SELECTORS.get(id(raw))
    if known is not None and known[0] is raw:
        return known[1]
    try:
        selector = selector_from_label_selector(raw)
    except SelectorError:
        selector = None
    if len(_SELECTORS) >= _SELECTORS_SIZE:
        _SELECTORS.clear()
    _SELECTORS[id(raw)] = (raw, selector)
    return selector
