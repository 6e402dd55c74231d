"""``kubectl rollout status|history|undo|restart|pause|resume``.

Ports of kubectl 1.32's ``pkg/cmd/rollout`` and the polymorphic helpers behind
it (``rollout_status.go``, ``history.go``, ``rollback.go``, ``objectpauser.go``,
``objectresumer.go``, ``objectrestarter.go``), for Deployments. kubectl reads
ReplicaSets and revisions with its own copy of the deployment utilities; so
does this module (``describe.workloads.replica_sets_of`` is kubectl's
``GetAllReplicaSets``; the describe package is imported where it is used, because
the server-side tables import ``kubelearn.kubectl`` and describe imports them).

``rollout status`` watches the Deployment: it prints one line for the object as
listed and one for every later change (a watch event), moving simulated time
timer by timer until the rollout is done, fails, or ``--timeout`` expires.
"""
from __future__ import annotations

import re

from kubelearn.api.kinds import KindInfo
from kubelearn.api.validation import go_quote
from kubelearn.apiserver.errors import StatusError
from kubelearn.clock import rfc3339
from kubelearn.kubectl.cmd_create import dry_run_mode, print_result
from kubelearn.kubectl.command import Command, Invocation
from kubelearn.kubectl.flags import Flag, FlagError
from kubelearn.kubectl.output import OBJECT_FORMATS, parse_output
from kubelearn.kubectl.printers.tabwriter import DESCRIBE_SETTINGS, format_text
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"
POD_TEMPLATE_HASH = "pod-template-hash"
# rollback.go annotationsToSkip: kept from the Deployment, never copied from the ReplicaSet
ANNOTATIONS_TO_SKIP = frozenset({
    "kubectl.kubernetes.io/last-applied-configuration", REVISION_ANNOTATION,
    "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to"})
# Kinds kubectl's apps.GroupKindElement visitor knows (the others have no visitor method).
_VISITABLE = ("Deployment", "StatefulSet", "DaemonSet", "Job", "Pod", "ReplicaSet",
              "ReplicationController", "CronJob")
# Without --timeout real kubectl can wait forever; the simulation stops here.
MAX_WATCH_SECONDS = 3600.0

_SELECT_FLAGS = (
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("selector", "l"),
)
_PRINT_FLAGS = (
    Flag("output", "o"),
    Flag("template"),
    Flag("allow-missing-template-keys", kind="bool", default=True),
    Flag("show-managed-fields", kind="bool", default=False),
)

STATUS_FLAGS = _SELECT_FLAGS + (
    Flag("watch", "w", "bool", True),
    Flag("revision", kind="int", default=0),
    Flag("timeout", default="0s"),
)
HISTORY_FLAGS = _SELECT_FLAGS + _PRINT_FLAGS + (Flag("revision", kind="int", default=0),)
UNDO_FLAGS = _SELECT_FLAGS + _PRINT_FLAGS + (
    Flag("to-revision", kind="int", default=0),
    Flag("dry-run", default="none", no_opt="unchanged"),
)
PATCH_FLAGS = _SELECT_FLAGS + _PRINT_FLAGS + (Flag("field-manager", default="kubectl-rollout"),)


# --- shared --------------------------------------------------------------------------------------

def _group_kind(info: KindInfo) -> str:
    return f"{info.kind}.{info.group}" if info.group else info.kind


def _resources(inv: Invocation) -> list[tuple[KindInfo, dict]]:
    """The builder of every rollout subcommand: ``TYPE NAME``, ``TYPE/NAME`` or ``TYPE``
    (all of that type, or those ``-l`` selects); a missing object is NotFound."""
    if inv.flags["filename"]:
        raise KubectlError("error: kubelearn does not support rollout -f yet; name the resource "
                           "(deployment/NAME)")
    if not inv.args:
        raise KubectlError("error: required resource not specified")
    found = []
    for request in parse_resource_args(inv.args):
        ns = inv.namespace if request.info.namespaced else ""
        if request.names:
            found += [(request.info, inv.api.get(request.info, name, ns))
                      for name in request.names]
        else:
            found += [(request.info, obj) for obj in
                      select(inv.api, request.info, ns or None, inv.flags["selector"])]
    return found


def _no_helper(info: KindInfo, what: str, quoted: bool = True) -> KubectlError:
    """Upstream's ``no <what> has been implemented for "<GroupKind>"`` (or the
    visitor's refusal for kinds it does not know)."""
    gk = _group_kind(info)
    if info.kind not in _VISITABLE:
        return KubectlError(f'error: error retrieving {what.split()[0]} for "{gk}", no visitor '
                            f"method exists for {{{info.group} {info.kind}}}")
    return KubectlError(f"error: no {what} has been implemented for "
                        + (f'"{gk}"' if quoted else gk))


