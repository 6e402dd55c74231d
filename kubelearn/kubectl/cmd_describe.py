"""``kubectl describe``: the long, human-readable view of objects and their events."""
from __future__ import annotations

from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("all-namespaces", "A", "bool", False),
    Flag("selector", "l"),
    Flag("show-events", kind="bool", default=True),
    Flag("filename", "f", "list"),
)


def run(inv: Invocation) -> None:
    from kubelearn.kubectl.describe import describe

    if not inv.args:
        raise KubectlError('error: You must specify the type of resource to describe. Use '
                           '"kubectl api-resources" for a complete list of supported resources.')
    requests = parse_resource_args(inv.args)
    all_ns = inv.flags["all-namespaces"]
    now = inv.api.clock.now
    found, problems = [], []
    for request in requests:
        namespace = None if (all_ns or not request.info.namespaced) else inv.namespace
        if not request.names:
            found += [(request.info, o) for o in select(inv.api, request.info, namespace,
                                                       inv.flags["selector"])]
            continue
        for name in request.names:
            try:
                found.append((request.info, inv.api.get(request.info, name, namespace or "")))
            except StatusError as err:
                problems.append(err)
    if len(inv.args) == 2 and len(problems) == 1 and problems[0].reason == "NotFound":
        # ``describe TYPE PREFIX``: every object whose name starts with PREFIX, in
        # the current namespace, each followed by a blank line (DescribeMatchingResources)
        info = requests[0].info
        ns = inv.namespace if info.namespaced else None
        matches = [o for o in inv.api.list(info, ns)
                   if o["metadata"]["name"].startswith(inv.args[1])]
        if matches:
            for obj in matches:
                inv.write(describe(inv.api, info.kind, obj, now,
                                   show_events=inv.flags["show-events"]) + "\n")
            return
    texts = [describe(inv.api, info.kind, obj, now, show_events=inv.flags["show-events"])
             for info, obj in found]
    if texts:
        inv.write("\n\n".join(texts))
    elif not problems:
        inv.warn("No resources found" if all_ns
                 else f"No resources found in {inv.namespace} namespace.")
    inv.fail(problems)
