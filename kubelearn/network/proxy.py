"""kube-proxy: where a TCP connection to ``ip:port`` ends up.

kube-proxy (iptables mode, minikube's and kubeadm's default) turns every
Service into packet rules on every node. ``KubeProxy.route`` plays those rules
for one connection and answers with the pod and port that accept it:

* a **node port** on any node's InternalIP (``192.168.49.2:31000``), for
  NodePort and LoadBalancer services;
* a **cluster IP** and Service port (``10.108.72.66:80``), or an external IP /
  LoadBalancer ingress IP the Service has;
* a **pod IP** directly (``10.244.0.5:8080``), as the pod network routes it;
* ``127.0.0.1`` / ``localhost`` on the learner's machine: only the ports
  something there forwards (``minikube service`` for a ClusterIP service,
  ``minikube dashboard``'s proxy, ``kubectl port-forward``), kept in
  ``host_ports``;
* ``localhost`` **inside a pod** (``route(..., from_pod=(ns, name))``): the
  containers of a pod share one network namespace, so a sidecar reaches the
  main container on ``localhost:8080``; a hostNetwork pod shares its node's.

The rules are tables, as kube-proxy programs them (``proxy_rules``): a Service
port by ``clusterIP:port``, by external/ingress ``IP:port`` and by node port,
node addresses and pod IPs, all kept current from watch events, so a
connection costs a few dictionary lookups however big the cluster is.

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
address nobody has is "No route to host". ``EMPTY_REPLY`` is a connection that
was accepted and then closed without an answer (a port-forward whose pod is
gone).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import NamedTuple

from kubelearn.network.ipam import SERVICE_CIDR
from kubelearn.network.proxy_rules import NO_ENDPOINTS, ProxyRules, ServicePortRule, _rr_key

POD_CIDR = ipaddress.ip_network("10.244.0.0/16")
REFUSED = "Connection refused"
TIMED_OUT = "Connection timed out"
NO_ROUTE = "No route to host"
EMPTY_REPLY = "Empty reply from server"
LOCALHOST = ("127.0.0.1", "localhost", "::1", "[::1]")
RUNNING_STAGES = ("starting", "running")


class Unreachable(Exception):
    """A connection that no process accepts; ``reason`` is what the socket reports."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Backend(NamedTuple):
    """The container port a connection reaches, and how it got there (a value: one is
    made for every connection, so it is a tuple, not a dataclass)."""
    namespace: str
    pod: str
    container: str
    port: int
    service: str = ""          # "namespace/name" when a Service routed it
    # pod | clusterIP | nodePort | loadBalancer | externalIP | host (a forward on the
    # learner's machine) | portForward (kubectl port-forward) | localhost (inside a pod)
    via: str = "pod"
    client: str = ""           # source address the app sees ("" = the node's gateway)


@dataclass(frozen=True)
class HostForward:
    """A port on the learner's machine that forwards into the cluster.

    ``kind`` is ``"service"`` (a tunnel to one Service port, as ``minikube service``
    opens for a ClusterIP service), ``"apiserver-proxy"`` (``kubectl proxy``, as
    ``minikube dashboard`` runs: paths name the Service to reach) or ``"pod"``
    (``kubectl port-forward``: ``pod``'s ``port``; ``session`` is the kubectl process,
    which accepts each connection with ``session.connect(local_port, host)``)."""
    kind: str
    namespace: str = ""
    service: str = ""
    port: int = 0
    opened_by: str = ""
    pod: str = ""
    session: object = field(default=None, compare=False, repr=False)


