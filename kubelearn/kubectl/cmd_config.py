"""``kubectl config``: the kernel's contexts (never the learner's ~/.kube/config)."""
from __future__ import annotations

from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("current", kind="bool", default=False),
    Flag("output", "o"),
    Flag("no-headers", kind="bool", default=False),
    Flag("minify", kind="bool", default=False),
)


# Every ``kubectl config`` subcommand of kubectl 1.32.
CONFIG_COMMANDS = ("current-context", "delete-cluster", "delete-context", "delete-user",
                   "get-clusters", "get-contexts", "get-users", "rename-context", "set",
                   "set-cluster", "set-context", "set-credentials", "unset", "use-context", "use",
                   "view")


def run(inv: Invocation) -> None:
    if not inv.args:
        raise KubectlError('error: kubelearn supports "kubectl config current-context", '
                           '"get-contexts", "use-context NAME" and "set-context --current '
                           '--namespace=NS"')
    sub, rest = inv.args[0], inv.args[1:]
    handler = {"current-context": _current, "get-contexts": _get_contexts,
               "use-context": _use, "use": _use, "set-context": _set_context}.get(sub)
    if handler is None and sub not in CONFIG_COMMANDS:
        raise KubectlError(f'error: unknown command "{" ".join(inv.args)}"\n'
                           "See 'kubectl config -h' for help and examples")
    if handler is None:
        raise KubectlError(f"error: kubelearn does not support 'kubectl config {sub}' yet")
    handler(inv, rest)


def _current(inv: Invocation, rest: list[str]) -> None:
    config = inv.cluster.kubeconfig
    if not config.current:
        raise KubectlError("error: current-context is not set")
    inv.print(config.current)


def _get_contexts(inv: Invocation, rest: list[str]) -> None:
    from kubelearn.kubectl.printers.tabwriter import format_table

    config = inv.cluster.kubeconfig
    contexts = config.contexts()
    missing = [n for n in rest if config.get(n) is None]
    if rest:
        contexts = [c for c in contexts if c.name in rest]
    if inv.flags["output"] == "name":
        for ctx in contexts:
            inv.print(ctx.name)
        return
    rows = [] if inv.flags["no-headers"] else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO",
                                                "NAMESPACE"]]
    for ctx in contexts:
        rows.append(["*" if ctx.name == config.current else "", ctx.name, ctx.cluster_name,
                     ctx.user, ctx.namespace])
    inv.write(format_table(rows))
    if missing:       # the table (maybe just its header) is printed first
        inv.fail([f"context {name} not found" for name in missing])


def _use(inv: Invocation, rest: list[str]) -> None:
    if len(rest) != 1:
        raise KubectlError(f"error: Unexpected args: {_go_list(rest)}")
    config = inv.cluster.kubeconfig
    if config.get(rest[0]) is None:
        raise KubectlError(f'error: no context exists with the name: "{rest[0]}"')
    config.current = rest[0]
    inv.print(f'Switched to context "{rest[0]}".')


def _set_context(inv: Invocation, rest: list[str]) -> None:
    config = inv.cluster.kubeconfig
    if inv.flags["current"]:
        if rest:
            raise KubectlError("error: you cannot specify both a context name and --current")
        name = config.current
    elif len(rest) == 1:
        name = rest[0]
    else:
        raise KubectlError("error: you must specify a non-empty context name or --current")
    ctx = config.get(name)
    if ctx is None:
        raise KubectlError(f"error: kubelearn cannot create new contexts; known contexts: "
                           + ", ".join(c.name for c in config.contexts()))
    if inv.flags.given("namespace"):
        ctx.namespace = inv.flags["namespace"]
    inv.print(f'Context "{name}" modified.')


def _go_list(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"
