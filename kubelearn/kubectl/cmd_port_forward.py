"""``kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT [...]``.

As kubectl 1.32 (pkg/cmd/portforward/portforward.go and client-go's
tools/portforward): the object names a pod, or a workload or Service whose
selector picks one (polymorphichelpers.AttachablePodForObject: the most active
of its pods, a Running and ready one first). **A Service does not load-balance
here**: every connection goes to that one pod, and a Service port is only
translated into the pod's port (``targetPort``, a named one looked up in the
pod's containers). The pod must be Running; then each port listens on
``--address`` (``localhost``: both ``127.0.0.1`` and ``::1``), ``:80`` on a
random free local port, and kubectl prints ``Forwarding from 127.0.0.1:8080 ->
80`` per address, the arrow naming the container port.

Real port-forward blocks until Ctrl-C; a notebook cell must return. So the
command prints its lines and leaves the forward running
(``kubelearn.kubectl.port_forwarding``): the local ports are registered with
the learner's machine (``kube_proxy(cluster).host_ports``, a ``HostForward`` of
kind ``"pod"``), so ``cluster.http_get("http://localhost:8080/")`` reaches the
pod and adds ``Handling connection for 8080`` to the forward's ``log``.
kubelearn's stand-in for Ctrl-C: ``port_forwards(cluster)`` lists the running
forwards and ``forward.stop()`` ends one (its ports are free again). When the
pod goes away the next connection gets an empty reply and the forward ends
with ``error: lost connection to pod``, as kubectl 1.32 does.

The learner's machine has the loopback addresses only (``--address 10.1.2.3``:
``cannot assign requested address``); a port something else already forwards
(a minikube tunnel, another port-forward) is in use on every address; ports
below 1024 may be bound (it is not modelled as a non-root Linux user).
"""
from __future__ import annotations

import ipaddress
import re

from kubelearn.api.podutil import get_condition, is_pod_ready
from kubelearn.api.selector import SelectorError, selector_from_label_selector, selector_from_set
from kubelearn.api.validation import go_quote
from kubelearn.apiserver.errors import StatusError
from kubelearn.clock import parse_rfc3339
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.resources import parse_resource_args
from kubelearn.kubectl.result import KubectlError
from kubelearn.kubectl.port_forwarding import PortForward, forwards_of, port_forwards
from kubelearn.network.proxy import HostForward, kube_proxy

FLAGS = (
    Flag("address", kind="list"),
    Flag("pod-running-timeout", default="1m0s"),
)

USAGE = ("error: TYPE/NAME and list of ports are required for port-forward\n"
         "See 'kubectl port-forward -h' for help and examples")
EPHEMERAL_PORTS = (32768, 60999)        # Linux ip_local_port_range: where ":80" listens
_ATOI = re.compile(r"[+-]?[0-9]+")
_UINT = re.compile(r"[0-9]+")
# which bound addresses accept a connection to each loopback name
WILDCARDS = ("0.0.0.0", "::")
_ACCEPTS = {"127.0.0.1": ("127.0.0.1", "0.0.0.0"), "::1": ("::1", "::"), "[::1]": ("::1", "::"),
            "localhost": ("127.0.0.1", "::1", "0.0.0.0", "::")}


def run(inv: Invocation) -> None:
    args = inv.args
    if len(args) < 2:
        raise KubectlError(USAGE)
    try:
        obj = _object(inv, args[0])
        pod = _attachable_pod(inv, obj)
        specs = _translate(obj, pod, args[1:])
        pod = inv.api.get("Pod", pod["metadata"]["name"], inv.namespace)
    except StatusError as err:
        inv.fail([err])
        return
    phase = (pod.get("status") or {}).get("phase", "")
    if phase != "Running":
        raise KubectlError("error: unable to forward port because pod is not running. "
                           f"Current status={phase}")
    addresses = _parse_addresses(_split_list(inv.flags["address"]) or ["localhost"])
    ports = _parse_ports(specs)
    _dial(inv, pod)
    _listen(inv, pod, addresses, ports)


