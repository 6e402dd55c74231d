"""``kubectl delete``: by name, by label, ``--all``, or everything in a manifest.

Like kubectl (``--wait=true`` by default), it waits until the objects are
really gone — here by advancing simulated time through a pod's graceful
termination or a namespace's clean-up.
"""
from __future__ import annotations

from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.cmd_create import dry_run_mode, namespace_for, suffix
from kubelearn.kubectl.command import Invocation, Sourced
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.manifests import read_sources
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("selector", "l"),
    Flag("all", kind="bool", default=False),
    Flag("all-namespaces", "A", "bool", False),
    Flag("grace-period", kind="int", default=-1),
    Flag("force", kind="bool", default=False),
    Flag("now", kind="bool", default=False),
    Flag("wait", kind="bool", default=True),
    Flag("cascade", default="background", no_opt="background"),
    Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("ignore-not-found", kind="bool", default=False),
    Flag("output", "o"),
)

NO_ARGS = ("error: You must provide one or more resources by argument or filename.\n"
           "Example resource specifications include:\n"
           "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running "
                 "resource has been terminated. The resource may continue to run on the cluster "
                 "indefinitely.")
# Longest a delete waits for objects to go, in simulated seconds.
WAIT_LIMIT = 600


def run(inv: Invocation) -> None:
    flags = inv.flags
    if flags["all"] and flags["selector"]:
        raise KubectlError("error: setting 'all' parameter but found a non empty selector. ")
    if not inv.args and not flags["filename"]:
        raise KubectlError(NO_ARGS)
    if flags["now"] and flags["grace-period"] != -1:
        raise KubectlError("error: --now and --grace-period cannot be specified together")
    mode = dry_run_mode(inv)
    grace = _grace(flags)
    targets, problems = _targets(inv)
    output = flags["output"] or ""
    if output not in ("", "name"):
        raise KubectlError(f"error: unexpected -o output mode: {output}. We only support '-o name'")
    if flags["force"] and grace is not None and grace > 0:
        raise KubectlError("error: --force and --grace-period greater than 0 cannot be specified "
                           "together")
    if flags["force"] and grace == 0:
        inv.warn(FORCE_WARNING)
    # with --all or -l, objects that vanish meanwhile are no error (unless asked)
    ignore_not_found = flags["ignore-not-found"] or (
        not flags.given("ignore-not-found") and (flags["all"] or bool(flags["selector"])))
    deleted, found = [], 0
    for target in targets:
        if isinstance(target, str):        # a manifest that could not be read
            problems.append(target)
            continue
        info, obj, source = target
        meta = obj["metadata"]
        found += 1
        try:
            # a client dry run only prints (upstream does not call the server)
            gone = obj if mode == "client" else inv.api.delete(
                info, meta["name"], meta.get("namespace", ""), grace_period=grace,
                propagation=_propagation(flags["cascade"]), dry_run=mode == "server")
        except StatusError as err:
            if not (ignore_not_found and err.reason == "NotFound"):
                problems.append(Sourced(err, "deleting", source) if source else err)
            continue
        word = "force deleted" if grace == 0 else "deleted"
        if output == "name":
            inv.print(f"{info.display}/{meta['name']}")
        else:
            inv.print(f'{info.display} "{meta["name"]}" {word}{suffix(mode)}')
        deleted.append((info, gone["metadata"]))
    if problems:
        inv.fail(problems)          # kubectl returns before it would wait
        return
    if not found:
        inv.print("No resources found")
        return
    if flags["wait"] and mode == "none":
        _wait_until_gone(inv, deleted)


def _grace(flags) -> int | None:
    """The grace period sent (upstream Complete): --now is 1 s; --grace-period=0
    without --force becomes 1 s; --force alone is 0; -1 means the object's own."""
    if flags["now"]:
        return 1
    period = flags["grace-period"]
    if period == 0 and not flags["force"]:
        return 1
    if flags["force"] and period < 0:
        return 0
    return period if period >= 0 else None


def _propagation(cascade: str) -> str:
    return {"orphan": "Orphan", "foreground": "Foreground"}.get(cascade, "Background")


def _targets(inv: Invocation):
    """(kind, object, source file) for everything the command names, and reading
    errors (str) where they occur among a manifest's documents."""
    targets, problems = [], []
    if inv.flags["filename"]:
        read = read_sources(inv.flags["filename"], inv.stdin, inv.flags["recursive"], inv.cwd)
        for doc in read.entries:
            if isinstance(doc, str):
                targets.append(doc)
                continue
            meta = doc.obj.get("metadata") or {}
            try:
                ns = namespace_for(inv, doc.info, doc.obj) or ""
            except KubectlError as err:
                targets.append(err.message.removeprefix("error: "))
                continue
            stub = {"metadata": {"name": meta.get("name", ""), "namespace": ns}}
            targets.append((doc.info, stub, doc.source))
        return targets, problems
    requests = parse_resource_args(inv.args)
    selector, everything = inv.flags["selector"], inv.flags["all"]
    for request in requests:
        namespace = None if (inv.flags["all-namespaces"] or not request.info.namespaced) \
            else inv.namespace
        if request.names:
            if selector or everything:
                raise KubectlError("error: name cannot be provided when a selector is specified")
            targets += [(request.info, {"metadata": {"name": n, "namespace": namespace or ""}},
                         None) for n in request.names]
        elif selector or everything:
            objects = select(inv.api, request.info, namespace, selector)
            targets += [(request.info, o, None) for o in objects]
        else:
            raise KubectlError('error: resource(s) were provided, but no name was specified')
    return targets, problems


def _wait_until_gone(inv: Invocation, deleted) -> None:
    cluster = inv.cluster
    cluster.run_now()
    start = cluster.clock.now
    while any(_exists(inv, info, meta) for info, meta in deleted):
        when = cluster.clock.next_due()
        if when is None or when - start > WAIT_LIMIT:
            return
        cluster.advance(when - cluster.clock.now)


def _exists(inv: Invocation, info, meta) -> bool:
    current = inv.api.store.get(info.kind, meta.get("namespace", "") if info.namespaced else "",
                                meta["name"])
    return current is not None and current["metadata"].get("uid") == meta.get("uid")
