"""ReplicaSet controller: keep ``spec.replicas`` pods alive.

As upstream's ``syncReplicaSet``: claim the pods (adopt matching orphans,
release pods whose labels no longer match), compare the active ones with
``spec.replicas``, create the missing ones from the template (``<rs>-<5
chars>``, owned by the ReplicaSet, at most 500 per sync and in slow-start
batches) or delete the surplus in upstream's victim order (unscheduled first,
then pending, not ready, doubled-up on a node, recently ready, restarted,
newest), and write the status.

A pod event tells the controller which ReplicaSet it concerns through the
pod's controller reference, and the controller keeps, per ReplicaSet, its
pods and running totals (active, ready, fully labelled), updated from those
events as an informer's index would be. A sync therefore costs the same for
3 replicas and for 10,000; only scaling down (choosing victims) and claiming
(after the selector or a pod's labels change) look at the pods themselves.
"""
from __future__ import annotations

from kubelearn.api.podutil import (controller_ref, is_pod_active, is_pod_available, is_pod_ready,
                                   new_controller_ref)
from kubelearn.api.selector import SelectorError, selector_from_label_selector
from kubelearn.clock import rfc3339
from kubelearn.controllers.base import Controller
from kubelearn.controllers.controller_utils import (SLOW_START_INITIAL_BATCH_SIZE, PodControl,
                                                    claim, get_pod_from_template,
                                                    pods_to_delete, slow_start_batch)

BURST_REPLICAS = 500


class _Owned:
    """The pods one ReplicaSet controls and their totals: [active, ready, fully labelled]."""

    __slots__ = ("pods", "totals", "template_labels")

    def __init__(self, template_labels: dict):
        self.pods: dict[tuple[str, str], tuple[dict, tuple[int, int, int]]] = {}
        self.totals = [0, 0, 0]
        self.template_labels = template_labels

    def contribution(self, pod: dict, previous: tuple | None = None) -> tuple[int, int, int]:
        """What the pod adds to the totals. ``previous`` is the (pod, contribution) entry of
        its last version: when that version had the very same labels dict (a status or
        binding write keeps it), whether it is fully labelled is already known."""
        if not is_pod_active(pod):
            return 0, 0, 0
        labels = pod["metadata"].get("labels")
        if previous is not None and previous[1][0] and previous[0]["metadata"].get(
                "labels") is labels:
            labeled = previous[1][2]
        else:
            labels = labels or {}
            labeled = int(all(labels.get(k) == v for k, v in self.template_labels.items()))
        return 1, int(is_pod_ready(pod)), labeled

    def put(self, key, pod: dict) -> bool:
        """Record the pod's latest version; True when the totals changed."""
        old = self.pods.get(key)
        new = self.contribution(pod, old)
        self.pods[key] = (pod, new)
        before = old[1] if old else (0, 0, 0)
        if before != new:
            for i in range(3):
                self.totals[i] += new[i] - before[i]
            return True
        return old is None

    def remove(self, key) -> None:
        old = self.pods.pop(key, None)
        if old is not None:
            for i in range(3):
                self.totals[i] -= old[1][i]

    def relabel(self, template_labels: dict) -> None:
        self.template_labels = template_labels
        for key, (pod, _) in list(self.pods.items()):
            self.remove(key)
            self.put(key, pod)

    def active_pods(self) -> list[dict]:
        return [pod for pod, contribution in self.pods.values() if contribution[0]]