# -- which pod ------------------------------------------------------------------------
def _object(inv: Invocation, arg: str) -> dict:
    """builder.ResourceNames("pods", arg): NAME is a pod, TYPE/NAME anything."""
    if "/" not in arg:
        return inv.api.get("Pod", arg, inv.namespace)
    request = parse_resource_args([arg])[0]
    return inv.api.get(request.info, request.names[0], inv.namespace)


def _attachable_pod(inv: Invocation, obj: dict) -> dict:
    """AttachablePodForObject: the pod itself, or the first of the selected pods
    sorted by ``sort.Reverse(podutils.ActivePods)``."""
    if obj["kind"] == "Pod":
        return obj
    try:
        selector = _selector(obj)
    except (KubectlError, SelectorError) as err:
        raise KubectlError(f"error: cannot attach to {_go_type(obj)}: {err}") from None
    pods = inv.api.list("Pod", obj["metadata"].get("namespace", inv.namespace), selector)
    if not pods:
        raise KubectlError("error: timed out waiting for the condition")
    return sorted(pods, key=_most_active_first)[0]


def _selector(obj: dict):
    """polymorphichelpers.SelectorsForObject."""
    kind, spec = obj["kind"], obj.get("spec") or {}
    if kind in ("Service", "ReplicationController"):
        if not spec.get("selector"):
            if kind == "Service":
                raise KubectlError(f"invalid service '{obj['metadata']['name']}': Service is "
                                   "defined without a selector")
        return selector_from_set(spec.get("selector"))
    if kind in ("ReplicaSet", "StatefulSet", "DaemonSet", "Deployment", "Job"):
        return selector_from_label_selector(spec.get("selector"))
    raise KubectlError(f"selector for {_go_type(obj)} not implemented")


def _go_type(obj: dict) -> str:
    """The Go type kubectl's ``%T`` prints: ``*v1.Service``, ``*v1.ConfigMap``."""
    return f"*{obj.get('apiVersion', 'v1').split('/')[-1]}.{obj['kind']}"


def _most_active_first(pod: dict) -> tuple:
    """Reversed ActivePods: assigned, Running before Unknown before the rest, ready,
    ready the longest, fewer restarts, older."""
    status = pod.get("status") or {}
    rank = {"Running": 2, "Unknown": 1}.get(status.get("phase"), 0)
    ready = is_pod_ready(pod)
    since = 0.0
    if ready:
        cond = get_condition(status, "Ready") or {}
        since = parse_rfc3339(cond["lastTransitionTime"]) \
            if cond.get("lastTransitionTime") else 0.0
    restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()),
                   default=0)
    created = parse_rfc3339(pod["metadata"]["creationTimestamp"]) \
        if pod["metadata"].get("creationTimestamp") else 0.0
    return (not pod["spec"].get("nodeName"), -rank, not ready, since, restarts, created)


# -- which ports ----------------------------------------------------------------------
def _split_port(spec: str) -> tuple[str, str]:
    parts = spec.split(":")
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], parts[0])


def _translate(obj: dict, pod: dict, specs: list[str]) -> list[str]:
    """checkUDPPortIn{Service,Pod}, then translateServicePortToTargetPort or
    convertPodNamedPortToNumber: ``LOCAL:REMOTE`` with REMOTE the container port."""
    service = obj if obj["kind"] == "Service" else None
    _check_udp(specs, service, pod)
    out = []
    for spec in specs:
        local, remote = _split_port(spec)
        if service is not None:
            if _ATOI.fullmatch(remote):
                number = int(remote)
            else:
                number = _service_port_by_name(service, remote)
                if local == remote:
                    local = str(number)
            remote = str(_container_port_by_service_port(service, pod, number))
            out.append(remote if local == remote else f"{local}:{remote}")
            continue
        if remote == "":
            raise KubectlError("error: remote port cannot be empty")
        number = remote if _ATOI.fullmatch(remote) else str(_container_port_by_name(pod, remote))
        out.append(number if local == remote else f"{local}:{number}")
    return out


