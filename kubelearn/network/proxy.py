"""kube-proxy: where a TCP connection to ``ip:port`` ends up.

kube-proxy (iptables mode, minikube's and kubeadm's default) turns every
Service into packet rules on every node. ``KubeProxy.route`` plays those rules
for one connection and answers with the pod and port that accept it:

* a **node port** on any node's InternalIP (``192.168.49.2:31000``), for
  NodePort and LoadBalancer services;
* a **cluster IP** and Service port (``10.108.72.66:80``), or an external IP /
  LoadBalancer ingress IP the Service has;
* a **pod IP** directly (``10.244.0.5:8080``), as the pod network routes it;
* ``127.0.0.1`` / ``localhost``: only the ports something on the learner's
  machine forwards (``minikube service`` for a ClusterIP service, ``minikube
  dashboard``'s proxy), kept in ``host_ports``.

The Service port becomes its ``targetPort`` (a number, or a named container
port resolved per pod by the endpoints controller) and one of the Endpoints'
**ready** addresses is picked round-robin per Service port (upstream picks at
random; round-robin keeps runs identical and makes spreading visible).
``sessionAffinity: ClientIP`` pins a client to its first endpoint;
``externalTrafficPolicy: Local`` keeps node-port traffic on the node it
arrived at.

What a client sees when nothing answers is what the rules do: a Service
without ready endpoints has a REJECT rule (connection refused); a pod port
nobody listens on refuses (a TCP RST); a node port that ``Local`` policy
drops, an unknown cluster IP or a pod IP that no pod has time out; a node
address nobody has is "No route to host".
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kubelearn.network.ipam import SERVICE_CIDR

POD_CIDR = ipaddress.ip_network("10.244.0.0/16")
REFUSED = "Connection refused"
TIMED_OUT = "Connection timed out"
NO_ROUTE = "No route to host"
LOCALHOST = ("127.0.0.1", "localhost", "::1", "[::1]")


class Unreachable(Exception):
    """A connection that no process accepts; ``reason`` is what the socket reports."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Backend:
    """The container port a connection reaches, and how it got there."""
    namespace: str
    pod: str
    container: str
    port: int
    service: str = ""          # "namespace/name" when a Service routed it
    via: str = "pod"           # pod | clusterIP | nodePort | loadBalancer | externalIP | host
    client: str = ""           # source address the app sees ("" = the node's gateway)


@dataclass(frozen=True)
class HostForward:
    """A port on the learner's machine that forwards into the cluster.

    ``kind`` is ``"service"`` (a tunnel to one Service port, as ``minikube service``
    opens for a ClusterIP service) or ``"apiserver-proxy"`` (``kubectl proxy``, as
    ``minikube dashboard`` runs: paths name the Service to reach)."""
    kind: str
    namespace: str = ""
    service: str = ""
    port: int = 0
    opened_by: str = ""


