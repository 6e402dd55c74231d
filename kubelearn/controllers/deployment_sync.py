"""The Deployment controller's shared steps, after upstream's ``deployment/sync.go``.

Finding and creating the new ReplicaSet (``get_new_replica_set``, with the
``pod-template-hash`` label, revision annotations and hash-collision handling),
scaling (``sync``, ``scale``, ``scale_replica_set_and_record_event`` with its
``ScalingReplicaSet`` event), cleaning up old revisions, and the status
(``calculate_status``, ``sync_status``). ``DeploymentController`` mixes these in.
"""
from __future__ import annotations

from kubelearn.api.podutil import controller_ref, new_controller_ref
from kubelearn.apiserver import errors
from kubelearn.controllers import deployment_util as util

COMPONENT = "deployment-controller"


class SyncMixin:
    """Methods of the deployment controller that every strategy uses."""

    def get_all_replica_sets_and_sync_revision(self, d: dict, rs_list: list[dict],
                                               create: bool) -> tuple[dict | None, list[dict]]:
        new_rs = find_new_replica_set(d, rs_list)
        old_rss = [rs for rs in rs_list if rs is not new_rs]
        new_rs = self.get_new_replica_set(d, rs_list, old_rss, create)
        if new_rs is not None:
            old_rss = [rs for rs in old_rss if rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
        return new_rs, old_rss

    def get_new_replica_set(self, d: dict, rs_list: list[dict], old_rss: list[dict],
                            create: bool) -> dict | None:
        """getNewReplicaSet: sync the existing new ReplicaSet's annotations, or create it."""
        existing = self._fresh_one(find_new_replica_set(d, rs_list))
        new_revision = util.max_revision(old_rss) + 1
        if existing is not None:
            annotations = dict(existing["metadata"].get("annotations") or {})
            changed = util.set_new_rs_annotations(d, annotations, new_revision, exists=True)
            min_ready = d["spec"].get("minReadySeconds", 0)
            if changed or existing["spec"].get("minReadySeconds", 0) != min_ready:
                spec = {**existing["spec"], "minReadySeconds": min_ready}
                if not min_ready:
                    spec.pop("minReadySeconds")
                return self.api.update({**existing, "metadata": {
                    **existing["metadata"], "annotations": annotations}, "spec": spec})
            status = dict(d.get("status") or {})
            needs_update = self._set_revision(d, annotations.get(util.REVISION_ANNOTATION, ""))
            if util.has_progress_deadline(d) and util.get_condition(status, "Progressing") is None:
                util.set_condition(status, util.new_condition(
                    "Progressing", "True", util.FOUND_NEW_RS_REASON,
                    f'Found new replica set "{existing["metadata"]["name"]}"', self.clock.now))
                needs_update = True
            if needs_update:
                self._write_status(d, status)
            return existing
        if not create:
            return None
        return self._create_new_replica_set(d, old_rss, new_revision)

    def _create_new_replica_set(self, d: dict, old_rss: list[dict], new_revision: int):
        status = dict(d.get("status") or {})
        template = d["spec"]["template"]
        pod_hash = util.compute_hash(template, status.get("collisionCount"))
        tmeta = dict(template.get("metadata") or {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}),
                           util.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY: pod_hash}
        selector = dict(d["spec"]["selector"])
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}),
                                   util.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY: pod_hash}
        namespace = d["metadata"].get("namespace", "")
        name = f"{d['metadata']['name']}-{pod_hash}"
        spec = {"replicas": 0, "selector": selector,
                "template": {**template, "metadata": tmeta}}
        if d["spec"].get("minReadySeconds"):
            spec["minReadySeconds"] = d["spec"]["minReadySeconds"]
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"name": name, "namespace": namespace, "labels": dict(tmeta["labels"]),
                           "ownerReferences": [new_controller_ref(d)]},
              "spec": spec}
        replicas = new_rs_new_replicas(d, old_rss + [rs], rs)
        rs["spec"]["replicas"] = replicas
        annotations: dict = {}
        util.set_new_rs_annotations(d, annotations, new_revision, exists=False)
        rs["metadata"]["annotations"] = annotations
        try:
            created = self.api.create(rs)
        except errors.StatusError as err:
            if err.reason != "AlreadyExists":
                return self._failed_create(d, status, name, err)
            found = self.api.store.get("ReplicaSet", namespace, name)
            ref = controller_ref(found) if found is not None else None
            if ref is not None and ref.get("uid") == d["metadata"]["uid"] and \
                    util.equal_ignore_hash(d["spec"]["template"], found["spec"]["template"]):
                return found
            status["collisionCount"] = status.get("collisionCount", 0) + 1
            self._write_status(d, status)
            return None         # the status write brings us back with a new hash
        if replicas > 0:
            self.cluster.events.record(d, "Normal", "ScalingReplicaSet",
                                       f"Scaled up replica set {name} from 0 to {replicas}",
                                       COMPONENT)
        self._set_revision(d, str(new_revision))
        if util.has_progress_deadline(d):
            util.set_condition(status, util.new_condition(
                "Progressing", "True", util.NEW_RS_REASON, f'Created new replica set "{name}"',
                self.clock.now))
        self._write_status(d, status)
        return created

    def _failed_create(self, d: dict, status: dict, name: str, err) -> None:
        msg = f'Failed to create new replica set "{name}": {err.message}'
        if util.has_progress_deadline(d):
            util.set_condition(status, util.new_condition(
                "Progressing", "False", util.FAILED_RS_CREATE_REASON, msg, self.clock.now))
            self._write_status(d, status)
        self.cluster.events.record(d, "Warning", util.FAILED_RS_CREATE_REASON, msg, COMPONENT)
        return None

    def is_scaling_event(self, d: dict, rs_list: list[dict]) -> bool:
        """isScalingEvent: an active ReplicaSet was sized for another ``spec.replicas``."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        for rs in util.filter_active(old_rss + [new_rs]):
            desired = (rs["metadata"].get("annotations") or {}).get(
                util.DESIRED_REPLICAS_ANNOTATION)
            if desired is not None and desired != str(util.replicas_of(d)):
                return True
        return False

    def sync(self, d: dict, rs_list: list[dict]) -> float | None:
        """sync: scale, and clean up when paused; then the status."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.scale(d, new_rs, old_rss)
        if d["spec"].get("paused"):
            self.cleanup_deployment(old_rss, d)
        return self.sync_status(old_rss + [new_rs], new_rs, d)

    def scale(self, d: dict, new_rs: dict | None, old_rss: list[dict]) -> None:
        """scale: the one active (or newest) ReplicaSet takes ``spec.replicas``; during a
        RollingUpdate the change is shared out in proportion to each active ReplicaSet's
        size (proportional scaling), the leftover going to the largest one."""
        target = find_active_or_latest(new_rs, old_rss)
        if target is not None:
            if util.replicas_of(target) != util.replicas_of(d):
                self.scale_replica_set_and_record_event(target, util.replicas_of(d), d)
            return
        if new_rs is not None and is_saturated(d, new_rs):
            for old in util.filter_active(old_rss):
                self.scale_replica_set_and_record_event(old, 0, d)
            return
        if not util.is_rolling_update(d):
            return
        active = util.filter_active(old_rss + [new_rs])
        allowed = util.replicas_of(d) + util.max_surge(d) if util.replicas_of(d) > 0 else 0
        to_add = allowed - util.spec_replicas(active)
        operation = ""
        if to_add > 0:      # ReplicaSetsBySizeNewer
            active.sort(key=util.by_creation, reverse=True)
            active.sort(key=util.replicas_of, reverse=True)
            operation = "up"
        elif to_add < 0:    # ReplicaSetsBySizeOlder
            active.sort(key=util.by_creation)
            active.sort(key=util.replicas_of, reverse=True)
            operation = "down"
        added = 0
        sizes = []
        for rs in active:
            proportion = util.get_replica_set_proportion(rs, d, to_add, added) if to_add else 0
            sizes.append(util.replicas_of(rs) + proportion)
            added += proportion
        for i, rs in enumerate(active):
            size = sizes[i]
            if i == 0 and to_add:
                size = max(size + to_add - added, 0)     # leftovers to the largest
            self.scale_replica_set(rs, size, d, operation)

    def scale_replica_set_and_record_event(self, rs: dict, new_scale: int, d: dict) -> bool:
        """scaleReplicaSetAndRecordEvent: nothing to do at the same size."""
        rs = self._fresh_one(rs)
        old_scale = util.replicas_of(rs)
        if old_scale == new_scale:
            return False
        return self.scale_replica_set(rs, new_scale, d, "up" if old_scale < new_scale else "down")

    def scale_replica_set(self, rs: dict, new_scale: int, d: dict, operation: str) -> bool:
        """scaleReplicaSet: size and replica annotations in one update, and the
        ``ScalingReplicaSet`` event when the size changed."""
        rs = self._fresh_one(rs)
        old_scale = util.replicas_of(rs)
        annotations = dict(rs["metadata"].get("annotations") or {})
        annotations_changed = util.set_replicas_annotations(
            annotations, util.replicas_of(d), util.replicas_of(d) + util.max_surge(d))
        if old_scale == new_scale and not annotations_changed:
            return False
        updated = {**rs, "metadata": {**rs["metadata"], "annotations": annotations},
                   "spec": {**rs["spec"], "replicas": new_scale}}
        self.api.update(updated)
        if old_scale == new_scale:
            return False
        self.cluster.events.record(
            d, "Normal", "ScalingReplicaSet",
            f"Scaled {operation} replica set {rs['metadata']['name']} from {old_scale} "
            f"to {new_scale}", COMPONENT)
        return True

    def cleanup_deployment(self, old_rss: list[dict], d: dict) -> None:
        """Delete old ReplicaSets (scaled to 0) beyond ``revisionHistoryLimit``, oldest first."""
        limit = d["spec"].get("revisionHistoryLimit")
        if limit is None:
            return
        alive = [rs for rs in self._fresh(old_rss) if rs is not None
                 and not rs["metadata"].get("deletionTimestamp")]
        diff = len(alive) - limit
        if diff <= 0:
            return
        alive.sort(key=lambda rs: (util.revision(rs), util.by_creation(rs)))
        for rs in alive[:diff]:
            status = rs.get("status") or {}
            if status.get("replicas", 0) or util.replicas_of(rs) or \
                    (rs["metadata"].get("generation") or 0) > status.get("observedGeneration", 0):
                continue
            try:
                self.api.delete("ReplicaSet", rs["metadata"]["name"],
                                rs["metadata"].get("namespace", ""))
            except errors.StatusError:
                pass

    # -- status ------------------------------------------------------------------
    def calculate_status(self, all_rss: list, new_rs: dict | None, d: dict) -> dict:
        old = d.get("status") or {}
        available = util.available_replicas(all_rss)
        unavailable = max(util.spec_replicas(all_rss) - available, 0)
        status: dict = {}
        if available:
            status["availableReplicas"] = available
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        if old.get("conditions"):
            status["conditions"] = list(old["conditions"])
        if d["metadata"].get("generation"):
            status["observedGeneration"] = d["metadata"]["generation"]
        for key, value in (("readyReplicas", util.ready_replicas(all_rss)),
                           ("replicas", util.actual_replicas(all_rss)),
                           ("unavailableReplicas", unavailable),
                           ("updatedReplicas", util.actual_replicas([new_rs]))):
            if value:
                status[key] = value
        if available >= util.replicas_of(d) - util.max_unavailable(d):
            util.set_condition(status, util.new_condition(
                "Available", "True", util.MINIMUM_REPLICAS_AVAILABLE,
                "Deployment has minimum availability.", self.clock.now))
        else:
            util.set_condition(status, util.new_condition(
                "Available", "False", util.MINIMUM_REPLICAS_UNAVAILABLE,
                "Deployment does not have minimum availability.", self.clock.now))
        return status

    def sync_status(self, all_rss: list, new_rs: dict | None, d: dict) -> None:
        """syncDeploymentStatus: recompute and write the status if it changed."""
        d = self._fresh_one(d)
        status = self.calculate_status(all_rss, new_rs, d)
        if status != (d.get("status") or {}):
            self._write_status(d, status)
        return None

    # -- writes ----------------------------------------------------------------
    def _set_revision(self, d: dict, revision: str) -> bool:
        """SetDeploymentRevision: the Deployment's revision annotation."""
        current = self._fresh_one(d)
        annotations = dict(current["metadata"].get("annotations") or {})
        if not revision or annotations.get(util.REVISION_ANNOTATION) == revision:
            return False
        annotations[util.REVISION_ANNOTATION] = revision
        self.api.write_metadata(current, {**current["metadata"], "annotations": annotations})
        return True

    def _write_status(self, d: dict, status: dict) -> dict:
        current = self._fresh_one(d)
        return self.api.update_status({**current, "status": status})

    def _fresh_one(self, obj: dict | None) -> dict | None:
        if obj is None:
            return None
        meta = obj["metadata"]
        return self.api.store.get(obj["kind"], meta.get("namespace", ""), meta["name"]) or obj

    def _fresh(self, objs: list) -> list:
        return [self._fresh_one(o) for o in objs]