def _check_udp(specs: list[str], service: dict | None, pod: dict) -> None:
    if service is not None:
        entries = [(p.get("port"), p.get("protocol", "TCP")) for p in service["spec"]["ports"]]
    else:
        entries = [(p.get("containerPort"), p.get("protocol", "TCP"))
                   for c in pod["spec"].get("containers") or () for p in c.get("ports") or ()]
    udp_only = {n for n, proto in entries if proto == "UDP"} - \
        {n for n, proto in entries if proto == "TCP"}
    for spec in specs:
        _, remote = _split_port(spec)
        if _ATOI.fullmatch(remote):
            number = int(remote)
        elif service is not None:
            number = _service_port_by_name(service, remote)
        else:
            number = _container_port_by_name(pod, remote)
        if number in udp_only:
            raise KubectlError(f"error: UDP protocol is not supported for {remote}")


def _service_port_by_name(service: dict, name: str) -> int:
    for port in service["spec"].get("ports") or ():
        if port.get("name", "") == name:
            return port["port"]
    raise KubectlError(f"error: Service '{service['metadata']['name']}' does not have a named "
                       f"port '{name}'")


def _container_port_by_service_port(service: dict, pod: dict, number: int) -> int:
    """util.LookupContainerPortNumberByServicePort."""
    spec = service["spec"]
    if spec.get("clusterIP") == "None":
        return number
    for port in spec.get("ports") or ():
        if port.get("port") != number:
            continue
        target = port.get("targetPort", 0)
        if isinstance(target, int):
            return target or port["port"]
        return _container_port_by_name(pod, target)
    raise KubectlError(f"error: Service {service['metadata']['name']} does not have a service "
                       f"port {number}")


def _container_port_by_name(pod: dict, name: str) -> int:
    for container in pod["spec"].get("containers") or ():
        for port in container.get("ports") or ():
            if port.get("name", "") == name:
                return port["containerPort"]
    raise KubectlError(f"error: Pod '{pod['metadata']['name']}' does not have a named port "
                       f"'{name}'")


def _split_list(values: list[str]) -> list[str]:
    """A pflag StringSlice: each use of the flag is a comma-separated list."""
    return [item for value in values for item in value.split(",")]


def _parse_addresses(addresses: list[str]) -> list[tuple[str, str, str]]:
    """parseAddresses: (address, tcp4|tcp6, failure mode), sorted by address."""
    parsed: dict[str, tuple[str, str, str]] = {}
    for address in addresses:
        if address == "localhost":
            parsed.setdefault("127.0.0.1", ("127.0.0.1", "tcp4", "all"))
            parsed.setdefault("::1", ("::1", "tcp6", "all"))
            continue
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise KubectlError(f"error: {address} is not a valid IP") from None
        parsed[address] = (address, "tcp4" if ip.version == 4 else "tcp6", "any")
    return [parsed[a] for a in sorted(parsed)]


def _parse_ports(specs: list[str]) -> list[list[int]]:
    """parsePorts: [local, remote] pairs; ``:5000`` and ``0:5000`` pick a local port."""
    ports = []
    for spec in specs:
        parts = spec.split(":")
        if len(parts) > 2:
            raise KubectlError(f"error: invalid port format '{spec}'")
        local, remote = (parts[0], parts[0]) if len(parts) == 1 else (parts[0] or "0", parts[1])
        numbers = []
        for which, text in (("local", local), ("remote", remote)):
            if not _UINT.fullmatch(text) or int(text) > 65535:
                why = "invalid syntax" if not _UINT.fullmatch(text) else "value out of range"
                raise KubectlError(f"error: error parsing {which} port '{text}': "
                                   f"strconv.ParseUint: parsing {go_quote(text)}: {why}")
            numbers.append(int(text))
        if numbers[1] == 0:
            raise KubectlError("error: remote port must be > 0")
        ports.append(numbers)
    return ports


