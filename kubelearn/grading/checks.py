"""Declarative check builders: each returns a function ``fn(cluster) -> Outcome``.

They read cluster state through ``cluster.api`` only (the same API server
every other part uses), so a learner may reach the state any way they like:
``kubectl create``, an applied manifest or a widget. The one exception is
``answers_http``, which calls a Service from outside as ``curl`` would. Messages say the state
first, then what the task asks for, and every outcome carries expected and
actual as plain strings:

    >>> fn = field_equals("Deployment", "web", "spec.replicas", 3)
    >>> fn(cluster).message
    'Deployment "web" has 2 replicas; the task asks for 3.'

Mistakes of the exercise author (an unknown kind, a field path that does not
parse, a bad selector) raise when the check is built, so they show up when the
chapter's exercises are imported; anything that goes wrong while checking is
turned into "could not check" by ``Check.evaluate``.
"""
from __future__ import annotations

import json
import re

from kubelearn.api.kinds import KindInfo, lookup_resource
from kubelearn.api.selector import parse_selector
from kubelearn.apiserver.errors import StatusError
from kubelearn.grading.model import Outcome

__all__ = ["exists", "absent", "field_equals", "field_in", "field_satisfies",
           "applied_field_equals", "label_equals", "label_absent", "has_annotation",
           "no_controller", "count", "pod_running", "pods_ready", "no_restarts",
           "rollout_complete", "endpoints_ready", "answers_http", "all_of", "parse_path"]

_PATH_TOKEN = re.compile(r"""\.?([A-Za-z0-9_$-]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]""")
_SELECTOR_CHARS = re.compile(r"[=!(),]| in | notin ")

# Friendlier wording for fields learners meet first; anything else reads
# 'Deployment "web" has spec.paused = true'.
_FIELD_WORDS = {
    "spec.replicas": "{} replicas",
    "spec.template.spec.containers[0].image": "image {}",
    "spec.type": "type {}",
    'metadata.annotations["deployment.kubernetes.io/revision"]': "revision {}",
}


def _kind(kind: str) -> KindInfo:
    info = lookup_resource(kind)
    if info is None:
        raise ValueError(f"unknown kind {kind!r}")
    return info


def _ns(info: KindInfo, namespace: str) -> str:
    return namespace if info.namespaced else ""


def _ref(info: KindInfo, name: str, namespace: str) -> str:
    """``Deployment "web"``, with the namespace when it is not ``default``."""
    if info.namespaced and namespace not in ("", "default"):
        return f'{info.kind} "{name}" in namespace "{namespace}"'
    return f'{info.kind} "{name}"'


def _get(cluster, info: KindInfo, name: str, namespace: str) -> dict | None:
    try:
        return cluster.api.get(info, name, _ns(info, namespace))
    except StatusError as err:
        if err.reason == "NotFound":
            return None
        raise


def _not_found(cluster, info: KindInfo, name: str, namespace: str) -> str:
    """``Deployment "web" was not found in namespace "default"`` (+ where it is, if elsewhere)."""
    if not info.namespaced:
        return f'{info.kind} "{name}" was not found'
    text = f'{info.kind} "{name}" was not found in namespace "{namespace}"'
    elsewhere = sorted(o["metadata"].get("namespace", "") for o in cluster.api.list(info)
                       if o["metadata"]["name"] == name)
    if elsewhere:
        where = ", ".join(f'"{n}"' for n in elsewhere)
        text += f" (there is one in namespace {where})"
    return text


def show(value) -> str:
    """A value as expected/actual text: strings bare, other values as compact JSON."""
    if value is None:
        return "(not set)"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _quoted(value) -> str:
    return f'"{value}"' if isinstance(value, str) else show(value)


def _probe(fn, description: str, about=()):
    """``fn`` with its description and ``about``: the keys of the objects it reads
    (``Service/default/web``), which a diagram highlights when the check fails."""
    fn.description = description
    fn.about = tuple(about)
    return fn


def _key(info: KindInfo, name: str, namespace: str) -> str:
    """An object's diagram key: ``Kind/namespace/name``, or ``Kind/name`` when the kind
    is cluster-scoped (``kubelearn.viz.common.key_of``)."""
    return f"{info.kind}/{namespace}/{name}" if info.namespaced else f"{info.kind}/{name}"