class ReplicaSetController(Controller):
    name = "replicaset-controller"
    watches = ("ReplicaSet", "Pod")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.pod_control = PodControl(self)
        self.burst_replicas = BURST_REPLICAS
        self._owned: dict[str, _Owned] = {}             # ReplicaSet uid -> its pods
        self._pod_owner: dict[tuple[str, str], str] = {}  # pod key -> ReplicaSet uid
        self._rs_key: dict[str, tuple[str, str]] = {}    # ReplicaSet uid -> key
        self._needs_claim: set[tuple[str, str]] = set()
        self._selectors: dict[str, tuple] = {}

    # -- events ------------------------------------------------------------
    def keys_for(self, event):
        if event.kind == "ReplicaSet":
            return self._on_replica_set(event)
        return self._on_pod(event)

    def _on_replica_set(self, event):
        meta = event.obj["metadata"]
        key, uid = (meta.get("namespace", ""), meta["name"]), meta["uid"]
        if event.type == "DELETED":
            self._owned.pop(uid, None)
            self._rs_key.pop(uid, None)
            self._selectors.pop(uid, None)
            self._needs_claim.discard(key)
            return ()
        self._rs_key[uid] = key
        self._ensure_owned(event.obj)
        old = event.old
        if old is not None and old.get("spec") == event.obj.get("spec") and \
                old["metadata"].get("deletionTimestamp") == meta.get("deletionTimestamp"):
            return ()       # a status (or owner) write: nothing for us to do
        if old is None or (old.get("spec") or {}).get("selector") != \
                (event.obj.get("spec") or {}).get("selector"):
            self._needs_claim.add(key)
        return (key,)

    def _on_pod(self, event):
        pod = event.obj
        meta = pod["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        keys = []
        old_uid = self._pod_owner.get(key)
        ref = None if event.type == "DELETED" else controller_ref(pod)
        new_uid = ref.get("uid") if ref is not None and ref.get("kind") == "ReplicaSet" \
            and ref.get("uid") in self._rs_key else None
        if old_uid is not None and old_uid != new_uid:
            owned = self._owned.get(old_uid)
            if owned is not None:
                owned.remove(key)
            del self._pod_owner[key]
            if old_uid in self._rs_key:
                keys.append(self._rs_key[old_uid])
        if new_uid is not None:
            owned = self._owned.get(new_uid)
            if owned is not None:
                self._pod_owner[key] = new_uid
                if owned.put(key, pod):
                    keys.append(self._rs_key[new_uid])
                old_labels = (event.old or {}).get("metadata", {}).get("labels")
                if event.old is not None and old_labels != meta.get("labels"):
                    self._needs_claim.add(self._rs_key[new_uid])
                    keys.append(self._rs_key[new_uid])
            else:
                keys.append(self._rs_key[new_uid])
        elif ref is None and event.type != "DELETED" and not meta.get("deletionTimestamp"):
            old_labels = (event.old or {}).get("metadata", {}).get("labels")
            if event.old is None or old_uid is not None or old_labels != meta.get("labels"):
                keys += self._replica_sets_for_orphan(pod)
        return keys

    def _replica_sets_for_orphan(self, pod: dict) -> list[tuple[str, str]]:
        """getPodReplicaSets: ReplicaSets of the namespace whose selector takes this orphan."""
        labels = pod["metadata"].get("labels") or {}
        keys = []
        for rs in self.api.list("ReplicaSet", pod["metadata"].get("namespace", "")):
            selector = self._selector(rs)
            if selector is not None and not selector.empty and selector.matches(labels):
                key = (rs["metadata"].get("namespace", ""), rs["metadata"]["name"])
                self._needs_claim.add(key)
                keys.append(key)
        return keys

    # -- sync ----------------------------------------------------------------
    def reconcile(self, key):
        """syncReplicaSet."""
        namespace, name = key
        rs = self.api.store.get("ReplicaSet", namespace, name)
        if rs is None:
            return None
        uid = rs["metadata"]["uid"]
        self._rs_key[uid] = key
        template_labels = ((rs["spec"].get("template") or {}).get("metadata") or {}).get(
            "labels") or {}
        owned = self._ensure_owned(rs)
        if owned.template_labels != template_labels:
            owned.relabel(template_labels)
        selector = self._selector(rs)
        if selector is None:
            return None         # an invalid selector: upstream logs it and gives up
        if key in self._needs_claim:
            self._needs_claim.discard(key)
            self._claim_pods(rs, owned, selector)
        error = None
        if not rs["metadata"].get("deletionTimestamp"):
            error = self.manage_replicas(rs, owned)
        return self.update_status(rs, owned, error)

    def _ensure_owned(self, rs: dict) -> _Owned:
        """The pod index of a ReplicaSet, filled from the store's owner index the first time."""
        uid = rs["metadata"]["uid"]
        owned = self._owned.get(uid)
        if owned is not None:
            return owned
        template_labels = ((rs["spec"].get("template") or {}).get("metadata") or {}).get(
            "labels") or {}
        owned = self._owned[uid] = _Owned(template_labels)
        for kind, namespace, name in self.api.store.dependents(uid):
            pod = self.api.store.get(kind, namespace, name) if kind == "Pod" else None
            ref = controller_ref(pod) if pod is not None else None
            if ref is not None and ref.get("uid") == uid:
                owned.put((namespace, name), pod)
                self._pod_owner[(namespace, name)] = uid
        return owned

    def _claim_pods(self, rs: dict, owned: _Owned, selector) -> None:
        namespace = rs["metadata"].get("namespace", "")
        candidates = {(p["metadata"]["namespace"], p["metadata"]["name"]): p
                      for p in self.api.list("Pod", namespace, selector)}
        for pkey, (pod, _) in list(owned.pods.items()):
            candidates.setdefault(pkey, pod)
        claim(self.api, rs, [candidates[k] for k in sorted(candidates)], selector.matches)

    def manage_replicas(self, rs: dict, owned: _Owned):
        """manageReplicas: create or delete pods toward ``spec.replicas``; the first error."""
        replicas = rs["spec"].get("replicas", 1)
        diff = owned.totals[0] - replicas
        key = (rs["metadata"].get("namespace", ""), rs["metadata"]["name"])
        if diff < 0:
            count = min(-diff, self.burst_replicas)
            template, ref = rs["spec"].get("template") or {}, new_controller_ref(rs)
            _, error = slow_start_batch(count, SLOW_START_INITIAL_BATCH_SIZE, lambda: (
                self.pod_control.create_pod(get_pod_from_template(template, rs, ref), rs)))
            if error is None and -diff > count:
                self.enqueue(key)
            return error
        if diff > 0:
            count = min(diff, self.burst_replicas)
            for pod in self.get_pods_to_delete(rs, owned, count):
                try:
                    self.pod_control.delete_pod(key[0], pod["metadata"]["name"], rs)
                except Exception as err:  # noqa: BLE001 - reported on the status
                    return err
            if diff > count:
                self.enqueue(key)
        return None

    def get_pods_to_delete(self, rs: dict, owned: _Owned, count: int) -> list[dict]:
        active = sorted(owned.active_pods(), key=lambda p: p["metadata"]["name"])
        if count >= len(active):
            return active
        return pods_to_delete(active, self._related_pods(rs, active), self.clock.now, count)

    def _related_pods(self, rs: dict, active: list[dict]) -> list[dict]:
        """getIndirectlyRelatedPods: the pods of every ReplicaSet of the same Deployment."""
        ref = controller_ref(rs)
        if ref is None:
            return active
        related = []
        for kind, namespace, name in self.api.store.dependents(ref.get("uid", "")):
            sibling = self.api.store.get(kind, namespace, name) if kind == "ReplicaSet" else None
            owned = self._owned.get(sibling["metadata"]["uid"]) if sibling is not None else None
            if owned is not None:
                related += owned.active_pods()
        return related or active

    def update_status(self, rs: dict, owned: _Owned, error) -> float | None:
        """calculateStatus + updateReplicaSetStatus (zero counts are omitted, as in JSON)."""
        active, ready, labeled = owned.totals
        min_ready = rs["spec"].get("minReadySeconds") or 0
        available = ready if not min_ready else sum(
            1 for pod in owned.active_pods() if is_pod_available(pod, min_ready, self.clock.now))
        old = rs.get("status") or {}
        conditions = [c for c in old.get("conditions") or () if c.get("type") != "ReplicaFailure"]
        failure = next((c for c in old.get("conditions") or ()
                        if c.get("type") == "ReplicaFailure"), None)
        if error is not None:
            if failure is None:
                diff = active - rs["spec"].get("replicas", 1)
                reason = "FailedCreate" if diff < 0 else "FailedDelete"
                failure = {"lastTransitionTime": rfc3339(self.clock.now),
                           "message": getattr(error, "message", str(error)),
                           "reason": reason, "status": "True", "type": "ReplicaFailure"}
            conditions.append(failure)
        status: dict = {}
        if available:
            status["availableReplicas"] = available
        if conditions:
            status["conditions"] = conditions
        if labeled:
            status["fullyLabeledReplicas"] = labeled
        if rs["metadata"].get("generation"):
            status["observedGeneration"] = rs["metadata"]["generation"]
        if ready:
            status["readyReplicas"] = ready
        status["replicas"] = active
        if status != old:
            self.api.update_status({**rs, "status": status})
        if min_ready and available < ready:
            return float(min_ready)
        return None

    def _selector(self, rs: dict):
        uid = rs["metadata"]["uid"]
        raw = (rs.get("spec") or {}).get("selector")
        cached = self._selectors.get(uid)
        if cached is not None and (cached[0] is raw or cached[0] == raw):
            return cached[1]
        try:
            selector = selector_from_label_selector(raw)
        except SelectorError:
            selector = None
        self._selectors[uid] = (raw, selector)
        return selector
