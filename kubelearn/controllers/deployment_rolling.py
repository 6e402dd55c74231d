"""The RollingUpdate strategy, after upstream's ``deployment/rolling.go``.

Each sync takes one step and stops as soon as it changed something:

1. ``reconcile_new_replica_set``: scale the new ReplicaSet up, never past
   ``replicas + maxSurge`` pods asked for in total (``new_rs_new_replicas``);
2. ``reconcile_old_replica_sets``: scale old ReplicaSets down, never below
   ``replicas - maxUnavailable`` available pods. Old pods that are not
   available are removed first (``cleanup_unhealthy_replicas``): they cost no
   availability and would otherwise block the rollout;
3. when the rollout is complete, old ReplicaSets beyond
   ``revisionHistoryLimit`` are deleted.

The next step comes when a ReplicaSet's status changes (a new pod becomes
available, an old one is gone), which brings the Deployment back into the
controller's queue. ``maxSurge`` rounds up and ``maxUnavailable`` down
(``deployment_util.resolve_fenceposts``); availability honours
``minReadySeconds`` because it is the ReplicaSets' ``availableReplicas``.
"""
from __future__ import annotations

from kubelearn.controllers import deployment_util as util
from kubelearn.controllers.deployment_sync import new_rs_new_replicas


class RollingMixin:
    """rolloutRolling and its steps; mixed into ``DeploymentController``."""

    def rollout_rolling(self, d: dict, rs_list: list[dict]) -> float | None:
        """rolloutRolling: one step up, or one step down, then the status."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
        if new_rs is None:                  # a hash collision: the status write brings us back
            return None
        d = self._fresh_one(d)
        all_rss = old_rss + [new_rs]
        if self.reconcile_new_replica_set(all_rss, new_rs, d):
            return self.sync_rollout_status(self._fresh(all_rss), self._fresh_one(new_rs), d)
        new_rs = self._fresh_one(new_rs)
        if self.reconcile_old_replica_sets(old_rss + [new_rs], util.filter_active(old_rss),
                                           new_rs, d):
            return self.sync_rollout_status(self._fresh(all_rss), new_rs, d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(self._fresh(all_rss), new_rs, d)
        # Upstream's next sync (woken by this very status write) cleans up a finished
        # rollout; kubelearn does not wake itself for its own status writes.
        d = self._fresh_one(d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        return None

    def reconcile_new_replica_set(self, all_rss: list[dict], new_rs: dict, d: dict) -> bool:
        """reconcileNewReplicaSet: grow (or, past spec.replicas, shrink) the new ReplicaSet."""
        replicas = util.replicas_of(d)
        current = util.replicas_of(new_rs)
        if current == replicas:
            return False
        if current > replicas:
            return self.scale_replica_set_and_record_event(new_rs, replicas, d)
        target = new_rs_new_replicas(d, all_rss, new_rs)
        return self.scale_replica_set_and_record_event(new_rs, target, d)

    def reconcile_old_replica_sets(self, all_rss: list[dict], old_rss: list[dict],
                                   new_rs: dict, d: dict) -> bool:
        """reconcileOldReplicaSets: how many old pods may go without dropping below
        ``replicas - maxUnavailable`` available, counting new pods not yet available."""
        if util.spec_replicas(old_rss) == 0:
            return False
        all_pods = util.spec_replicas(all_rss)
        min_available = util.replicas_of(d) - util.max_unavailable(d)
        new_unavailable = util.replicas_of(new_rs) - \
            (new_rs.get("status") or {}).get("availableReplicas", 0)
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        old_rss, cleaned = self.cleanup_unhealthy_replicas(old_rss, d, max_scaled_down)
        scaled = self.scale_down_old_replica_sets_for_rolling_update(old_rss + [new_rs],
                                                                     old_rss, d)
        return cleaned + scaled > 0

    def cleanup_unhealthy_replicas(self, old_rss: list[dict], d: dict,
                                   max_cleanup: int) -> tuple[list[dict], int]:
        """cleanupUnhealthyReplicas: shrink old ReplicaSets by their unavailable pods,
        oldest first, at most ``max_cleanup`` in all."""
        old_rss = sorted(old_rss, key=util.by_creation)
        total = 0
        for i, rs in enumerate(old_rss):
            if total >= max_cleanup:
                break
            replicas = util.replicas_of(rs)
            available = (rs.get("status") or {}).get("availableReplicas", 0)
            if replicas == 0 or replicas == available:
                continue
            count = min(max_cleanup - total, replicas - available)
            self.scale_replica_set_and_record_event(rs, replicas - count, d)
            total += count
            old_rss[i] = self._fresh_one(rs)
        return old_rss, total

    def scale_down_old_replica_sets_for_rolling_update(self, all_rss: list[dict],
                                                       old_rss: list[dict], d: dict) -> int:
        """scaleDownOldReplicaSetsForRollingUpdate: take available old pods away, oldest
        ReplicaSet first, while more than ``replicas - maxUnavailable`` are available."""
        min_available = util.replicas_of(d) - util.max_unavailable(d)
        available = util.available_replicas(all_rss)
        if available <= min_available:
            return 0
        to_scale_down = available - min_available
        total = 0
        for rs in sorted(old_rss, key=util.by_creation):
            if total >= to_scale_down:
                break
            replicas = util.replicas_of(rs)
            if replicas == 0:
                continue
            count = min(replicas, to_scale_down - total)
            self.scale_replica_set_and_record_event(rs, replicas - count, d)
            total += count
        return total
