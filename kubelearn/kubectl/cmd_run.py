"""``kubectl run``: create one pod from the command line.

A port of kubectl 1.32's ``pkg/cmd/run/run.go`` and its pod generator
(``generate/versioned/run.go``, ``BasicPod``, once called ``run-pod/v1``): a
pod named NAME with one container named NAME, labelled ``run=NAME`` unless
``--labels`` says otherwise, ``dnsPolicy: ClusterFirst`` and the restart
policy of ``--restart``. Words after NAME become the container's ``args``, or
its ``command`` with ``--command``. ``--expose --port`` adds a ClusterIP
Service (upstream's ``service/v2`` generator) selecting the pod.

The pod is a typed Go struct, so its JSON keeps Go's field order, and it goes
through the API server, which validates and defaults it as on a real cluster.

Attaching (``-i``, ``--attach``, ``--rm``) works the way a notebook can: the
command runs on simulated time until its container exits, then kubectl prints
what it wrote (as kubectl does when the pod has already finished), deletes the
pod with ``--rm`` and returns the container's exit code with
``--restart=Never``. A terminal (``-t``) and stdin typed by hand cannot exist
in a notebook cell; those are refused with a clear message.
"""
from __future__ import annotations

import json
import re

from kubelearn.api.kinds import kind_info
from kubelearn.api.validation import go_quote, is_env_var_name
from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.apply_config import LAST_APPLIED
from kubelearn.kubectl.cmd_create import dry_run_mode, print_result
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.output import OBJECT_FORMATS, parse_output
from kubelearn.kubectl.result import KubectlError
from kubelearn.kubectl.run_attach import attach_and_wait

FLAGS = (
    # PrintFlags
    Flag("output", "o"),
    Flag("template"),
    Flag("allow-missing-template-keys", kind="bool", default=True),
    Flag("show-managed-fields", kind="bool", default=False),
    # RecordFlags
    Flag("record", kind="bool", default=False),
    # DeleteFlags (kept for --rm; deprecated and unused by run itself)
    Flag("cascade", default="background", no_opt="background"),
    Flag("filename", "f", "list"),
    Flag("force", kind="bool", default=False),
    Flag("grace-period", kind="int", default=-1),
    Flag("kustomize", "k"),
    Flag("recursive", "R", "bool", False),
    Flag("timeout", default="0s"),
    Flag("wait", kind="bool", default=False),
    # addRunFlags
    Flag("annotations", kind="list"),
    Flag("image"),
    Flag("image-pull-policy", default=""),
    Flag("rm", kind="bool", default=False),
    Flag("env", kind="list"),
    Flag("port", default=""),
    Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("labels", "l", default=""),
    Flag("stdin", "i", "bool", False),
    Flag("tty", "t", "bool", False),
    Flag("attach", kind="bool", default=False),
    Flag("leave-stdin-open", kind="bool", default=False),
    Flag("restart", default=""),
    Flag("command", kind="bool", default=False),
    Flag("expose", kind="bool", default=False),
    Flag("quiet", "q", "bool", False),
    Flag("privileged", kind="bool", default=False),
    Flag("save-config", kind="bool", default=False),
    Flag("field-manager", default="kubectl-run"),
    Flag("overrides", default=""),
    Flag("override-type", default="merge"),
    Flag("pod-running-timeout", default="1m0s"),
)

USAGE_HINT = "\nSee 'kubectl run -h' for help and examples"


def run(inv: Invocation) -> None:
    """``kubectl run NAME --image=IMAGE [--port] [--labels] [--env]... [-- ARGS...]``."""
    flags = inv.flags
    if flags.given("record"):
        inv.warn("Flag --record has been deprecated, --record will be removed in the future")
    timeout = _pod_running_timeout(inv)
    if not flags.given("image"):
        # cobra's required-flag check (1.32 logs it as a klog line; this is the
        # wording of 1.27, 1.30 and 1.33, as for create deployment)
        raise KubectlError('error: required flag(s) "image" not set')
    mode = dry_run_mode(inv)
    fmt = parse_output(flags["output"], OBJECT_FORMATS)
    attach, restart = _validate(inv, mode)
    words = inv.args + inv.flags.after_dash
    name, args = words[0], words[1:]
    if attach:
        _refuse_what_a_notebook_cannot_do(inv, args)
    pod = _generate_pod(inv, name, args)
    pod = _override(inv, pod)
    if mode == "client" and inv.namespace_given:
        pod["metadata"] = _with_namespace(pod["metadata"], inv.namespace)
    created = _create(inv, "Pod", pod, mode)
    problems: list = []
    service = None
    if flags["expose"]:
        try:
            service = _create(inv, "Service", _generate_service(inv, name), mode)
        except StatusError as err:
            problems.append(err)
        else:
            _print(inv, "Service", service, mode)
            if fmt.kind == "yaml":
                inv.print("---")        # run.go separates the two YAML documents itself
    if attach:
        attach_and_wait(inv, created, service, restart, timeout, problems)
        return
    if fmt.kind == "yaml" and service is not None:
        inv.write("---\n")            # ... and the YAML printer does once more
    _print(inv, "Pod", created, mode)
    inv.fail(problems)


