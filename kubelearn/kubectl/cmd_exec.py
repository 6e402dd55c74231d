"""``kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]``.

As kubectl 1.32 (pkg/cmd/exec/exec.go): the command comes after ``--`` (the
old ``exec POD COMMAND`` form is refused), the pod may be named through a
workload or Service (``deploy/web``: its first active pod), a completed pod
is refused on the client, the container defaults to the annotated default or
the first one (``Defaulted container "a" out of: a, b``), and ``-c`` names
the container the API server checks. The kubelet then runs the command in
the container (``kubelearn.node.container_exec``); its output is printed
as it came (stdout, stderr), and a non-zero exit code ends kubectl with the
same code after ``command terminated with exit code N``.

A notebook has no terminal: with ``-i -t`` kubectl says so (``Unable to use a
TTY``) and runs the command without one; standard input (``%%kubectl`` cell
body, ``stdin=``) is passed with ``-i``.
"""
from __future__ import annotations

from kubelearn.apiserver.errors import StatusError, bad_request
from kubelearn.kubectl.cmd_logs import DEFAULT_CONTAINER, _by_logging, _selected_pods
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.resources import parse_resource_args
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("container", "c"),
    Flag("stdin", "i", "bool", False),
    Flag("tty", "t", "bool", False),
    Flag("quiet", "q", "bool", False),
    Flag("filename", "f", "list"),
    Flag("pod-running-timeout", default="1m0s"),
)

HELP = "See 'kubectl exec -h' for help and examples"
OLD_FORM = ("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] "
            f"instead\n{HELP}")
NO_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file"
SHELL_NAMES = ("sh", "/bin/sh", "bash", "/bin/bash", "ash", "/bin/ash", "dash")


def run(inv: Invocation) -> None:
    flags = inv.flags
    args, command = list(inv.args), list(flags.after_dash)
    dash = bool(command)
    if not dash and (len(args) > 1 or (args and flags["filename"])):
        raise KubectlError(OLD_FORM)
    if flags["filename"]:
        raise KubectlError("error: kubelearn's kubectl exec takes a pod (POD or TYPE/NAME), "
                           "not -f")
    if not args:
        raise KubectlError("error: pod, type/name or --filename must be specified")
    if not command:
        raise KubectlError("error: you must specify at least one command for the container")
    try:
        pod = _pod(inv, args[0])
    except StatusError as err:
        inv.fail([err])
        return
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError("error: cannot exec into a container in a completed pod; current "
                           f"phase is {phase}")
    name = flags["container"] or _default_container(inv, pod)
    tty = flags["stdin"] and flags["tty"]
    if tty and not flags["quiet"]:
        inv.warn(NO_TTY)          # kubelearn's standard input is never a terminal
    try:
        _check_stream(inv, pod, name)
    except StatusError as err:
        inv.fail([err])
        return
    _run_in_container(inv, pod, name, command, inv.stdin if flags["stdin"] else None, tty)


# -- which pod and container --------------------------------------------------------
def _pod(inv: Invocation, arg: str) -> dict:
    if "/" not in arg:
        return inv.api.get("Pod", arg, inv.namespace)
    request = parse_resource_args([arg])[0]
    obj = inv.api.get(request.info, request.names[0], inv.namespace)
    if request.info.kind == "Pod":
        return obj
    pods = _selected_pods(inv, obj)
    if not pods:
        raise KubectlError("error: timed out waiting for the condition")
    pods.sort(key=lambda p: p["metadata"]["name"])
    return _by_logging(pods)[0]


def _default_container(inv: Invocation, pod: dict) -> str:
    """podcmd.FindOrDefaultContainerByName with no name given."""
    containers = [c["name"] for c in pod["spec"].get("containers") or ()]
    init = [c["name"] for c in pod["spec"].get("initContainers") or ()]
    default = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER)
    if default:
        if default in containers + init:
            return default
        if not inv.flags["quiet"]:
            inv.warn(f'Default container name "{default}" not found in pod '
                     f"{pod['metadata']['name']}")
    if len(containers) > 1 and not inv.flags["quiet"]:
        everyone = ", ".join(containers + [f"{c} (init)" for c in init])
        inv.warn(f'Defaulted container "{containers[0]}" out of: {everyone}')
    return containers[0] if containers else ""


def _check_stream(inv: Invocation, pod: dict, name: str) -> None:
    """The API server's streamLocation: a known container, a pod with a node."""
    spec = pod["spec"]
    known = [c.get("name") for key in ("containers", "initContainers", "ephemeralContainers")
             for c in spec.get(key) or ()]
    pod_name = pod["metadata"]["name"]
    if name not in known:
        raise bad_request(f"container {name} is not valid for pod {pod_name}")
    if not spec.get("nodeName"):
        raise bad_request(f"pod {pod_name} does not have a host assigned")


# -- the kubelet's side ----------------------------------------------------------------
def _run_in_container(inv: Invocation, pod: dict, name: str, command: list[str],
                      stdin: str | None, tty: bool) -> None:
    from kubelearn.node.container_exec import exec_in_container, node_reachable

    cluster = inv.cluster
    node = pod["spec"]["nodeName"]
    if not node_reachable(cluster, node):
        raise KubectlError(f"Error from server: error dialing backend: dial tcp "
                           f"{_node_ip(inv, node)}:10250: connect: no route to host")
    outcome = exec_in_container(cluster, pod["metadata"].get("namespace", ""),
                                pod["metadata"]["name"], name, command, stdin)
    if outcome is None:
        raise KubectlError(f'error: unable to upgrade connection: container not found ("{name}")')
    result = outcome.result
    if result.runtime_error:
        message = (f"OCI runtime exec failed: exec failed: unable to start container process: "
                   f"{result.runtime_error}: unknown")
        if outcome.runtime == "docker":
            _stderr(inv, message + "\n")
            _terminated(inv, 126)
            return
        raise KubectlError("error: Internal error occurred: error executing command in "
                           "container: failed to exec in container: failed to start exec "
                           f'"{outcome.exec_id}": {message}')
    if result.stdout:
        inv.write(result.stdout)
    if result.stderr:
        _stderr(inv, result.stderr)
    if result.still_running:
        _stderr(inv, "kubelearn: the command was still running (it waits: sleep, tail -f, a "
                     "loop) and was stopped; kubectl exec runs a command at one instant of "
                     "simulated time\n")
    elif not stdin and inv.flags["stdin"] and _interactive(command):
        _stderr(inv, "kubelearn: a notebook has no terminal to type into; pass commands with "
                     "-- sh -c \"...\" (or on standard input)\n")
    if result.exit_code:
        _terminated(inv, result.exit_code)


def _interactive(command: list[str]) -> bool:
    return len(command) == 1 and command[0] in SHELL_NAMES


def _terminated(inv: Invocation, code: int) -> None:
    """remotecommand's CodeExitError, which kubectl prints bare and exits with."""
    _stderr(inv, f"command terminated with exit code {code}\n")
    inv.exit_code = code


def _stderr(inv: Invocation, text: str) -> None:
    inv.err.append(text)
    inv.chunks.append(("stderr", text))


def _node_ip(inv: Invocation, node: str) -> str:
    obj = inv.api.store.get("Node", "", node) or {}
    for address in (obj.get("status") or {}).get("addresses") or ():
        if address.get("type") == "InternalIP":
            return address.get("address", "")
    return node