# -- existence ---------------------------------------------------------------------------------

def exists(kind: str, name: str, namespace: str = "default"):
    """Passes when the object exists."""
    info = _kind(kind)

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        want = f"{info.kind} {name} exists"
        if obj is None:
            return Outcome(False, want, "not found",
                           f"{_not_found(cluster, info, name, namespace)}; "
                           "the task asks for it to exist.")
        return Outcome(True, want, "exists", f"{_ref(info, name, namespace)} exists.")
    return _probe(check, f'{info.kind} "{name}" exists', (_key(info, name, namespace),))


def absent(kind: str, name: str, namespace: str = "default"):
    """Passes when the object is gone (or is already being deleted)."""
    info = _kind(kind)

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        ref = _ref(info, name, namespace)
        if obj is None:
            return Outcome(True, "absent", "absent", f"{ref} is gone.")
        if obj["metadata"].get("deletionTimestamp"):
            return Outcome(True, "absent", "terminating", f"{ref} is being deleted.")
        return Outcome(False, "absent", "exists",
                       f"{ref} still exists; the task asks for it to be deleted.")
    return _probe(check, f'{info.kind} "{name}" is deleted', (_key(info, name, namespace),))


# -- fields ------------------------------------------------------------------------------------

def parse_path(path: str) -> tuple:
    """``spec.template.spec.containers[0].image`` → ``('spec', 'template', 'spec',
    'containers', 0, 'image')``; keys with dots go in brackets:
    ``metadata.labels["app.kubernetes.io/name"]``."""
    tokens, pos = [], 0
    while pos < len(path):
        match = _PATH_TOKEN.match(path, pos)
        if match is None or (pos == 0 and path.startswith(".")) or \
                (pos > 0 and match.group(1) is not None and not match.group(0).startswith(".")):
            raise ValueError(f"cannot read field path {path!r} at {path[pos:]!r}")
        name, index, dq, sq = match.groups()
        tokens.append(int(index) if index is not None else next(
            t for t in (name, dq, sq) if t is not None))
        pos = match.end()
    if not tokens:
        raise ValueError("a field path cannot be empty")
    return tuple(tokens)


def _lookup(obj, tokens: tuple) -> tuple[bool, object]:
    for token in tokens:
        if isinstance(token, int):
            if not isinstance(obj, list) or token >= len(obj):
                return False, None
        elif not isinstance(obj, dict) or token not in obj:
            return False, None
        obj = obj[token]
    return True, obj


def _has(path: str, value) -> str:
    words = _FIELD_WORDS.get(path)
    return words.format(show(value) if path == "spec.replicas" else _quoted(value)) if words \
        else f"{path} = {_quoted(value)}"


def _field_check(kind: str, name: str, path: str, namespace: str, matches, want: str,
                 asks: str, description: str):
    """A check of the field at ``path``: ``matches(value)`` says whether it will do."""
    info, tokens = _kind(kind), parse_path(path)

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        if obj is None:
            return Outcome(False, want, f"{info.kind} not found",
                           f"{_not_found(cluster, info, name, namespace)}, so {path} could not "
                           f"be compared; {asks}")
        ref = _ref(info, name, namespace)
        found, value = _lookup(obj, tokens)
        if not found:
            return Outcome(False, want, "(not set)", f"{ref} has no {path}; {asks}")
        if not matches(value):
            return Outcome(False, want, show(value), f"{ref} has {_has(path, value)}; {asks}")
        return Outcome(True, want, show(value), f"{ref} has {_has(path, value)}.")
    return _probe(check, f'{info.kind} "{name}" {description}', (_key(info, name, namespace),))


def field_equals(kind: str, name: str, path: str, expected, namespace: str = "default"):
    """Passes when the field at ``path`` equals ``expected``."""
    asks = (f"the task asks for {show(expected)}." if path == "spec.replicas"
            else f"the task asks for {_quoted(expected)}.")

    def matches(value) -> bool:
        return value == expected and (type(value) is bool) == (type(expected) is bool)
    return _field_check(kind, name, path, namespace, matches, show(expected), asks,
                        f"has {path} = {show(expected)}")