# --- validation (RunOptions.Validate) ----------------------------------------------------------

# github.com/distribution/reference's ReferenceRegexp (anchored).
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*"
_REFERENCE = re.compile(
    rf"(?:{_DOMAIN}/)?{_NAME_COMPONENT}(?:/{_NAME_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?")


def _validate(inv: Invocation, mode: str) -> tuple[bool, str]:
    """Upstream's checks, in upstream's order; returns (attach, restart policy)."""
    flags = inv.flags
    if not inv.args and not flags.after_dash:
        raise KubectlError("error: NAME is required for run" + USAGE_HINT)
    image = flags["image"]
    if not image:
        raise KubectlError("error: --image is required")
    if not _REFERENCE.fullmatch(image):
        raise KubectlError(f"error: Invalid image name {go_quote(image)}: invalid reference "
                           "format")
    if flags["tty"] and not flags["stdin"]:
        raise KubectlError("error: -i/--stdin is required for containers with -t/--tty=true"
                           + USAGE_HINT)
    if flags["expose"] and not flags["port"]:
        raise KubectlError("error: --port must be set when exposing a service" + USAGE_HINT)
    restart = flags["restart"]
    if not restart:
        restart = "OnFailure" if flags["stdin"] else "Always"
    elif restart not in ("Always", "OnFailure", "Never"):
        raise KubectlError(f"error: invalid restart policy: {restart}" + USAGE_HINT)
    # --attach defaults to true with -i/--stdin
    attach = flags["attach"] if flags.given("attach") else flags["stdin"]
    if not attach and flags["rm"]:
        raise KubectlError("error: --rm should only be used for attached containers"
                           + USAGE_HINT)
    if attach and mode != "none":
        raise KubectlError("error: --dry-run=[server|client] can't be used with attached "
                           "containers options (--attach, --stdin, or --tty)" + USAGE_HINT)
    policy = flags["image-pull-policy"]
    if policy not in ("", "Always", "IfNotPresent", "Never"):
        raise KubectlError(f"error: invalid image pull policy: {policy}" + USAGE_HINT)
    return attach, restart


def _pod_running_timeout(inv: Invocation) -> float:
    from kubelearn.kubectl.cmd_rollout import parse_duration

    return parse_duration(inv.flags["pod-running-timeout"], "pod-running-timeout", "run")


def _refuse_what_a_notebook_cannot_do(inv: Invocation, args: list[str]) -> None:
    """kubelearn's own limits, checked before anything is created."""
    example = ("e.g. kubectl run tmp --image=busybox --rm -i --restart=Never -- "
               "wget -qO- http://web")
    if inv.flags["tty"]:
        raise KubectlError("error: kubelearn cannot open a terminal (-t/--tty): a notebook cell "
                           "has no keyboard to type into the container. Drop -t and give the "
                           f"command to run after --, {example}")
    if inv.flags["stdin"] and not args:
        raise KubectlError("error: kubelearn cannot send what you type to the container "
                           "(-i/--stdin without a command): a notebook cell has no keyboard. "
                           f"Give the command to run after --, {example}")


# --- the pod (BasicPod.Generate) -----------------------------------------------------------------

def _generate_pod(inv: Invocation, name: str, args: list[str]) -> dict:
    """The generator reads --restart itself: without it the pod restarts Always, even
    with -i (for which run.go then waits as for OnFailure)."""
    flags = inv.flags
    envs = _parse_envs(flags["env"])
    labels = _parse_labels(flags["labels"]) if flags["labels"] else {"run": name}
    annotations = _parse_annotations(flags["annotations"])
    container: dict = {"name": name, "image": flags["image"]}
    if args:
        container["command" if flags["command"] else "args"] = list(args)
    if flags["port"]:
        container["ports"] = [{"containerPort": _atoi(flags["port"])}]
    if envs:
        container["env"] = envs
    container["resources"] = {}
    if flags["image-pull-policy"]:
        container["imagePullPolicy"] = flags["image-pull-policy"]
    if flags["privileged"]:
        container["securityContext"] = {"privileged": True}
    if flags["stdin"]:
        container["stdin"] = True
        if not flags["leave-stdin-open"]:
            container["stdinOnce"] = True
    if flags["tty"]:
        container["tty"] = True
    meta: dict = {"name": name, "creationTimestamp": None, "labels": labels}
    if annotations:
        meta["annotations"] = annotations
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta,
            "spec": {"containers": [container],
                     "restartPolicy": flags["restart"] or "Always",
                     "dnsPolicy": "ClusterFirst"},
            "status": {}}


