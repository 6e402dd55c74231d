"""kubectl for the simulated cluster: same command lines, same output, same errors.

``run(cluster, "get pods -o wide")`` parses the line as kubectl does (cobra +
pflag), runs the verb against the cluster's API server and returns what a
terminal would show: stdout, stderr and the exit code.
"""
from __future__ import annotations

import shlex

from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl import (cmd_apply, cmd_config, cmd_create, cmd_delete, cmd_describe,
                               cmd_get, cmd_info, cmd_label, cmd_rollout, cmd_workloads)
from kubelearn.kubectl import cmd_exec, cmd_logs, cmd_port_forward, cmd_run
from kubelearn.kubectl.command import Command, Invocation, render_problems
from kubelearn.kubectl.flags import GLOBAL_FLAGS, parse
from kubelearn.kubectl.result import KubectlError, KubectlResult

COMMANDS = {c.name: c for c in (
    Command("get", cmd_get.FLAGS, cmd_get.run),
    Command("describe", cmd_describe.FLAGS, cmd_describe.run),
    Command("create", cmd_create.FLAGS, cmd_create.run),
    Command("apply", cmd_apply.FLAGS, cmd_apply.run),
    Command("delete", cmd_delete.FLAGS, cmd_delete.run),
    Command("label", cmd_label.FLAGS, cmd_label.run_label),
    Command("annotate", cmd_label.FLAGS, cmd_label.run_annotate),
    Command("api-resources", cmd_info.API_RESOURCES_FLAGS, cmd_info.run_api_resources),
    Command("version", cmd_info.VERSION_FLAGS, cmd_info.run_version),
    Command("cluster-info", cmd_info.CLUSTER_INFO_FLAGS, cmd_info.run_cluster_info),
    Command("config", cmd_config.FLAGS, cmd_config.run),
    Command("logs", cmd_logs.FLAGS, cmd_logs.run),
    Command("exec", cmd_exec.FLAGS, cmd_exec.run),
    Command("port-forward", cmd_port_forward.FLAGS, cmd_port_forward.run),
    Command("run", cmd_run.FLAGS, cmd_run.run),
    Command("expose", cmd_workloads.EXPOSE_FLAGS, cmd_workloads.run_expose),
    Command("scale", cmd_workloads.SCALE_FLAGS, cmd_workloads.run_scale),
    Command("set", (), None),
    Command("rollout", (), None),
)}

# Verbs with cobra subcommands that have their own flags (``rollout undo
# --to-revision``): the subcommand's flags replace the verb's, and pflag's
# errors name it (``See 'kubectl rollout undo --help' for usage.``). A verb whose
# Command has no ``run`` (set, rollout) exists only through its subcommands.
SUBCOMMANDS = {
    "create": cmd_create.subcommands,
    "set": lambda: cmd_workloads.SET_COMMANDS,
    "rollout": lambda: cmd_rollout.COMMANDS,
}

# Real kubectl verbs kubelearn has not built yet: they fail with a clear message
# instead of "unknown command".
NOT_YET = ("edit", "patch", "replace", "wait", "top", "cordon", "uncordon",
           "drain", "taint", "explain", "autoscale", "attach", "cp", "proxy", "diff", "kustomize",
           "auth", "certificate", "debug", "events", "plugin", "completion", "options", "alpha",
           "api-versions")

# kubectl's commands in the order kubectl 1.32 registers them: cobra lists its
# "Did you mean this?" suggestions in this order, not alphabetically.
KUBECTL_COMMANDS = (
    "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale",
    "autoscale", "certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint",
    "describe", "logs", "attach", "exec", "port-forward", "proxy", "cp", "auth", "debug",
    "events", "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate",
    "completion", "config", "plugin", "version", "api-versions", "api-resources", "options")
# cobra's SuggestFor: words that suggest a command whatever their distance.
SUGGEST_FOR = {"get": ("list", "ps"), "delete": ("rm",), "wait": ("list", "ps")}