def field_in(kind: str, name: str, path: str, allowed, namespace: str = "default"):
    """Passes when the field at ``path`` is one of ``allowed`` (``NodePort`` or
    ``LoadBalancer``, say)."""
    allowed = tuple(allowed)
    if not allowed:
        raise ValueError("field_in needs at least one allowed value")
    choices = " or ".join(_quoted(a) for a in allowed)

    def matches(value) -> bool:
        return any(value == a and (type(value) is bool) == (type(a) is bool) for a in allowed)
    return _field_check(kind, name, path, namespace, matches,
                        " or ".join(show(a) for a in allowed), f"the task asks for {choices}.",
                        f"has {path} = {' or '.join(show(a) for a in allowed)}")


def field_satisfies(kind: str, name: str, path: str, test, wanted: str,
                    namespace: str = "default"):
    """Passes when ``test(value)`` is true for the field at ``path``; ``wanted`` says
    in words what the task asks for ("at least 2", "a CPU request of 250m"). A
    value ``test`` cannot read (it raises ``ValueError``, ``TypeError``,
    ``KeyError``) does not pass."""
    def matches(value) -> bool:
        try:
            return bool(test(value))
        except (ValueError, TypeError, KeyError, AttributeError):
            return False
    return _field_check(kind, name, path, namespace, matches, wanted,
                        f"the task asks for {wanted}.", f"has {path}: {wanted}")


LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def applied_field_equals(kind: str, name: str, path: str, expected, namespace: str = "default"):
    """Passes when the manifest last applied with ``kubectl apply`` (the object's
    last-applied-configuration annotation) has ``expected`` at ``path``: the
    change was made in the manifest and applied, not with an imperative command."""
    info, tokens = _kind(kind), parse_path(path)
    want = show(expected)
    asks = f"the task asks for {_quoted(expected)} in the manifest you apply."

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        if obj is None:
            return Outcome(False, want, f"{info.kind} not found",
                           f"{_not_found(cluster, info, name, namespace)}; {asks}")
        ref = _ref(info, name, namespace)
        text = (obj["metadata"].get("annotations") or {}).get(LAST_APPLIED)
        if text is None:
            return Outcome(False, want, "not applied",
                           f"{ref} was not made with kubectl apply (it has no {LAST_APPLIED} "
                           f"annotation); {asks}")
        found, value = _lookup(json.loads(text), tokens)
        if not found:
            return Outcome(False, want, "(not set)",
                           f"The manifest last applied to {ref} has no {path}; {asks}")
        if value != expected or (type(value) is bool) != (type(expected) is bool):
            return Outcome(False, want, show(value),
                           f"The manifest last applied to {ref} has {path} = {_quoted(value)}; "
                           f"{asks}")
        return Outcome(True, want, show(value),
                       f"The manifest last applied to {ref} has {path} = {_quoted(value)}.")
    return _probe(check, f'the manifest applied to {info.kind} "{name}" has {path} = {want}',
                  (_key(info, name, namespace),))


def label_equals(kind: str, name: str, key: str, value: str, namespace: str = "default"):
    """Passes when the object carries the label ``key=value``."""
    info = _kind(kind)
    want = f"{key}={value}"

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        if obj is None:
            return Outcome(False, want, f"{info.kind} not found",
                           f"{_not_found(cluster, info, name, namespace)}, so its labels could "
                           f"not be read; the task asks for the label {want}.")
        ref = _ref(info, name, namespace)
        labels = obj["metadata"].get("labels") or {}
        if key not in labels:
            return Outcome(False, want, "(no such label)",
                           f'{ref} has no label "{key}"; the task asks for {want}.')
        if labels[key] != value:
            return Outcome(False, want, f"{key}={labels[key]}",
                           f"{ref} has the label {key}={labels[key]}; the task asks for {want}.")
        return Outcome(True, want, want, f"{ref} has the label {want}.")
    return _probe(check, f'{info.kind} "{name}" has the label {want}',
                  (_key(info, name, namespace),))


