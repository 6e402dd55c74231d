"""Rolling back through the Deployment itself, after upstream's ``deployment/rollback.go``.

``kubectl rollout undo`` (1.32) patches the Deployment's template directly, and
the controller then reuses the old ReplicaSet with a new revision. The older
route still exists in the controller: the annotation
``deprecated.deployment.rollback.to: "N"`` (what ``extensions/v1beta1``'s
``rollbackTo`` became) asks the controller to copy revision N's template into
the Deployment (0 means the previous revision), with the events
``DeploymentRollback``, ``RollbackRevisionNotFound`` and
``RollbackTemplateUnchanged``.
"""
from __future__ import annotations

from kubelearn.controllers import deployment_util as util
from kubelearn.controllers.deployment_sync import COMPONENT


def get_rollback_to(d: dict) -> int | None:
    """getRollbackTo: the revision the annotation asks for, or None."""
    value = (d["metadata"].get("annotations") or {}).get(util.ROLLBACK_TO_ANNOTATION)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


class RollbackMixin:
    """rollback and its helpers; mixed into ``DeploymentController``."""

    def rollback(self, d: dict, rs_list: list[dict]) -> float | None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
        d = self._fresh_one(d)
        all_rss = [rs for rs in old_rss + [new_rs] if rs is not None]
        to = get_rollback_to(d)
        if not to:
            to = util.last_revision(all_rss)
            if to == 0:
                self._rollback_event(d, "Warning", "RollbackRevisionNotFound",
                                     "Unable to find last revision.")
                return self._clear_rollback_to(d, None)
        for rs in all_rss:
            if util.revision(rs) == to:
                if util.equal_ignore_hash(d["spec"]["template"], rs["spec"]["template"]):
                    self._rollback_event(
                        d, "Warning", "RollbackTemplateUnchanged",
                        "The rollback revision contains the same template as current "
                        f'deployment "{d["metadata"]["name"]}"')
                    return self._clear_rollback_to(d, None)
                self._clear_rollback_to(d, rs)
                self._rollback_event(d, "Normal", "DeploymentRollback",
                                     f'Rolled back deployment "{d["metadata"]["name"]}" '
                                     f"to revision {to}")
                return None
        self._rollback_event(d, "Warning", "RollbackRevisionNotFound",
                             "Unable to find the revision to rollback to.")
        return self._clear_rollback_to(d, None)

    def _rollback_event(self, d: dict, type_: str, reason: str, message: str) -> None:
        self.cluster.events.record(d, type_, reason, message, COMPONENT)

    def _clear_rollback_to(self, d: dict, rs: dict | None) -> None:
        """updateDeploymentAndClearRollbackTo, with rollbackToTemplate's copy of the
        template (minus pod-template-hash) and of the ReplicaSet's annotations."""
        annotations = dict(d["metadata"].get("annotations") or {})
        annotations.pop(util.ROLLBACK_TO_ANNOTATION, None)
        spec = d["spec"]
        if rs is not None:
            template = rs["spec"]["template"]
            tmeta = dict(template.get("metadata") or {})
            labels = {k: v for k, v in (tmeta.get("labels") or {}).items()
                      if k != util.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY}
            tmeta["labels"] = labels
            spec = {**spec, "template": {**template, "metadata": tmeta}}
            kept = {k: v for k, v in annotations.items() if k in util.ANNOTATIONS_TO_SKIP}
            copied = {k: v for k, v in (rs["metadata"].get("annotations") or {}).items()
                      if k not in util.ANNOTATIONS_TO_SKIP}
            annotations = {**kept, **copied}
        meta = {**d["metadata"], "annotations": annotations}
        if not annotations:
            del meta["annotations"]
        self.api.update({**d, "metadata": meta, "spec": spec})
        return None
