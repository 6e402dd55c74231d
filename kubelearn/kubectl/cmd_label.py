"""``kubectl label`` and ``kubectl annotate``: add, change or remove metadata keys.

``key=value`` sets, ``key-`` removes; changing an existing key needs
``--overwrite``. The change is a merge patch of ``metadata.labels`` (or
``annotations``) through the API server, which validates it.
"""
from __future__ import annotations

from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.cmd_create import dry_run_mode, suffix
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("overwrite", kind="bool", default=False),
    Flag("selector", "l"),
    Flag("all", kind="bool", default=False),
    Flag("all-namespaces", "A", "bool", False),
    Flag("list", kind="bool", default=False),
    Flag("output", "o"),
    Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("filename", "f", "list"),
    Flag("resource-version"),
)


def run_label(inv: Invocation) -> None:
    _run(inv, "labels", "label")


def run_annotate(inv: Invocation) -> None:
    _run(inv, "annotations", "annotation")


def split_pairs(args: list[str], noun: str) -> tuple[list[str], list[str]]:
    """Resources first, then changes (upstream ``GetResourcesAndPairs``): a change
    has ``=`` (not first) or ends with ``-``."""
    resources, pairs = [], []
    for arg in args:
        is_pair = ("=" in arg and not arg.startswith("=")) or (arg.endswith("-") and arg != "-")
        if is_pair:
            pairs.append(arg)
        elif pairs:
            raise KubectlError(f"error: all resources must be specified before {noun} changes: "
                               f"{arg}")
        else:
            resources.append(arg)
    return resources, pairs


def _parse_labels(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """``key=value`` and ``key-`` (upstream ``parseLabels``)."""
    from kubelearn.api.validation import go_quote, is_valid_label_value

    updates, removals = {}, []
    for spec in pairs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise KubectlError(f"error: invalid label spec: {spec}")
            errs = is_valid_label_value(parts[1])
            if errs:
                raise KubectlError(f"error: invalid label value: {go_quote(spec)}: "
                                   + ";".join(errs))
            updates[parts[0]] = parts[1]
        elif spec.endswith("-"):
            removals.append(spec[:-1])
        else:
            raise KubectlError(f"error: unknown label spec: {spec}")
    if any(key in updates for key in removals):
        raise KubectlError("error: can not both modify and remove a label in the same command")
    return updates, removals


def _parse_annotations(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """``key=value`` (the value may hold ``=``) and ``key-`` (upstream ``ParsePairs``)."""
    updates, removals, invalid = {}, [], []
    for spec in pairs:
        if "=" in spec and not spec.startswith("="):
            key, _, value = spec.partition("=")
            updates[key] = value
        elif spec.endswith("-") and spec != "-":
            removals.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise KubectlError(f"error: invalid annotation format: {', '.join(invalid)}")
    return updates, removals


def _run(inv: Invocation, field: str, noun: str) -> None:
    resources, pairs = split_pairs(inv.args, noun)
    if field == "labels":
        updates, removals = _parse_labels(pairs)
    else:
        updates, removals = _parse_annotations(pairs)
    if inv.flags["all"] and inv.flags["selector"]:
        raise KubectlError("error: cannot set --all and --selector at the same time")
    if not resources:
        raise KubectlError("error: one or more resources must be specified as <resource> <name> "
                           "or <resource>/<name>")
    if not updates and not removals and not inv.flags["list"]:
        raise KubectlError(f"error: at least one {noun} update is required")
    both = [key for key in removals if key in updates]
    if both and field == "annotations":
        raise KubectlError("error: can not both modify and remove the following annotation(s) in "
                           f"the same command: {', '.join(both)}")
    mode = dry_run_mode(inv)
    requests = parse_resource_args(resources)
    targets, problems = [], []
    for request in requests:
        ns = None if (inv.flags["all-namespaces"] or not request.info.namespaced) \
            else inv.namespace
        if request.names:
            for name in request.names:
                try:
                    targets.append((request.info, inv.api.get(request.info, name, ns or "")))
                except StatusError as err:
                    problems.append(err)
        elif inv.flags["selector"] or inv.flags["all"]:
            targets += [(request.info, o) for o in
                        select(inv.api, request.info, ns, inv.flags["selector"])]
        else:
            raise KubectlError("error: resource(s) were provided, but no name was specified")
    for info, obj in targets:
        current = dict(obj["metadata"].get(field) or {})
        if inv.flags["list"]:
            for key in sorted(current):
                inv.print(f"{key}={current[key]}")
            continue
        try:
            word = _apply_changes(inv, info, obj, field, current, updates, removals, mode)
        except _Conflicts as err:
            problems.append(err.messages)
            continue
        except KubectlError as err:
            problems.append(err.message.removeprefix("error: "))
            continue
        except StatusError as err:
            problems.append(err)
            continue
        name = f"{info.display}/{obj['metadata']['name']}"
        inv.print(name if inv.flags["output"] == "name" else f"{name} {word}{suffix(mode)}")
    # one object's several conflicts print one per line; among other errors
    # they read as one Go aggregate "[a, b]"
    if len(problems) == 1 and isinstance(problems[0], list):
        problems = problems[0]
    inv.fail([p if not isinstance(p, list) else p[0] if len(p) == 1
              else "[" + ", ".join(p) + "]" for p in problems])


class _Conflicts(Exception):
    """Keys that already have a value while --overwrite is false."""

    def __init__(self, messages: list[str]):
        super().__init__(messages[0])
        self.messages = messages


def _apply_changes(inv, info, obj, field, current, updates, removals, mode="none") -> str:
    """Patch one object; returns the word kubectl prints for it."""
    if not inv.flags["overwrite"]:
        taken = [key for key in sorted(updates) if key in current]
        if taken and field == "labels":
            raise _Conflicts([f"'{k}' already has a value ({current[k]}), and --overwrite is "
                              "false" for k in taken])
        if taken:
            raise KubectlError("--overwrite is false but found the following declared "
                               "annotation(s): " + "; ".join(f"'{k}' already has a value "
                                                             f"({current[k]})" for k in taken))
    if field == "labels":
        for key in removals:
            if key not in current:
                inv.print(f'label "{key}" not found.')
    patch = {k: v for k, v in updates.items() if current.get(k) != v}
    patch.update({k: None for k in removals if k in current})
    if patch and mode != "client":           # a client dry run only prints
        meta = obj["metadata"]
        inv.api.patch(info, meta["name"], meta.get("namespace", ""), {"metadata": {field: patch}},
                      patch_type="merge", dry_run=mode == "server")
    if field == "annotations":
        return "annotated"            # annotate prints "annotated" whatever happened
    if not patch:
        return "not labeled"
    # upstream compares the object's JSON before and after: shorter (without
    # --overwrite) means labels were removed
    from kubelearn.kubectl.apply_config import go_json

    before = {field: current} if field in obj["metadata"] else {}
    after = {field: {k: v for k, v in {**current, **patch}.items() if v is not None}}
    if not inv.flags["overwrite"] and len(go_json(after)) < len(go_json(before)):
        return "unlabeled"
    return "labeled"
