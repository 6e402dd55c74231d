"""Helpers of the deployment controller, after upstream's ``deployment/util/deployment_util.go``.

* ``compute_hash``: the ``pod-template-hash`` (FNV-32a, then ``SafeEncodeString``).
  Upstream hashes the Go struct as the spew library prints it; kubelearn hashes
  the template's canonical JSON instead, so names look like upstream's
  (``web-7d9c6b8f5d``) and are stable for a template, without being the
  very same strings a real cluster would print.
* Revisions (``deployment.kubernetes.io/revision`` and friends), the
  annotations copied from a Deployment to its ReplicaSets.
* ``maxSurge`` / ``maxUnavailable`` arithmetic (``resolve_fenceposts``).
* Condition helpers with upstream's update rules, and the progress tests
  (``deployment_complete``, ``deployment_progressing``, ``deployment_timed_out``).
"""
from __future__ import annotations

import json
import math

from kubelearn.clock import parse_rfc3339, rfc3339

DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = "pod-template-hash"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
ANNOTATIONS_TO_SKIP = frozenset({LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION,
                                 REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION,
                                 MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION})
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000

# Condition reasons (deployment/util).
NEW_RS_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
RS_UPDATED_REASON = "ReplicaSetUpdated"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
FAILED_RS_CREATE_REASON = "ReplicaSetCreateError"
PAUSED_DEPLOY_REASON = "DeploymentPaused"
RESUMED_DEPLOY_REASON = "DeploymentResumed"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"

SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"