def label_absent(kind: str, name: str, key: str, namespace: str = "default"):
    """Passes when the object exists and does not carry the label ``key``."""
    info = _kind(kind)

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        ref = _ref(info, name, namespace)
        if obj is None:
            return Outcome(False, f'no label "{key}"', f"{info.kind} not found",
                           f"{_not_found(cluster, info, name, namespace)}; the task expects it "
                           "to stay as it was.")
        labels = obj["metadata"].get("labels") or {}
        if key in labels:
            return Outcome(False, f'no label "{key}"', f"{key}={labels[key]}",
                           f"{ref} has the label {key}={labels[key]}; the task asks to leave it "
                           "without that label.")
        return Outcome(True, f'no label "{key}"', f'no label "{key}"',
                       f'{ref} has no label "{key}".')
    return _probe(check, f'{info.kind} "{name}" has no label "{key}"',
                  (_key(info, name, namespace),))


def has_annotation(kind: str, name: str, key: str, namespace: str = "default"):
    """Passes when the object carries the annotation ``key`` (any value)."""
    info = _kind(kind)

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        if obj is None:
            return Outcome(False, f"annotation {key}", "not found",
                           f"{_not_found(cluster, info, name, namespace)}; the task asks for it "
                           "to exist.")
        ref = _ref(info, name, namespace)
        if key in (obj["metadata"].get("annotations") or {}):
            return Outcome(True, f"annotation {key}", "present", f"{ref} has the annotation {key}.")
        return Outcome(False, f"annotation {key}", "absent",
                       f"{ref} has no annotation {key}; the task expects it.")
    return _probe(check, f'{info.kind} "{name}" has the annotation {key}',
                  (_key(info, name, namespace),))


def no_controller(kind: str, name: str, namespace: str = "default"):
    """Passes when the object exists and no controller owns it (a bare pod)."""
    info = _kind(kind)

    def check(cluster) -> Outcome:
        obj = _get(cluster, info, name, namespace)
        if obj is None:
            return Outcome(False, "no owner", "not found",
                           f"{_not_found(cluster, info, name, namespace)}; the task asks for it "
                           "to exist.")
        owners = [f'{r.get("kind")}/{r.get("name")}' for r in
                  obj["metadata"].get("ownerReferences") or [] if r.get("controller")]
        ref = _ref(info, name, namespace)
        if owners:
            return Outcome(False, "no owner", ", ".join(owners),
                           f"{ref} is managed by {', '.join(owners)}; the task asks for an "
                           f"object that no controller owns.")
        return Outcome(True, "no owner", "no owner", f"{ref} has no controller.")
    return _probe(check, f'{info.kind} "{name}" has no controller',
                  (_key(info, name, namespace),))


# -- sets of objects ---------------------------------------------------------------------------

def _matching(cluster, info: KindInfo, selector, namespace: str) -> list[dict]:
    """Objects matching ``selector``, leaving out those already being deleted."""
    objs = cluster.api.list(info, _ns(info, namespace) or None, selector)
    return [o for o in objs if not o["metadata"].get("deletionTimestamp")]


def count(kind: str, selector: str, expected: int, namespace: str = "default",
          phase: str | None = None):
    """Passes when exactly ``expected`` objects match the ``-l``-style ``selector``
    (and, if given, are in ``status.phase == phase``). Objects already being
    deleted are not counted: they are on their way out."""
    info, sel = _kind(kind), parse_selector(selector)
    many = f"{phase} {info.plural}" if phase else info.plural
    one = f"{phase} {info.singular}" if phase else info.singular
    text = str(sel)
    scope = f' in namespace "{namespace}"' if info.namespaced else ""

    def state(n: int) -> str:
        if text:
            return f"{n} {one} matches {text}{scope}" if n == 1 else f"{n} {many} match {text}{scope}"
        return f"{n} {one} exists{scope}" if n == 1 else f"{n} {many} exist{scope}"

    def check(cluster) -> Outcome:
        objs = _matching(cluster, info, sel, namespace)
        if phase:
            objs = [o for o in objs if (o.get("status") or {}).get("phase") == phase]
        n = len(objs)
        if n != expected:
            return Outcome(False, str(expected), str(n),
                           f"{state(n)}; the task asks for {expected}.")
        return Outcome(True, str(expected), str(n), f"{state(n)}.")
    shown = f" matching {text}" if text else ""
    return _probe(check, f"{expected} {one if expected == 1 else many}{shown}")