def find_new_replica_set(d: dict, rs_list: list[dict]) -> dict | None:
    """FindNewReplicaSet: the oldest ReplicaSet with the Deployment's template."""
    for rs in sorted(rs_list, key=util.by_creation):
        if util.equal_ignore_hash(rs["spec"].get("template") or {}, d["spec"]["template"]):
            return rs
    return None


def find_active_or_latest(new_rs: dict | None, old_rss: list[dict]) -> dict | None:
    """FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active."""
    if new_rs is None and not old_rss:
        return None
    olds = sorted(old_rss, key=util.by_creation, reverse=True)
    active = util.filter_active(olds + [new_rs])
    if not active:
        return new_rs if new_rs is not None else olds[0]
    return active[0] if len(active) == 1 else None


def is_saturated(d: dict, rs: dict) -> bool:
    desired = (rs["metadata"].get("annotations") or {}).get(util.DESIRED_REPLICAS_ANNOTATION)
    status = rs.get("status") or {}
    return desired == str(util.replicas_of(d)) and \
        util.replicas_of(rs) == util.replicas_of(d) and \
        status.get("availableReplicas", 0) == util.replicas_of(d)


def new_rs_new_replicas(d: dict, all_rss: list[dict], new_rs: dict) -> int:
    """NewRSNewReplicas: how big a ReplicaSet starts."""
    replicas = util.replicas_of(d)
    if not util.is_rolling_update(d):
        return replicas
    max_total = replicas + util.max_surge(d)
    current = util.spec_replicas(all_rss)
    if current >= max_total:
        return util.replicas_of(new_rs)
    return util.replicas_of(new_rs) + min(max_total - current, replicas - util.replicas_of(new_rs))