def revision_of(obj: dict) -> int | None:
    """deploymentutil.Revision: the revision annotation as a number (None if unparsable)."""
    text = (obj["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION, "0")
    try:
        return int(text)
    except ValueError:
        return None


def _without_hash(template: dict | None) -> dict:
    template = dict(template or {})
    meta = dict(template.get("metadata") or {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != POD_TEMPLATE_HASH}
    if labels:
        meta["labels"] = labels
    else:
        meta.pop("labels", None)
    if meta:
        template["metadata"] = meta
    else:
        template.pop("metadata", None)
    return template


class RawPrefixWriter:
    """describe.NewPrefixWriter over a plain buffer, without a tabwriter: what
    ``printTemplate`` uses, so the ``\\t`` characters stay in the output."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self.parts.append("  " * level + text)

    def write_line(self, *parts: str) -> None:
        self.parts.append(" ".join(parts) + "\n")

    def flush(self) -> None:
        pass

    def text(self) -> str:
        return "".join(self.parts)


def template_text(template: dict) -> str:
    """printTemplate: DescribePodTemplate written without a tabwriter."""
    from kubelearn.kubectl.describe.pods import describe_pod_template

    w = RawPrefixWriter()
    describe_pod_template(w, template)
    return w.text()


# --- status --------------------------------------------------------------------------------------

def run_status(inv: Invocation) -> None:
    timeout = parse_duration(inv.flags["timeout"], "timeout", "rollout status")
    if not inv.args and not inv.flags["filename"]:
        raise KubectlError("error: required resource not specified")
    if inv.flags["revision"] < 0:
        raise KubectlError(f"error: revision must be a positive integer: {inv.flags['revision']}")
    if inv.args and len(parse_resource_args(inv.args)) > 1:
        raise KubectlError("error: you may only specify a single resource type")
    targets = _resources(inv)
    if len(targets) != 1:
        raise KubectlError("error: rollout status is only supported on individual resources and "
                           f"resource collections - {len(targets)} resources were found")
    info, obj = targets[0]
    if info.kind != "Deployment":
        raise KubectlError("error: no status viewer has been implemented for "
                           f"{_group_kind(info)}")
    try:
        _watch_status(inv, info, obj, timeout)
    except KubectlError as err:       # keep the lines already printed
        inv.error(err.message)


def deployment_status(d: dict, revision: int = 0) -> tuple[str, bool]:
    """DeploymentStatusViewer.Status: the line to print and whether the rollout is done.
    Raises KubectlError for a revision mismatch or an exceeded progress deadline."""
    meta, spec, status = d["metadata"], d.get("spec") or {}, d.get("status") or {}
    name = go_quote(meta["name"])
    if revision > 0:
        current = revision_of(d)
        if current != revision:
            raise KubectlError(f"error: desired revision ({revision}) is different from the "
                               f"running revision ({current})")
    if meta.get("generation", 0) <= status.get("observedGeneration", 0):
        progressing = next((c for c in status.get("conditions") or []
                            if c.get("type") == "Progressing"), None)
        if progressing is not None and progressing.get("reason") == "ProgressDeadlineExceeded":
            raise KubectlError(f"error: deployment {name} exceeded its progress deadline")
        replicas = spec.get("replicas", 1)
        updated = status.get("updatedReplicas", 0)
        total = status.get("replicas", 0)
        available = status.get("availableReplicas", 0)
        if updated < replicas:
            return (f"Waiting for deployment {name} rollout to finish: {updated} out of "
                    f"{replicas} new replicas have been updated...\n"), False
        if total > updated:
            return (f"Waiting for deployment {name} rollout to finish: {total - updated} old "
                    "replicas are pending termination...\n"), False
        if available < updated:
            return (f"Waiting for deployment {name} rollout to finish: {available} of {updated} "
                    "updated replicas are available...\n"), False
        return f"deployment {name} successfully rolled out\n", True
    return "Waiting for deployment spec update to be observed...\n", False


def _watch_status(inv: Invocation, info: KindInfo, obj: dict, timeout: float) -> None:
    """watchtools.UntilWithSync: the listed object, then every MODIFIED event, while
    simulated time moves to the next timer; DELETED ends the watch with an error."""
    cluster = inv.cluster
    key = (obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
    events: list = []

    def on_event(event) -> None:
        meta = event.obj["metadata"]
        if event.kind == info.kind and (meta.get("namespace", ""), meta["name"]) == key:
            events.append(event)

    revision = inv.flags["revision"]
    line, done = deployment_status(obj, revision)
    inv.write(line)
    if done or not inv.flags["watch"]:
        return
    limit = timeout if timeout > 0 else MAX_WATCH_SECONDS
    deadline = cluster.clock.now + limit
    cluster.store.watch(on_event)
    try:
        while True:
            while events:
                event = events.pop(0)
                if event.type == "DELETED":
                    raise KubectlError("error: object has been deleted")
                line, done = deployment_status(event.obj, revision)
                inv.write(line)
                if done:
                    return
            due = cluster.clock.next_due()
            if due is None or due > deadline:
                cluster.advance(max(0.0, deadline - cluster.clock.now))
                if not events:
                    raise KubectlError("error: timed out waiting for the condition")
                continue
            cluster.advance(max(0.0, due - cluster.clock.now))
    finally:
        cluster.store.unwatch(on_event)


_DURATION = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
          "h": 3600.0}


def parse_duration(text: str, flag: str, command: str) -> float:
    """time.ParseDuration, in seconds; a bad value is pflag's invalid-argument error."""
    body = text.lstrip("+-")
    sign = -1.0 if text.startswith("-") else 1.0
    if body == "0":
        return 0.0
    total, pos = 0.0, 0
    for match in _DURATION.finditer(body):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not body or pos != len(body):
        unit = re.fullmatch(r"[0-9.]+", body) is not None and body != ""
        why = (f"missing unit in duration {go_quote(text)}" if unit
               else f"invalid duration {go_quote(text)}")
        raise FlagError(f'invalid argument {go_quote(text)} for "--{flag}" flag: time: {why}',
                        command)
    return sign * total


# --- history -------------------------------------------------------------------------------------

def run_history(inv: Invocation) -> None:
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    if not inv.args and not inv.flags["filename"]:
        raise KubectlError("error: required resource not specified")
    revision = inv.flags["revision"]
    if revision < 0:
        raise KubectlError(f"error: revision must be a positive integer: {revision}")
    for info, obj in _resources(inv):
        if info.kind != "Deployment":
            raise _no_helper(info, "history viewer")
        text = view_history(inv.api, obj, revision)
        with_revision = f"with revision #{revision}" if revision > 0 else ""
        print_result(inv, info, obj, f"{with_revision}\n{text}")


def view_history(api, d: dict, revision: int = 0) -> str:
    """DeploymentHistoryViewer.ViewHistory: the REVISION/CHANGE-CAUSE table, or one
    revision's pod template."""
    from kubelearn.kubectl.describe.workloads import replica_sets_of

    old_rss, new_rs = replica_sets_of(api, d)
    history: dict[int, dict] = {}
    for rs in old_rss + ([new_rs] if new_rs is not None else []):
        number = revision_of(rs)
        if number is None:
            continue
        template = dict((rs.get("spec") or {}).get("template") or {})
        meta = dict(template.get("metadata") or {})
        annotations = dict(meta.get("annotations") or {})
        cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION)
        if cause:
            annotations[CHANGE_CAUSE_ANNOTATION] = cause
        meta["annotations"] = annotations
        history[number] = {**template, "metadata": meta}
    if not history:
        return "No rollout history found."
    if revision > 0:
        if revision not in history:
            raise KubectlError("error: unable to find the specified revision")
        return template_text(history[revision])
    lines = ["REVISION\tCHANGE-CAUSE\n"]
    for number in sorted(history):
        cause = history[number]["metadata"]["annotations"].get(CHANGE_CAUSE_ANNOTATION)
        lines.append(f"{number}\t{cause or '<none>'}\n")
    return format_text("".join(lines), **DESCRIBE_SETTINGS)


# --- undo ----------------------------------------------------------------------------------------

def run_undo(inv: Invocation) -> None:
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    mode = dry_run_mode(inv)
    if not inv.args and not inv.flags["filename"]:
        raise KubectlError("error: required resource not specified")
    for info, obj in _resources(inv):
        if info.kind != "Deployment":
            raise _no_helper(info, "rollbacker")
        result = rollback(inv.api, obj, inv.flags["to-revision"], mode)
        print_result(inv, info, obj, result, mode)


def rollback(api, d: dict, to_revision: int, mode: str = "none") -> str:
    """DeploymentRollbacker.Rollback: restore an old ReplicaSet's template; returns
    what kubectl prints after the name."""
    if to_revision < 0:
        raise KubectlError(f"error: unable to find specified revision {to_revision} in history")
    meta = d["metadata"]
    d = api.get("Deployment", meta["name"], meta.get("namespace", ""))
    rs = _revision_replica_set(api, d, to_revision)
    template = (rs.get("spec") or {}).get("template") or {}
    if mode == "client":
        return template_text(template)
    if (d.get("spec") or {}).get("paused"):
        raise KubectlError("error: you cannot rollback a paused deployment; resume it first with "
                           f"'kubectl rollout resume deployment/{meta['name']}' and try again")
    if _without_hash(template) == _without_hash((d.get("spec") or {}).get("template")):
        return f"skipped rollback (current template already matches revision {to_revision})"
    restored = _without_hash(template)
    current = d["metadata"].get("annotations") or {}
    annotations = {k: v for k, v in current.items() if k in ANNOTATIONS_TO_SKIP}
    annotations.update({k: v for k, v in (rs["metadata"].get("annotations") or {}).items()
                        if k not in ANNOTATIONS_TO_SKIP})
    new_meta = {k: v for k, v in d["metadata"].items() if k != "annotations"}
    if annotations:
        new_meta["annotations"] = annotations
    try:
        api.update({**d, "metadata": new_meta, "spec": {**d["spec"], "template": restored}},
                   dry_run=mode == "server")
    except StatusError as err:
        from kubelearn.kubectl.command import server_message

        raise KubectlError(f"error: failed restoring revision {to_revision}: "
                           f"{server_message(err)}") from None
    return "rolled back"


def _revision_replica_set(api, d: dict, to_revision: int) -> dict:
    """deploymentRevision: the ReplicaSet of revision N, or (N = 0) the previous one."""
    from kubelearn.kubectl.describe.workloads import replica_sets_of

    old_rss, new_rs = replica_sets_of(api, d)
    latest, latest_rev, previous, previous_rev = None, -1, None, -1
    for rs in old_rss + ([new_rs] if new_rs is not None else []):
        number = revision_of(rs)
        if number is None:
            continue
        if to_revision == 0:
            if latest_rev < number:
                previous, previous_rev, latest, latest_rev = latest, latest_rev, rs, number
            elif previous_rev < number:
                previous, previous_rev = rs, number
        elif to_revision == number:
            return rs
    if to_revision > 0:
        raise KubectlError(f"error: unable to find specified revision {to_revision} in history")
    if previous is None:
        raise KubectlError("error: no rollout history found for deployment "
                           f"{go_quote(d['metadata']['name'])}")
    return previous


# --- restart, pause, resume ----------------------------------------------------------------------

def _patch_each(inv: Invocation, verb: str, change) -> None:
    """The loop of pause/resume/restart: compute each object's patch with ``change``
    (which raises _Refused with upstream's words), apply it, print ``operation``."""
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    if not inv.args and not inv.flags["filename"]:
        raise KubectlError("error: required resource not specified")
    problems: list = []
    for info, obj in _resources(inv):
        try:
            patch, operation = change(inv, info, obj)
        except _Refused as refused:
            problems.append(f"error: {info.resource_ref} {go_quote(obj['metadata']['name'])} "
                            f"{refused}")
            continue
        if patch is not None:
            meta = obj["metadata"]
            try:
                obj = inv.api.patch(info, meta["name"], meta.get("namespace", ""), patch)
            except StatusError as err:
                from kubelearn.kubectl.command import server_message

                problems.append(f"failed to patch: {server_message(err)}")
                continue
        print_result(inv, info, obj, operation)
    inv.fail(problems)


class _Refused(Exception):
    """An object pauser/resumer/restarter's refusal (``is already paused``)."""


def _pause(inv, info: KindInfo, obj: dict):
    if info.kind != "Deployment":
        raise _Refused("pausing is not supported")
    if (obj.get("spec") or {}).get("paused"):
        raise _Refused("is already paused")
    return {"spec": {"paused": True}}, "paused"


def _resume(inv, info: KindInfo, obj: dict):
    if info.kind != "Deployment":
        raise _Refused("resuming is not supported")
    if not (obj.get("spec") or {}).get("paused"):
        raise _Refused("is not paused")
    return {"spec": {"paused": None}}, "resumed"


def _restart(inv, info: KindInfo, obj: dict):
    if info.kind not in ("Deployment", "DaemonSet", "StatefulSet"):
        raise _Refused("restarting is not supported")
    if info.kind == "Deployment" and (obj.get("spec") or {}).get("paused"):
        raise _Refused("can't restart paused deployment (run rollout resume first)")
    stamp = rfc3339(inv.cluster.clock.now)
    return ({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT_ANNOTATION: stamp}}}}},
            "restarted")


def run_pause(inv: Invocation) -> None:
    _patch_each(inv, "pause", _pause)


def run_resume(inv: Invocation) -> None:
    _patch_each(inv, "resume", _resume)


def run_restart(inv: Invocation) -> None:
    _patch_each(inv, "restart", _restart)


COMMANDS = {
    "status": Command("rollout status", STATUS_FLAGS, run_status),
    "history": Command("rollout history", HISTORY_FLAGS, run_history),
    "undo": Command("rollout undo", UNDO_FLAGS, run_undo),
    "restart": Command("rollout restart", PATCH_FLAGS, run_restart),
    "pause": Command("rollout pause", PATCH_FLAGS, run_pause),
    "resume": Command("rollout resume", PATCH_FLAGS, run_resume),
}