def _pod_state(pod: dict) -> str:
    """``Pending``, ``Pending (ImagePullBackOff)`` when a container waits for a reason, or
    what ``kubectl get pods`` shows for a Running pod whose container is not running
    (``CrashLoopBackOff``, ``Error``): only ``Running`` means every container runs."""
    status = pod.get("status") or {}
    phase = status.get("phase") or "Unknown"
    for cs in status.get("containerStatuses") or []:
        state = cs.get("state") or {}
        reason = (state.get("waiting") or {}).get("reason")
        if reason:
            return reason if phase == "Running" else f"{phase} ({reason})"
        if phase == "Running" and "terminated" in state:
            return state["terminated"].get("reason") or "Terminated"
    return phase


def pod_running(name_or_selector: str, namespace: str = "default"):
    """Passes when the named pod is Running; given a selector (``app=web``), when at
    least one pod matches and every matching pod is Running."""
    info = _kind("Pod")
    if not _SELECTOR_CHARS.search(name_or_selector):
        return _pod_running_by_name(info, name_or_selector, namespace)
    sel = parse_selector(name_or_selector)
    text = str(sel)

    def check(cluster) -> Outcome:
        pods = _matching(cluster, info, sel, namespace)
        if not pods:
            return Outcome(False, "Running", "no pods",
                           f'No pods match {text} in namespace "{namespace}"; the task asks '
                           "for at least one Running pod.")
        waiting = [p for p in pods if _pod_state(p) != "Running"]
        if waiting:
            listed = "; ".join(f'{p["metadata"]["name"]} is {_pod_state(p)}' for p in waiting[:5])
            listed += f"; {len(waiting) - 5} more" if len(waiting) > 5 else ""
            return Outcome(False, "Running", f"{len(pods) - len(waiting)} of {len(pods)} Running",
                           f"{len(pods) - len(waiting)} of {len(pods)} pods matching {text} are "
                           f"Running; the task asks for all of them to be Running. "
                           f"Not yet: {listed}.")
        all_ = "The pod" if len(pods) == 1 else f"All {len(pods)} pods"
        return Outcome(True, "Running", "Running", f"{all_} matching {text} "
                       f"{'is' if len(pods) == 1 else 'are'} Running.")
    return _probe(check, f"the pods matching {text} are Running")


def _pod_running_by_name(info: KindInfo, name: str, namespace: str):
    def check(cluster) -> Outcome:
        pod = _get(cluster, info, name, namespace)
        if pod is None:
            return Outcome(False, "Running", "not found",
                           f"{_not_found(cluster, info, name, namespace)}; the task asks for it "
                           "to be Running.")
        ref, state = _ref(info, name, namespace), _pod_state(pod)
        if pod["metadata"].get("deletionTimestamp"):
            return Outcome(False, "Running", "Terminating",
                           f"{ref} is terminating; the task asks for it to be Running.")
        if state != "Running":
            return Outcome(False, "Running", state,
                           f"{ref} is {state}; the task asks for it to be Running.")
        return Outcome(True, "Running", "Running", f"{ref} is Running.")
    return _probe(check, f'Pod "{name}" is Running', (_key(info, name, namespace),))


# -- workloads ---------------------------------------------------------------------------------

def rollout_complete(name: str, replicas: int | None = None, namespace: str = "default"):
    """Passes when the Deployment's rollout has finished, as ``kubectl rollout status``
    decides it: the latest spec observed, every replica updated, no old replica
    left and every updated replica available. With ``replicas``, the Deployment
    must also want exactly that many."""
    info = _kind("Deployment")
    want = f"{replicas} of {replicas} updated and available" if replicas is not None \
        else "rolled out"
    asks = f"the task asks for {replicas} replicas, all updated and available." \
        if replicas is not None else "the task asks for a finished rollout."

    def check(cluster) -> Outcome:
        d = _get(cluster, info, name, namespace)
        if d is None:
            return Outcome(False, want, "not found",
                           f"{_not_found(cluster, info, name, namespace)}; {asks}")
        ref, spec, status = _ref(info, name, namespace), d.get("spec") or {}, d.get("status") or {}
        wanted = spec.get("replicas", 1)
        updated, total = status.get("updatedReplicas", 0), status.get("replicas", 0)
        available = status.get("availableReplicas", 0)
        if replicas is not None and wanted != replicas:
            return Outcome(False, want, f"{wanted} replicas",
                           f"{ref} has {wanted} replicas; {asks}")
        if d["metadata"].get("generation", 0) > status.get("observedGeneration", 0):
            state = "its latest change has not been picked up yet"
        elif updated < wanted:
            state = f"{updated} out of {wanted} new replicas have been updated"
        elif total > updated:
            state = f"{total - updated} old replicas are pending termination"
        elif available < updated:
            state = f"{available} of {updated} updated replicas are available"
        else:
            return Outcome(True, want, f"{available} of {wanted} updated and available",
                           f"{ref} has rolled out: {available} of {wanted} replicas updated "
                           "and available.")
        return Outcome(False, want, state, f"{ref} is still rolling out: {state}; {asks}")
    return _probe(check, f'Deployment "{name}" has rolled out' +
                  (f" with {replicas} replicas" if replicas is not None else ""),
                  (_key(info, name, namespace),))