class KubeProxy:
    """The service rules of one cluster, and its round-robin positions."""

    def __init__(self, cluster) -> None:
        self.cluster = cluster
        self.store = cluster.api.store
        self.rules = rules = ProxyRules(self.store)
        # the rule tables' answers, looked up on every connection
        self._node_ips, self._by_address = rules.node_ips.best, rules.by_address.best
        self._addresses, self._pod_ips = rules.addresses.best, rules.pod_ips.best
        self._endpoints, self._listening = rules.endpoints, rules.listening
        self._next: dict[tuple[str, str, str], int] = {}
        self._affinity: dict[tuple[str, str, str, str], str] = {}
        self.host_ports: dict[int, HostForward] = {}
        self._kubelets = _kubelet_manager(cluster)

    # -- entry point -------------------------------------------------------
    def route(self, host: str, port: int, *, client: str = "",
              from_pod: tuple[str, str] | None = None) -> Backend:
        """The backend a connection to ``host:port`` reaches, or raise Unreachable.
        ``from_pod`` is (namespace, name) of the pod the connection leaves from, which
        decides what ``localhost`` is."""
        if host in LOCALHOST:
            if from_pod is not None:
                return self._pod_localhost(from_pod, port)
            return self._host_localhost(host, port, client)
        node = self._node_ips.get(host)
        if node is not None:
            return self._node_port(node, host, port, client)
        rule = self._by_address.get((host, port))
        if rule is not None:
            return self._to_service(rule, client)
        if host in self._addresses:
            raise Unreachable(TIMED_OUT)         # no rule for this port: nothing answers
        key = self._pod_ips.get(host)
        if key is not None:
            return self._to_pod(self.store.get("Pod", *key), port, "pod", "", client)
        raise Unreachable(_unknown_address(host))

    # -- localhost ---------------------------------------------------------
    def _host_localhost(self, host: str, port: int, client: str) -> Backend:
        forward = self.host_ports.get(port)
        if forward is None:
            raise Unreachable(REFUSED)
        if forward.kind == "pod" and forward.session is not None:
            return forward.session.connect(port, host)
        if forward.kind != "service":
            raise Unreachable(REFUSED)
        service = self.store.get("Service", forward.namespace, forward.service)
        service_port = _port_by_number(service, forward.port) if service else None
        if service_port is None:
            raise Unreachable(REFUSED)
        return self._to_service(service_rule(service, service_port, "host"), client)

    def _pod_localhost(self, from_pod: tuple[str, str], port: int) -> Backend:
        """The pod's own network namespace (its node's, for a hostNetwork pod)."""
        pod = self.store.get("Pod", *from_pod)
        if pod is None:
            raise Unreachable(REFUSED)
        spec = pod.get("spec") or {}
        neighbours = [pod]
        if spec.get("hostNetwork"):
            neighbours += [self.store.get("Pod", *key)
                           for key in self.rules.host_network_pods(spec.get("nodeName", ""))
                           if key != from_pod]
        for candidate in neighbours:
            if candidate is not None and self.listener(candidate, port) is not None:
                return self._to_pod(candidate, port, "localhost", "", "127.0.0.1")
        raise Unreachable(REFUSED)

    # -- node ports --------------------------------------------------------
    def _node_port(self, node: str, host: str, port: int, client: str) -> Backend:
        rule = self.rules.node_ports.get(port)
        if rule is not None:
            return self._to_service(rule, client, node if rule.local else None)
        for key in self.rules.host_network_pods(node):
            pod = self.store.get("Pod", *key)
            if pod is not None and self.listener(pod, port) is not None:
                return self._to_pod(pod, port, "pod", "", client or host)
        raise Unreachable(REFUSED)

    # -- services ----------------------------------------------------------
    def _to_service(self, rule: ServicePortRule, client: str,
                    local_node: str | None = None) -> Backend:
        table = self._endpoints.get(rule.service) or self.rules.endpoint_table(rule.service)
        endpoints = table.get(rule.port_name, NO_ENDPOINTS)
        if local_node is not None:
            endpoints = [e for e in endpoints if e[2] == local_node]
            if not endpoints:
                raise Unreachable(TIMED_OUT)     # Local policy drops: no endpoint here
        if not endpoints:
            raise Unreachable(REFUSED)           # "has no endpoints": REJECT
        pod_name, number, _ = self.pick(rule, endpoints, client)
        namespace = rule.service[0]
        container = self._known_listener(namespace, pod_name, number)
        if container is not None:
            return Backend(namespace, pod_name, container, number, rule.label, rule.via, client)
        return self._to_pod(self.store.get("Pod", namespace, pod_name), number, rule.via,
                            rule.label, client)

    def ready_endpoints(self, namespace: str, name: str,
                        service_port: dict) -> list[tuple[str, int, str]]:
        """(pod, port, node) of the ready addresses behind one Service port, in the
        Endpoints object's (sorted) order. Shared with the rules: do not change it."""
        return self.rules.ready_endpoints(namespace, name, service_port.get("name", ""))

    def pick(self, rule: ServicePortRule, endpoints: list, client: str):
        """The endpoint the next connection from ``client`` gets: round-robin per
        Service port, or the client's pinned endpoint under ClientIP affinity."""
        key = rule.rr_key
        if rule.affinity:
            pinned = self._affinity.get((*key, client))
            for endpoint in endpoints:
                if endpoint[0] == pinned:
                    return endpoint
        position = self._next.get(key, 0)
        chosen = endpoints[position % len(endpoints)]
        self._next[key] = (position + 1) % len(endpoints)
        if rule.affinity:
            self._affinity[(*key, client)] = chosen[0]
        return chosen

    # -- pods --------------------------------------------------------------
    def _to_pod(self, pod: dict | None, port: int, via: str, service: str,
                client: str) -> Backend:
        container = self.listener(pod, port) if pod is not None else None
        if container is None:
            raise Unreachable(REFUSED)
        meta = pod["metadata"]
        return Backend(meta.get("namespace", ""), meta["name"], container, port, service, via,
                       client)

    def listener(self, pod: dict, port: int) -> str | None:
        """The container of ``pod`` whose running process accepts TCP on ``port``: what
        ``kubelet.running_container`` reports as ``listens``, read straight from the
        node's kubelet (this is on every connection's path)."""
        meta = pod["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        container = self._known_listener(key[0], key[1], port)
        if container is not None:
            return container
        manager = self._kubelets
        kubelet = manager.kubelets.get(pod["spec"].get("nodeName")) if manager else None
        worker = kubelet.workers.get(key) if kubelet is not None else None
        if worker is None or worker.uid != meta.get("uid"):
            return None
        now = kubelet.clock.now
        for record in worker.containers:
            run = record.run
            if record.serving(worker.stage, now) and port in run.plan.listens:
                self._listening.setdefault(key, {})[port] = (worker, record, run)
                return record.name
        return None

    def _known_listener(self, namespace: str, name: str, port: int) -> str | None:
        """The container last found listening on ``port`` of a pod that has not changed
        since, if the same process still runs (a process's plan, and so the ports it
        listens on, never changes)."""
        ports = self._listening.get((namespace, name))
        found = ports.get(port) if ports is not None else None
        if found is not None:
            worker, record, run = found
            # a pod that is shutting down is looked at afresh: its process may have stopped
            if record.run is run and record.state == "running" and \
                    worker.stage in RUNNING_STAGES:
                return record.name
        return None

    # -- addresses ---------------------------------------------------------
    def node_ips(self) -> list[str]:
        ips = []
        for node in self.store.list("Node"):
            for address in (node.get("status") or {}).get("addresses") or ():
                if address.get("type") == "InternalIP":
                    ips.append(address["address"])
        return ips


def service_rule(service: dict, service_port: dict, via: str) -> ServicePortRule:
    """The rule for one port of ``service`` reached ``via`` something outside the
    tables (a tunnel or the API server's proxy on the learner's machine)."""
    meta, spec = service["metadata"], service.get("spec") or {}
    key = (meta.get("namespace", ""), meta["name"])
    return ServicePortRule(key, f"{key[0]}/{key[1]}", service_port,
                           service_port.get("name", ""), via, _rr_key(key, service_port),
                           spec.get("sessionAffinity") == "ClientIP", False)


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


def _kubelet_manager(cluster):
    """The controller that runs the cluster's kubelets (None in a bare control plane)."""
    from kubelearn.node.kubelet import KubeletManager

    for ctrl in getattr(cluster, "controllers", ()):
        if isinstance(ctrl, KubeletManager):
            return ctrl
    return None


def kube_proxy(cluster) -> KubeProxy:
    """The cluster's kube-proxy state (made on first use)."""
    proxy = cluster.__dict__.get("_kube_proxy")
    if proxy is None:
        proxy = KubeProxy(cluster)
        cluster.__dict__["_kube_proxy"] = proxy
    return proxy


__all__ = ["Backend", "HostForward", "KubeProxy", "Unreachable", "kube_proxy", "service_rule",
           "POD_CIDR", "SERVICE_CIDR", "REFUSED", "TIMED_OUT", "NO_ROUTE", "EMPTY_REPLY"]