# -- the connection to the kubelet, and the listeners -----------------------------------
def _dial(inv: Invocation, pod: dict) -> None:
    """The upgraded connection through the API server to the pod's kubelet."""
    from kubelearn.node.container_exec import node_reachable

    node = pod["spec"].get("nodeName", "")
    if not node_reachable(inv.cluster, node):
        raise KubectlError(f"error: error upgrading connection: error dialing backend: dial tcp "
                           f"{_node_ip(inv.cluster, node)}:10250: connect: no route to host")


def _listen(inv: Invocation, pod: dict, addresses: list, ports: list[list[int]]) -> None:
    """forward(): listen on every port and address; fail when no port listens."""
    cluster = inv.cluster
    proxy = kube_proxy(cluster)
    session = PortForward(cluster, pod, [a for a, _, _ in addresses],
                          cluster.rng.randint(10_000, 99_999))
    listening = False
    for port in ports:
        errors, failed, succeeded = [], {"all": 0, "any": 0}, {"all": 0, "any": 0}
        for address, protocol, mode in addresses:
            if port[0] == 0:
                port[0] = _free_port(cluster, proxy, session)
            shown = f"[{address}]:{port[0]}" if ":" in address else f"{address}:{port[0]}"
            why = _bind_error(proxy, session, address, port[0])
            if why:
                errors.append(f"unable to create listener: Error listen {protocol} {shown}: "
                              f"bind: {why}")
                failed[mode] += 1
                continue
            succeeded[mode] += 1
            session.bound.append((address, port[0]))
            session.ports[port[0]] = port[1]
            session.say("stdout", f"Forwarding from {shown} -> {port[1]}\n", inv)
        if (succeeded["all"] == 0 and failed["all"]) or failed["any"]:
            session.say("stderr", f"Unable to listen on port {port[0]}: Listeners failed to "
                        f"create with the following errors: [{' '.join(errors)}]\n", inv)
        else:
            listening = True
    if not listening:
        shown = " ".join(f"{{{local} {remote}}}" for local, remote in ports)
        inv.error(f"error: unable to listen on any of the requested ports: [{shown}]")
        return
    for local, remote in session.ports.items():
        proxy.host_ports[local] = HostForward("pod", session.namespace, "", remote,
                                              "kubectl port-forward", session.pod, session)
    forwards_of(cluster).append(session)


def _bind_error(proxy, session: PortForward, address: str, local: int) -> str:
    """Why ``address:local`` cannot be bound. Whatever else listens on the learner's
    machine (``host_ports``: tunnels, proxies, other forwards) holds its port on every
    address; this forward's own listeners clash on one address or with a wildcard."""
    if address not in WILDCARDS + ("127.0.0.1", "::1"):
        return "cannot assign requested address"   # the learner's machine has no such address
    if local in proxy.host_ports or any(port == local and _clash(bound, address)
                                        for bound, port in session.bound):
        return "address already in use"
    return ""


def _clash(one: str, other: str) -> bool:
    """Two listeners on one port clash in one address family, on one address or when
    either is that family's wildcard."""
    return (":" in one) == (":" in other) and (one == other or one in WILDCARDS
                                               or other in WILDCARDS)


def _free_port(cluster, proxy, session: PortForward) -> int:
    """A free ephemeral port, as the kernel picks one for ``:0``."""
    low, high = EPHEMERAL_PORTS
    while True:
        port = cluster.rng.randint(low, high)
        if port not in proxy.host_ports and port not in session.ports:
            return port


def _node_ip(cluster, node: str) -> str:
    obj = cluster.api.store.get("Node", "", node) or {}
    for address in (obj.get("status") or {}).get("addresses") or ():
        if address.get("type") == "InternalIP":
            return address.get("address", "")
    return node


__all__ = ["FLAGS", "run", "PortForward", "port_forwards"]