def _ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def _restarts(pod: dict) -> int:
    return sum(cs.get("restartCount", 0) for cs in
               (pod.get("status") or {}).get("containerStatuses") or [])


def _some(names: list[str]) -> str:
    return "; ".join(names[:5]) + (f"; {len(names) - 5} more" if len(names) > 5 else "")


def pods_ready(selector: str, namespace: str = "default"):
    """Passes when at least one pod matches and every matching pod is Ready (its
    containers started and their readiness probes, if any, succeed)."""
    info = _kind("Pod")
    sel = parse_selector(selector)
    text = str(sel)

    def check(cluster) -> Outcome:
        pods = _matching(cluster, info, sel, namespace)
        if not pods:
            return Outcome(False, "Ready", "no pods",
                           f'No pods match {text} in namespace "{namespace}"; the task asks '
                           "for at least one Ready pod.")
        not_ready = [p for p in pods if not _ready(p)]
        if not_ready:
            listed = _some([f'{p["metadata"]["name"]} is {_pod_state(p)}' for p in not_ready])
            return Outcome(False, "Ready", f"{len(pods) - len(not_ready)} of {len(pods)} Ready",
                           f"{len(pods) - len(not_ready)} of {len(pods)} pods matching {text} "
                           f"are Ready; the task asks for all of them to be Ready. Not Ready: "
                           f"{listed}.")
        all_ = "The pod" if len(pods) == 1 else f"All {len(pods)} pods"
        return Outcome(True, "Ready", "Ready", f"{all_} matching {text} "
                       f"{'is' if len(pods) == 1 else 'are'} Ready.")
    return _probe(check, f"the pods matching {text} are Ready")


def no_restarts(selector: str, namespace: str = "default"):
    """Passes when at least one pod matches and no container of a matching pod
    has restarted (pods on their way out are not counted)."""
    info = _kind("Pod")
    sel = parse_selector(selector)
    text = str(sel)

    def check(cluster) -> Outcome:
        pods = _matching(cluster, info, sel, namespace)
        if not pods:
            return Outcome(False, "0 restarts", "no pods",
                           f'No pods match {text} in namespace "{namespace}"; the task asks '
                           "for pods that run without restarting.")
        restarted = [(p["metadata"]["name"], _restarts(p)) for p in pods if _restarts(p)]
        if restarted:
            total = sum(n for _, n in restarted)
            listed = _some([f"{name} restarted {n} time{'s' if n != 1 else ''}"
                            for name, n in restarted])
            return Outcome(False, "0 restarts", f"{total} restarts",
                           f"{len(restarted)} of {len(pods)} pods matching {text} have "
                           f"restarted ({listed}); the task asks for pods that run without "
                           "restarting.")
        return Outcome(True, "0 restarts", "0 restarts",
                       f"No pod matching {text} has restarted.")
    return _probe(check, f"no pod matching {text} has restarted")