def _parse_envs(specs: list[str]) -> list[dict]:
    envs = []
    for spec in specs:
        key, eq, value = spec.partition("=")
        if not eq or not key or is_env_var_name(key):
            raise KubectlError(f"error: invalid env: {spec}")
        envs.append({"name": key, "value": value})
    return envs


def _parse_labels(text: str) -> dict:
    """generate.ParseLabels: ``k=v,k2=v2``; a map, so printed sorted."""
    labels = {}
    for spec in text.split(","):
        parts = spec.split("=")
        if len(parts) != 2:
            raise KubectlError(f"error: unexpected label spec: {spec}")
        if not parts[0]:
            raise KubectlError("error: unexpected empty label key")
        labels[parts[0]] = parts[1]
    return dict(sorted(labels.items()))


def _parse_annotations(specs: list[str]) -> dict:
    """Each ``--annotations`` is one ``key=value`` (the value may hold ``=`` and ``,``)."""
    annotations = {}
    for spec in specs:
        key, eq, value = spec.partition("=")
        if not eq or not key:
            raise KubectlError(f"error: invalid annotations format: {spec}")
        annotations[key] = value
    return dict(sorted(annotations.items()))


def _atoi(text: str) -> int:
    """strconv.Atoi, with its error (any int fits; the server checks the range)."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise KubectlError(f"error: strconv.Atoi: parsing {go_quote(text)}: invalid syntax")
    return int(text)


def _with_namespace(meta: dict, namespace: str) -> dict:
    """ObjectMeta in Go field order: the namespace follows the name."""
    return {"name": meta["name"], "namespace": namespace,
            **{k: v for k, v in meta.items() if k not in ("name", "namespace")}}


# --overrides: applied to the typed pod, which is then decoded again (Go field order).
_SPEC_ORDER = ("volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
               "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy",
               "nodeSelector", "serviceAccountName", "serviceAccount",
               "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC",
               "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname",
               "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases",
               "priorityClassName", "priority", "dnsConfig", "readinessGates",
               "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead",
               "topologySpreadConstraints", "setHostnameAsFQDN", "os", "hostUsers",
               "schedulingGates", "resourceClaims")


def _override(inv: Invocation, pod: dict) -> dict:
    from kubelearn.apiserver.patch import json_merge_patch, strategic_merge_patch

    kind = inv.flags["override-type"]
    if kind not in ("json", "merge", "strategic"):
        raise KubectlError(f"error: invalid override type: {kind}")
    text = inv.flags["overrides"]
    if not text:
        return pod
    if kind == "json":
        raise KubectlError("error: kubelearn does not support --override-type=json yet; use "
                           "merge or strategic")
    try:
        patch = json.loads(text)
    except ValueError:
        raise KubectlError("error: Invalid JSON Patch") from None
    if not isinstance(patch, dict):
        raise KubectlError("error: Invalid JSON Patch")
    merged = (json_merge_patch if kind == "merge" else strategic_merge_patch)(pod, patch)
    spec = merged.get("spec") or {}
    merged["spec"] = {**{k: spec[k] for k in _SPEC_ORDER if k in spec},
                      **{k: v for k, v in spec.items() if k not in _SPEC_ORDER}}
    for key in ("labels", "annotations"):
        if isinstance(merged["metadata"].get(key), dict):
            merged["metadata"][key] = dict(sorted(merged["metadata"][key].items()))
    return merged


# --- the service (generateService, ServiceGeneratorV2) -----------------------------------------

def _generate_service(inv: Invocation, name: str) -> dict:
    labels_text = inv.flags["labels"]
    selector = _parse_labels(labels_text or f"run={name}")
    port = _atoi(inv.flags["port"])
    meta: dict = {"name": name, "creationTimestamp": None}
    if labels_text:
        meta["labels"] = _parse_labels(labels_text)
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta,
            "spec": {"ports": [{"protocol": "TCP", "port": port, "targetPort": port}],
                     "selector": selector},
            "status": {"loadBalancer": {}}}


# --- creating and printing (createGeneratedObject) ---------------------------------------------

def _create(inv: Invocation, kind: str, obj: dict, mode: str) -> dict:
    from kubelearn.kubectl.printers.jsonout import marshal

    if mode == "client":
        if kind == "Service" and inv.namespace_given:
            obj = {**obj, "metadata": _with_namespace(obj["metadata"], inv.namespace)}
        return obj
    if inv.flags["save-config"]:
        annotation = marshal(obj, sort_keys=False) + "\n"
        obj = {**obj, "metadata": {**obj["metadata"], "annotations": {
            **(obj["metadata"].get("annotations") or {}), LAST_APPLIED: annotation}}}
    return inv.api.create(obj, inv.namespace, dry_run=mode == "server")


def _print(inv: Invocation, kind: str, obj: dict, mode: str) -> None:
    """A client-side object is a typed struct: its JSON keeps Go's field order."""
    print_result(inv, kind_info(kind), obj, "created", mode, typed=mode == "client")