# -- the pod-template-hash ------------------------------------------------------------
def fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode_string(text: str) -> str:
    """rand.SafeEncodeString: each character mapped onto a vowel-free alphabet."""
    return "".join(SAFE_ALPHANUMS[ord(ch) % len(SAFE_ALPHANUMS)] for ch in text)


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """controller.ComputeHash: FNV-32a of the template (+ the collision count as 8
    little-endian bytes), its decimal form safe-encoded."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        data += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4)
    return safe_encode_string(str(fnv32a(data)))


def _without_hash(template: dict) -> dict:
    meta = dict(template.get("metadata") or {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items()
              if k != DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY}
    if labels:
        meta["labels"] = labels
    else:
        meta.pop("labels", None)
    return {**template, "metadata": meta}


_EQUAL_MEMO: dict[tuple[int, int], tuple[dict, dict, bool]] = {}
_EQUAL_MEMO_SIZE = 256


def equal_ignore_hash(t1: dict, t2: dict) -> bool:
    """EqualIgnoreHash: the same template, whatever their pod-template-hash labels.

    Every sync asks this about the same stored templates (the Deployment's and its
    ReplicaSets'), and stored objects never change in place, so the answer is
    remembered for the pair of dicts (kept alive by the memo, so their ids stay theirs)."""
    t1, t2 = t1 or {}, t2 or {}
    key = (id(t1), id(t2))
    known = _EQUAL_MEMO.get(key)
    if known is not None and known[0] is t1 and known[1] is t2:
        return known[2]
    equal = _without_hash(t1) == _without_hash(t2)
    if len(_EQUAL_MEMO) >= _EQUAL_MEMO_SIZE:
        _EQUAL_MEMO.clear()
    _EQUAL_MEMO[key] = (t1, t2, equal)
    return equal


# -- replica arithmetic -------------------------------------------------------------
def scaled_value(value, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    if isinstance(value, int):
        return value
    text = str(value)
    if text.endswith("%"):
        fraction = int(text[:-1]) * total / 100
        return math.ceil(fraction) if round_up else math.floor(fraction)
    return int(text)


def is_rolling_update(d: dict) -> bool:
    return ((d["spec"].get("strategy") or {}).get("type") or "RollingUpdate") == "RollingUpdate"


def resolve_fenceposts(max_surge, max_unavailable, desired: int) -> tuple[int, int]:
    """ResolveFenceposts: surge rounds up, unavailable down; both 0 makes unavailable 1."""
    surge = scaled_value(max_surge if max_surge is not None else "25%", desired, True)
    unavailable = scaled_value(max_unavailable if max_unavailable is not None else "25%",
                               desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _rolling(d: dict) -> dict:
    return (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}


def max_surge(d: dict) -> int:
    if not is_rolling_update(d):
        return 0
    rolling = _rolling(d)
    return resolve_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"),
                              replicas_of(d))[0]


def max_unavailable(d: dict) -> int:
    replicas = replicas_of(d)
    if not is_rolling_update(d) or replicas == 0:
        return 0
    rolling = _rolling(d)
    unavailable = resolve_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"),
                                     replicas)[1]
    return min(unavailable, replicas)


def replicas_of(obj: dict) -> int:
    value = obj["spec"].get("replicas")
    return 1 if value is None else value


def spec_replicas(rs_list) -> int:
    """GetReplicaCountForReplicaSets: the sum of spec.replicas."""
    return sum(replicas_of(rs) for rs in rs_list if rs is not None)


def actual_replicas(rs_list) -> int:
    """GetActualReplicaCountForReplicaSets: the sum of status.replicas."""
    return sum((rs.get("status") or {}).get("replicas", 0) for rs in rs_list if rs is not None)


def ready_replicas(rs_list) -> int:
    return sum((rs.get("status") or {}).get("readyReplicas", 0) for rs in rs_list if rs is not None)


def available_replicas(rs_list) -> int:
    return sum((rs.get("status") or {}).get("availableReplicas", 0)
               for rs in rs_list if rs is not None)


def filter_active(rs_list) -> list[dict]:
    """FilterActiveReplicaSets: those asked for at least one pod."""
    return [rs for rs in rs_list if rs is not None and replicas_of(rs) > 0]


def by_creation(rs: dict) -> tuple:
    return rs["metadata"].get("creationTimestamp") or "", rs["metadata"]["name"]


def _max_replicas_annotation(rs: dict) -> int | None:
    value = (rs["metadata"].get("annotations") or {}).get(MAX_REPLICAS_ANNOTATION)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def get_replica_set_fraction(rs: dict, d: dict) -> int:
    """getReplicaSetFraction: how much this ReplicaSet grows or shrinks when the
    Deployment's maximum size (replicas + maxSurge) changes, in proportion to its size."""
    if replicas_of(d) == 0:
        return -replicas_of(rs)
    max_now = replicas_of(d) + max_surge(d)
    max_before = _max_replicas_annotation(rs)
    if not max_before:
        max_before = (d.get("status") or {}).get("replicas", 0)
        if max_before == 0:
            return 0
    new_size = replicas_of(rs) * max_now / max_before
    return int(math.floor(new_size + 0.5)) - replicas_of(rs)     # RoundToInt32


def get_replica_set_proportion(rs: dict, d: dict, to_add: int, added: int) -> int:
    """GetReplicaSetProportion: this ReplicaSet's share of ``to_add``, bounded by what
    is left of it."""
    if rs is None or replicas_of(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = get_replica_set_fraction(rs, d)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


# -- revisions and annotations ---------------------------------------------------------
def revision(obj: dict) -> int:
    try:
        return int((obj["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION, "0"))
    except ValueError:
        return 0


def max_revision(rs_list) -> int:
    return max((revision(rs) for rs in rs_list if rs is not None), default=0)


def last_revision(rs_list) -> int:
    """LastRevision: the second highest revision (the one before the current)."""
    top = second = 0
    for rs in rs_list:
        if rs is None:
            continue
        v = revision(rs)
        if v >= top:
            top, second = v, top
        elif v > second:
            second = v
    return second


def copy_deployment_annotations(d: dict, annotations: dict) -> bool:
    """copyDeploymentAnnotationsToReplicaSet (in place on ``annotations``)."""
    changed = False
    for key, value in (d["metadata"].get("annotations") or {}).items():
        if key in ANNOTATIONS_TO_SKIP or annotations.get(key) == value:
            continue
        annotations[key] = value
        changed = True
    return changed


def set_replicas_annotations(annotations: dict, desired: int, max_replicas: int) -> bool:
    changed = False
    for key, value in ((DESIRED_REPLICAS_ANNOTATION, str(desired)),
                       (MAX_REPLICAS_ANNOTATION, str(max_replicas))):
        if annotations.get(key) != value:
            annotations[key] = value
            changed = True
    return changed


def set_new_rs_annotations(d: dict, annotations: dict, new_revision: int, exists: bool) -> bool:
    """SetNewReplicaSetAnnotations (in place): copied annotations, the revision (kept if
    already higher), the revision history on a rollback, replica annotations on create."""
    changed = copy_deployment_annotations(d, annotations)
    old_text = annotations.get(REVISION_ANNOTATION)
    try:
        old = int(old_text) if old_text else 0
    except ValueError:
        return False
    if old < new_revision:
        annotations[REVISION_ANNOTATION] = str(new_revision)
        changed = True
        if old_text:
            history = annotations.get(REVISION_HISTORY_ANNOTATION, "")
            revisions = history.split(",") if history else []
            total = len(history) + len(old_text) + 1
            while total > MAX_REV_HISTORY_LENGTH_IN_CHARS and revisions:
                total -= len(revisions.pop(0)) + 1
            annotations[REVISION_HISTORY_ANNOTATION] = ",".join(revisions + [old_text])
    if not exists and set_replicas_annotations(annotations, replicas_of(d),
                                               replicas_of(d) + max_surge(d)):
        changed = True
    return changed


# -- conditions -----------------------------------------------------------------------
def new_condition(type_: str, status: str, reason: str, message: str, now: float) -> dict:
    stamp = rfc3339(now)
    return {"lastTransitionTime": stamp, "lastUpdateTime": stamp, "message": message,
            "reason": reason, "status": status, "type": type_}


def get_condition(status: dict, type_: str) -> dict | None:
    for cond in status.get("conditions") or ():
        if cond.get("type") == type_:
            return cond
    return None


def set_condition(status: dict, condition: dict) -> None:
    """SetDeploymentCondition (in place): no-op for the same status and reason; keeps
    lastTransitionTime for the same status; moves the condition to the end."""
    current = get_condition(status, condition["type"])
    if current is not None and current.get("status") == condition["status"] \
            and current.get("reason") == condition["reason"]:
        return
    if current is not None and current.get("status") == condition["status"]:
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    status["conditions"] = [c for c in status.get("conditions") or ()
                            if c.get("type") != condition["type"]] + [condition]


def remove_condition(status: dict, type_: str) -> None:
    conditions = [c for c in status.get("conditions") or () if c.get("type") != type_]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def has_progress_deadline(d: dict) -> bool:
    deadline = d["spec"].get("progressDeadlineSeconds")
    return deadline is not None and deadline != 2 ** 31 - 1


def deployment_complete(d: dict, status: dict) -> bool:
    replicas = replicas_of(d)
    return (status.get("updatedReplicas", 0) == replicas
            and status.get("replicas", 0) == replicas
            and status.get("availableReplicas", 0) == replicas
            and status.get("observedGeneration", 0) >= (d["metadata"].get("generation") or 0))


def deployment_progressing(d: dict, new_status: dict) -> bool:
    old = d.get("status") or {}
    old_old = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_old = new_status.get("replicas", 0) - new_status.get("updatedReplicas", 0)
    return (new_status.get("updatedReplicas", 0) > old.get("updatedReplicas", 0)
            or new_old < old_old
            or new_status.get("readyReplicas", 0) > old.get("readyReplicas", 0)
            or new_status.get("availableReplicas", 0) > old.get("availableReplicas", 0))


def deployment_timed_out(d: dict, status: dict, now: float) -> bool:
    if not has_progress_deadline(d):
        return False
    cond = get_condition(status, "Progressing")
    if cond is None or cond.get("reason") == NEW_RS_AVAILABLE_REASON:
        return False
    if cond.get("reason") == TIMED_OUT_REASON:
        return True
    since = parse_rfc3339(cond.get("lastUpdateTime") or rfc3339(now))
    return since + d["spec"]["progressDeadlineSeconds"] < now
