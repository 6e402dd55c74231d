"""``kubectl apply -f``: create what is missing, patch what changed, leave the rest.

Client-side apply, as kubectl 1.32 does by default: a three-way merge between
the last applied configuration (annotation), the new manifest and the live
object. An empty patch prints ``unchanged``; otherwise ``configured``.
"""
from __future__ import annotations

from kubelearn.apiserver.errors import StatusError
from kubelearn.apiserver.patch import strategic_merge_patch, three_way_patch
from kubelearn.kubectl.apply_config import (LAST_APPLIED, go_json, last_applied,
                                             with_last_applied)
from kubelearn.kubectl.cmd_create import dry_run_mode, namespace_for, print_result, with_namespace
from kubelearn.kubectl.command import Invocation, Sourced
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.manifests import read_sources
from kubelearn.kubectl.output import OBJECT_FORMATS, parse_output
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("output", "o"),
    Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("validate", default="strict", no_opt="strict"),
    Flag("server-side", kind="bool", default=False),
    Flag("force-conflicts", kind="bool", default=False),
    Flag("prune", kind="bool", default=False),
    Flag("selector", "l"),
)

MISSING_ANNOTATION_WARNING = (
    "Warning: resource {resource}/{name} is missing the kubectl.kubernetes.io/"
    "last-applied-configuration annotation which is required by kubectl apply. kubectl apply "
    "should only be used on resources created declaratively by either kubectl create "
    "--save-config or kubectl apply. The missing annotation will be patched automatically.")


def run(inv: Invocation) -> None:
    if not inv.flags["filename"]:
        raise KubectlError("error: must specify one of -f and -k")
    if inv.flags["server-side"] or inv.flags["prune"]:
        raise KubectlError("error: kubelearn supports client-side apply only; drop --server-side "
                           "and --prune")
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    mode = dry_run_mode(inv)
    read = read_sources(inv.flags["filename"], inv.stdin, inv.flags["recursive"], inv.cwd)
    if not read.entries:
        raise KubectlError("error: no objects passed to apply")
    problems: list = []
    for doc in read.documents:
        try:
            ns = namespace_for(inv, doc.info, doc.obj)
            operation, obj = apply_one(inv, doc.info, doc.obj, ns, mode, doc.source)
        except (StatusError, PatchFailed) as err:
            problems.append(err.sourced if isinstance(err, PatchFailed)
                            else Sourced(err, "creating", doc.source))
            continue
        except KubectlError as err:
            problems.append(err.message.removeprefix("error: "))
            continue
        print_result(inv, doc.info, obj, operation, mode)
    # apply reads every object first: reading errors come before apply errors,
    # as one aggregate ("[a, b]" when there are several).
    reading = read.errors
    if reading and problems and len(reading) > 1:
        reading = ["[" + ", ".join(reading) + "]"]
    inv.fail(reading + problems)


class PatchFailed(Exception):
    """The server refused apply's patch of an existing object."""

    def __init__(self, sourced: Sourced):
        super().__init__(sourced.error.message)
        self.sourced = sourced


def apply_one(inv: Invocation, info, manifest: dict, namespace: str | None, mode: str,
              source: str = ""):
    """Apply one object; returns (operation word, resulting object)."""
    modified = with_last_applied(with_namespace(manifest, namespace))
    name = (modified.get("metadata") or {}).get("name", "")
    live = inv.api.store.get(info.kind, namespace or "", name) if name else None
    if live is None:
        if mode == "client":
            return "created", modified
        inv.api.pop_warnings()
        created = inv.api.create(modified, namespace, dry_run=mode == "server")
        _print_warnings(inv)
        return "created", created
    original = last_applied(live)
    if original is None:
        inv.warn(MISSING_ANNOTATION_WARNING.format(resource=info.plural, name=name))
    patch = three_way_patch(original, modified, live)
    if not patch:
        return "unchanged", live
    if mode == "client":
        return "configured", strategic_merge_patch(live, patch)
    inv.api.pop_warnings()
    try:
        updated = inv.api.patch(info, name, namespace or "", patch, dry_run=mode == "server")
    except StatusError as err:
        raise PatchFailed(_patch_error(info, name, namespace or "", patch, source, err)) from None
    _print_warnings(inv)
    changed = updated["metadata"]["resourceVersion"] != live["metadata"]["resourceVersion"]
    return ("configured" if changed or mode == "server" else "unchanged"), updated


def _print_warnings(inv: Invocation) -> None:
    """The server's warnings for the request just made, as kubectl prints them."""
    for message in inv.api.pop_warnings():
        inv.warn(f"Warning: {message}")


def _patch_error(info, name: str, namespace: str, patch: dict, source: str,
                 err: StatusError) -> Sourced:
    """kubectl's words for a refused patch: ``error when applying patch:`` the
    patch, ``to:`` the object, ``for: "<file>": error when patching "<file>": ...``."""
    inner = StatusError(err.code, err.reason, f'error when patching "{source}": {err.message}',
                        causes=err.causes, kind=err.kind, name=err.name)
    target = (f'Resource: "{info.group}/{info.version}, Resource={info.plural}", '
              f'GroupVersionKind: "{info.group}/{info.version}, Kind={info.kind}"\n'
              f'Name: "{name}", Namespace: "{namespace}"')
    return Sourced(inner, f"applying patch:\n{go_json(patch)}\nto:\n{target}\nfor:", source)


__all__ = ["run", "apply_one", "LAST_APPLIED"]
