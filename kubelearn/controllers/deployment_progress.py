"""Whether a rollout is progressing, after upstream's ``deployment/progress.go``.

``sync_rollout_status`` recomputes the status and judges the Progressing
condition (``ReplicaSetUpdated`` while pods become ready, ``NewReplicaSetAvailable``
when done, ``ProgressDeadlineExceeded`` when ``progressDeadlineSeconds`` pass
without progress); ``check_paused_conditions`` handles ``rollout pause``/``resume``.
"""
from __future__ import annotations

from kubelearn.clock import parse_rfc3339
from kubelearn.controllers import deployment_util as util


class ProgressMixin:
    """Methods of the deployment controller about rollout progress."""

    def sync_rollout_status(self, all_rss: list, new_rs: dict | None, d: dict) -> float | None:
        """syncRolloutStatus: the status plus the Progressing condition's verdict."""
        d = self._fresh_one(d)
        status = self.calculate_status(all_rss, new_rs, d)
        if not util.has_progress_deadline(d):
            util.remove_condition(status, "Progressing")
        current = util.get_condition(d.get("status") or {}, "Progressing")
        complete_before = status.get("replicas", 0) == status.get("updatedReplicas", 0) and \
            current is not None and current.get("reason") == util.NEW_RS_AVAILABLE_REASON
        rs_name = new_rs["metadata"]["name"] if new_rs is not None else None
        if util.has_progress_deadline(d) and not complete_before:
            now = self.clock.now
            if util.deployment_complete(d, status):
                util.set_condition(status, util.new_condition(
                    "Progressing", "True", util.NEW_RS_AVAILABLE_REASON,
                    f'ReplicaSet "{rs_name}" has successfully progressed.' if rs_name else
                    f'Deployment "{d["metadata"]["name"]}" has successfully progressed.', now))
            elif util.deployment_progressing(d, status):
                cond = util.new_condition(
                    "Progressing", "True", util.RS_UPDATED_REASON,
                    f'ReplicaSet "{rs_name}" is progressing.' if rs_name else
                    f'Deployment "{d["metadata"]["name"]}" is progressing.', now)
                if current is not None:
                    if current.get("status") == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    util.remove_condition(status, "Progressing")
                util.set_condition(status, cond)
            elif util.deployment_timed_out(d, status, now):
                util.set_condition(status, util.new_condition(
                    "Progressing", "False", util.TIMED_OUT_REASON,
                    f'ReplicaSet "{rs_name}" has timed out progressing.' if rs_name else
                    f'Deployment "{d["metadata"]["name"]}" has timed out progressing.', now))
        if status != (d.get("status") or {}):
            d = self._write_status(d, status)
        self._requeue_stuck_deployment(d, status)
        return None

    def _requeue_stuck_deployment(self, d: dict, status: dict) -> None:
        """requeueStuckDeployment: look again when the progress deadline would pass. A
        background timer: a stuck rollout must not keep ``settle()`` waiting 10 minutes."""
        key = (d["metadata"].get("namespace", ""), d["metadata"]["name"])
        current = util.get_condition(d.get("status") or {}, "Progressing")
        if not util.has_progress_deadline(d) or current is None or \
                util.deployment_complete(d, status) or \
                current.get("reason") == util.TIMED_OUT_REASON:
            return
        since = parse_rfc3339(current.get("lastUpdateTime") or current.get(
            "lastTransitionTime"))
        after = max(since + d["spec"]["progressDeadlineSeconds"] - self.clock.now, 0) + 1
        old = self._deadline_timers.pop(key, None)
        if old is not None:
            old.cancel()
        self._deadline_timers[key] = self.clock.call_later(
            after, lambda: self.enqueue(key), background=True,
            label=f"deployment-controller: progress deadline of {key[0]}/{key[1]}")

    def check_paused_conditions(self, d: dict) -> dict:
        """Progressing=Unknown DeploymentPaused / DeploymentResumed."""
        if not util.has_progress_deadline(d):
            return d
        status = dict(d.get("status") or {})
        cond = util.get_condition(status, "Progressing")
        if cond is not None and cond.get("reason") == util.TIMED_OUT_REASON:
            return d
        paused_cond = cond is not None and cond.get("reason") == util.PAUSED_DEPLOY_REASON
        if d["spec"].get("paused") and not paused_cond:
            util.set_condition(status, util.new_condition(
                "Progressing", "Unknown", util.PAUSED_DEPLOY_REASON, "Deployment is paused",
                self.clock.now))
        elif not d["spec"].get("paused") and paused_cond:
            util.set_condition(status, util.new_condition(
                "Progressing", "Unknown", util.RESUMED_DEPLOY_REASON, "Deployment is resumed",
                self.clock.now))
        else:
            return d
        return self._write_status(d, status)