class KubeProxy:
    """The service rules of one cluster, and its round-robin positions."""

    def __init__(self, cluster) -> None:
        self.cluster = cluster
        self.store = cluster.api.store
        self._next: dict[tuple[str, str, str], int] = {}
        self._affinity: dict[tuple[str, str, str, str], str] = {}
        self.host_ports: dict[int, HostForward] = {}

    # -- entry point -------------------------------------------------------
    def route(self, host: str, port: int, *, client: str = "") -> Backend:
        """The backend a connection to ``host:port`` reaches, or raise Unreachable."""
        if host in LOCALHOST:
            forward = self.host_ports.get(port)
            if forward is None or forward.kind != "service":
                raise Unreachable(REFUSED)
            service = self.store.get("Service", forward.namespace, forward.service)
            if service is None:
                raise Unreachable(REFUSED)
            return self._to_service(service, _port_by_number(service, forward.port), "host",
                                    client)
        node = self._node_with_ip(host)
        if node is not None:
            return self._node_port(node, host, port, client)
        for service in self.store.list("Service"):
            via = _service_address(service, host)
            if via is None:
                continue
            service_port = _port_by_number(service, port)
            if service_port is None:
                raise Unreachable(TIMED_OUT)     # no rule for this port: nothing answers
            return self._to_service(service, service_port, via, client)
        pod = self._pod_with_ip(host)
        if pod is not None:
            return self._to_pod(pod, port, "pod", "", client)
        raise Unreachable(_unknown_address(host))

    # -- node ports --------------------------------------------------------
    def _node_port(self, node: dict, host: str, port: int, client: str) -> Backend:
        for service in self.store.list("Service"):
            spec = service.get("spec") or {}
            if spec.get("type") not in ("NodePort", "LoadBalancer"):
                continue
            for service_port in spec.get("ports") or ():
                if service_port.get("nodePort") == port and \
                        service_port.get("protocol", "TCP") == "TCP":
                    local = node["metadata"]["name"] \
                        if spec.get("externalTrafficPolicy") == "Local" else None
                    return self._to_service(service, service_port, "nodePort", client,
                                            local_node=local)
        for pod in self._host_network_pods(node["metadata"]["name"]):
            if self._listener(pod, port) is not None:
                return self._to_pod(pod, port, "pod", "", client or host)
        raise Unreachable(REFUSED)

    # -- services ----------------------------------------------------------
    def _to_service(self, service: dict, service_port: dict | None, via: str, client: str,
                    local_node: str | None = None) -> Backend:
        if service_port is None:
            raise Unreachable(REFUSED)
        meta = service["metadata"]
        namespace, name = meta.get("namespace", ""), meta["name"]
        endpoints = self.ready_endpoints(namespace, name, service_port)
        if local_node is not None:
            endpoints = [e for e in endpoints if e[2] == local_node]
            if not endpoints:
                raise Unreachable(TIMED_OUT)     # Local policy drops: no endpoint here
        if not endpoints:
            raise Unreachable(REFUSED)           # "has no endpoints": REJECT
        chosen = self._pick(service, service_port, endpoints, client)
        pod_name, number, _ = chosen
        pod = self.store.get("Pod", namespace, pod_name)
        if pod is None:
            raise Unreachable(REFUSED)
        return self._to_pod(pod, number, via, f"{namespace}/{name}", client)

    def ready_endpoints(self, namespace: str, name: str,
                        service_port: dict) -> list[tuple[str, int, str]]:
        """(pod, port, node) of the ready addresses behind one Service port, in the
        Endpoints object's (sorted) order."""
        endpoints = self.store.get("Endpoints", namespace, name)
        wanted = service_port.get("name", "")
        found = []
        for subset in (endpoints or {}).get("subsets") or ():
            ports = subset.get("ports") or ()
            match = next((p for p in ports if p.get("name", "") == wanted
                          and p.get("protocol", "TCP") == "TCP"), None)
            if match is None:
                continue
            for address in subset.get("addresses") or ():
                ref = address.get("targetRef") or {}
                if ref.get("kind") == "Pod" and ref.get("name"):
                    found.append((ref["name"], match["port"], address.get("nodeName", "")))
        return found

    def _pick(self, service: dict, service_port: dict, endpoints: list, client: str):
        meta = service["metadata"]
        key = (meta.get("namespace", ""), meta["name"], service_port.get("name", "")
               or str(service_port.get("port")))
        if (service.get("spec") or {}).get("sessionAffinity") == "ClientIP":
            pinned = self._affinity.get((*key, client))
            for endpoint in endpoints:
                if endpoint[0] == pinned:
                    return endpoint
        position = self._next.get(key, 0)
        chosen = endpoints[position % len(endpoints)]
        self._next[key] = (position + 1) % len(endpoints)
        if (service.get("spec") or {}).get("sessionAffinity") == "ClientIP":
            self._affinity[(*key, client)] = chosen[0]
        return chosen

    # -- pods --------------------------------------------------------------
    def _to_pod(self, pod: dict, port: int, via: str, service: str, client: str) -> Backend:
        container = self._listener(pod, port)
        if container is None:
            raise Unreachable(REFUSED)
        meta = pod["metadata"]
        return Backend(meta.get("namespace", ""), meta["name"], container, port, service, via,
                       client)

    def _listener(self, pod: dict, port: int) -> str | None:
        """The container of ``pod`` whose running process accepts TCP on ``port``."""
        from kubelearn.node.kubelet import running_container

        meta = pod["metadata"]
        for spec in pod.get("spec", {}).get("containers") or ():
            info = running_container(self.cluster, meta.get("namespace", ""), meta["name"],
                                     spec["name"])
            if info is not None and port in info.get("listens", ()):
                return spec["name"]
        return None

    # -- addresses ---------------------------------------------------------
    def _node_with_ip(self, ip: str) -> dict | None:
        for node in self.store.list("Node"):
            for address in (node.get("status") or {}).get("addresses") or ():
                if address.get("type") == "InternalIP" and address.get("address") == ip:
                    return node
        return None

    def _pod_with_ip(self, ip: str) -> dict | None:
        for pod in self.store.list("Pod"):
            status = pod.get("status") or {}
            if status.get("podIP") == ip and not pod["spec"].get("hostNetwork") \
                    and status.get("phase") not in ("Succeeded", "Failed"):
                return pod
        return None

    def _host_network_pods(self, node: str) -> list[dict]:
        return [p for p in self.store.list("Pod")
                if p["spec"].get("hostNetwork") and p["spec"].get("nodeName") == node]

    def node_ips(self) -> list[str]:
        ips = []
        for node in self.store.list("Node"):
            for address in (node.get("status") or {}).get("addresses") or ():
                if address.get("type") == "InternalIP":
                    ips.append(address["address"])
        return ips


def _service_address(service: dict, host: str) -> str | None:
    """How ``host`` names this Service (clusterIP, externalIP, loadBalancer), or None."""
    spec = service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return None
    if host in (spec.get("clusterIPs") or ()) and host != "None":
        return "clusterIP"
    if host in (spec.get("externalIPs") or ()):
        return "externalIP"
    if spec.get("type") == "LoadBalancer":
        for ingress in ((service.get("status") or {}).get("loadBalancer") or {}).get(
                "ingress") or ():
            if host in (ingress.get("ip"), ingress.get("hostname")):
                return "loadBalancer"
    return None


def _port_by_number(service: dict, number: int) -> dict | None:
    for port in (service.get("spec") or {}).get("ports") or ():
        if port.get("port") == number and port.get("protocol", "TCP") == "TCP":
            return port
    return None


def _unknown_address(host: str) -> str:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return TIMED_OUT
    if ip in ipaddress.ip_network("192.168.49.0/24"):
        return NO_ROUTE          # the node network: nobody answers ARP
    return TIMED_OUT             # routed away (service CIDR, pod CIDR, the internet)


def kube_proxy(cluster) -> KubeProxy:
    """The cluster's kube-proxy state (made on first use)."""
    proxy = cluster.__dict__.get("_kube_proxy")
    if proxy is None:
        proxy = KubeProxy(cluster)
        cluster.__dict__["_kube_proxy"] = proxy
    return proxy


__all__ = ["Backend", "HostForward", "KubeProxy", "Unreachable", "kube_proxy", "POD_CIDR",
           "SERVICE_CIDR", "REFUSED", "TIMED_OUT", "NO_ROUTE"]