def endpoints_ready(service: str, expected: int, namespace: str = "default"):
    """Passes when the Service has exactly ``expected`` ready endpoint addresses
    (the pods its selector picks that are Ready)."""
    info = _kind("Endpoints")
    svc_info = _kind("Service")

    def check(cluster) -> Outcome:
        ref = _ref(svc_info, service, namespace)
        if _get(cluster, svc_info, service, namespace) is None:
            return Outcome(False, str(expected), "no Service",
                           f"{_not_found(cluster, svc_info, service, namespace)}, so it has no "
                           f"endpoints; the task asks for {expected}.")
        ep = _get(cluster, info, service, namespace) or {}
        addresses = []
        for subset in ep.get("subsets") or []:
            port = next((f':{p["port"]}' for p in subset.get("ports") or [] if p.get("port")), "")
            addresses += [f'{a.get("ip")}{port}' for a in subset.get("addresses") or []]
        n = len(addresses)
        found = f"{n} ready endpoint{'s' if n != 1 else ''}" + \
            (f" ({', '.join(addresses)})" if addresses else "")
        if n != expected:
            why = " (its selector picks no Ready pod)" if n == 0 else ""
            return Outcome(False, str(expected), str(n),
                           f"{ref} has {found}{why}; the task asks for {expected}.")
        return Outcome(True, str(expected), str(n), f"{ref} has {found}.")
    return _probe(check, f'Service "{service}" has {expected} ready endpoints',
                  (_key(svc_info, service, namespace),))


def answers_http(service: str, path: str = "/", contains: str = "",
                 namespace: str = "default"):
    """Passes when a request from outside the cluster, to a node's address and the
    Service's node port, gets a 2xx answer (whose text contains ``contains``).

    Unlike the other checks this one does not only read state: it sends one GET
    as ``curl http://NODE-IP:NODE-PORT/`` would, so the pod that answers logs it."""
    from kubelearn.network.http import HTTPConnectionError

    svc_info, node_info = _kind("Service"), _kind("Node")
    want = f"HTTP 200{f' with {contains!r}' if contains else ''}"

    def check(cluster) -> Outcome:
        svc = _get(cluster, svc_info, service, namespace)
        ref = _ref(svc_info, service, namespace)
        if svc is None:
            return Outcome(False, want, "no Service",
                           f"{_not_found(cluster, svc_info, service, namespace)}, so nothing "
                           "could be called; the task asks for it to answer from outside.")
        ports = [p.get("nodePort") for p in (svc.get("spec") or {}).get("ports") or []
                 if p.get("nodePort")]
        if not ports:
            kind = (svc.get("spec") or {}).get("type", "ClusterIP")
            return Outcome(False, want, f"type {kind}",
                           f"{ref} is of type {kind}: it opens no port on the nodes, so "
                           "nothing outside the cluster can call it; the task asks for it to "
                           "answer from outside.")
        ip = next((a.get("address") for n in cluster.api.list(node_info)
                   for a in (n.get("status") or {}).get("addresses") or []
                   if a.get("type") == "InternalIP"), None)
        if ip is None:
            return Outcome(False, want, "no node", "The cluster has no node to call.")
        url = f"http://{ip}:{ports[0]}{path}"
        try:
            response = cluster.http_get(url)
        except HTTPConnectionError as err:
            return Outcome(False, want, "no answer",
                           f"GET {url} got no answer ({err}); the task asks for {ref} to "
                           "answer from outside.")
        got = f"HTTP {response.status}"
        if not 200 <= response.status < 300 or (contains and contains not in response.text):
            text = response.text.strip().splitlines()[0] if response.text.strip() else ""
            return Outcome(False, want, got, f"GET {url} answered {got}"
                           f"{f' {text!r}' if text else ''}; the task asks for {want}.")
        return Outcome(True, want, got, f"GET {url} answered {got} from {ref}.")
    return _probe(check, f'Service "{service}" answers GET {path} from outside the cluster',
                  (_key(svc_info, service, namespace),))


# -- combining ---------------------------------------------------------------------------------

def all_of(*fns):
    """Passes when every check passes; reports every one that does not."""
    if not fns:
        raise ValueError("all_of needs at least one check")

    def check(cluster) -> Outcome:
        outcomes = [fn(cluster) for fn in fns]
        failed = [o for o in outcomes if not o.passed]
        shown = failed or outcomes
        return Outcome(not failed, "; ".join(o.expected for o in shown if o.expected),
                       "; ".join(o.actual for o in shown if o.actual),
                       " ".join(o.message for o in shown if o.message))
    about = tuple(dict.fromkeys(key for f in fns for key in getattr(f, "about", ())))
    return _probe(check, "; ".join(getattr(f, "description", "a check") for f in fns), about)