def run(cluster, command: str | list[str], stdin: str | None = None,
        cwd: str | None = None) -> KubectlResult:
    """Run one kubectl command line against ``cluster``."""
    try:
        argv = shlex.split(command) if isinstance(command, str) else list(command)
    except ValueError as err:
        return KubectlResult("", f"error: cannot parse the command line: {err}\n", 1)
    if argv and argv[0] == "kubectl":
        argv = argv[1:]
    verb, rest = _split_verb(argv)
    if verb is not None and verb not in COMMANDS and verb not in NOT_YET:
        if argv and argv[0].startswith("-"):
            # kubectl looks for a plugin named after the first word and refuses
            # flags in front of it.
            return KubectlResult("", "Error: flags cannot be placed before plugin name: "
                                     f"{argv[0]}\n", 1)
        return KubectlResult("", _unknown_command(verb), 1)
    if verb is None:        # real kubectl prints its help here
        return KubectlResult("", "error: kubelearn needs a kubectl command, e.g. "
                                 "\"get pods\"\n", 1)
    spec = COMMANDS.get(verb)
    if spec is None:
        return KubectlResult("", _unknown_command(verb), 1)
    words = [a for a in rest if not a.startswith("-")]
    if verb == "create" and words and words[0] in cmd_create.NOT_YET:
        # before flag parsing: their own flags (--image, ...) are unknown here
        return KubectlResult("", cmd_create.not_yet_message(words[0]) + "\n", 1)
    name = verb
    if verb in SUBCOMMANDS:
        sub, sub_rest = _split_verb(rest)
        found = SUBCOMMANDS[verb]().get(sub) if sub is not None else None
        if found is not None:
            spec, rest, name = found, sub_rest, found.name
        elif spec.run is None:
            return KubectlResult("", _unknown_subcommand(verb, sub), 1)
    try:
        parsed = parse(rest, list(spec.flags) + GLOBAL_FLAGS, name)
        inv = _invocation(cluster, name, parsed, stdin, cwd)
        spec.run(inv)
    except KubectlError as err:
        return KubectlResult("", err.message + "\n", err.exit_code)
    except StatusError as err:
        return KubectlResult("", render_problems([err]) + "\n", 1)
    return KubectlResult("".join(inv.out), "".join(inv.err), inv.exit_code, tuple(inv.chunks))


def _split_verb(argv: list[str]) -> tuple[str | None, list[str]]:
    """The verb is the first word that is not a flag or a flag's value, found the
    way cobra's ``Find`` strips flags: ``--flag value`` and ``-f value`` take the
    next word unless the flag is a known boolean (``kubectl -n dev get pods``)."""
    bools = {f.name for f in GLOBAL_FLAGS if f.kind == "bool"}
    short_bools = {f.short for f in GLOBAL_FLAGS if f.kind == "bool" and f.short}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--" or not arg.startswith("-") or arg == "-":
            if arg == "--":
                return None, argv
            return arg, argv[:i] + argv[i + 1:]
        takes_value = "=" not in arg and (
            (arg.startswith("--") and arg[2:] not in bools)
            or (not arg.startswith("--") and len(arg) == 2 and arg[1] not in short_bools))
        i += 2 if takes_value else 1
    return None, argv


def _invocation(cluster, verb, parsed, stdin, cwd) -> Invocation:
    config = cluster.kubeconfig
    if parsed.given("context"):
        name = parsed["context"]
        target = config.cluster(name)
        if target is None:
            raise KubectlError("Error in configuration: context was not found for specified "
                               f"context: {name}")
        cluster = target
    context = config.context_of(cluster)
    default_ns = (context.namespace if context and context.namespace else "default")
    namespace = parsed["namespace"] or default_ns
    kwargs = {"cwd": cwd} if cwd else {}
    return Invocation(cluster, verb, parsed, namespace, parsed.given("namespace"), stdin,
                      **kwargs)


def _unknown_subcommand(verb: str, sub: str | None) -> str:
    if sub is None:       # real kubectl prints the verb's help here
        names = "|".join(SUBCOMMANDS[verb]())
        return f"error: kubelearn needs a subcommand: kubectl {verb} {names}\n"
    return f'error: unknown command "{sub}"\nSee \'kubectl {verb} -h\' for help and examples\n'


def _unknown_command(verb: str) -> str:
    if verb in NOT_YET:
        return (f'error: kubelearn does not support "kubectl {verb}" yet (it arrives with a '
                "later chapter)\n")
    text = f'Error: unknown command "{verb}" for "kubectl"\n'
    suggestions = _suggestions(verb)
    if suggestions:
        return text + "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions) + "\n"
    return text


def _suggestions(typed: str) -> list[str]:
    """cobra's SuggestionsFor: within 2 edits (ignoring case), a prefix, or a SuggestFor word."""
    found = []
    for name in KUBECTL_COMMANDS:
        if _distance(typed.lower(), name) <= 2 or name.startswith(typed.lower()):
            found.append(name)
        found += [name for word in SUGGEST_FOR.get(name, ()) if word == typed.lower()]
    return found


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (cobra suggests commands within 2 edits)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


__all__ = ["run", "KubectlResult", "KubectlError", "COMMANDS"]
