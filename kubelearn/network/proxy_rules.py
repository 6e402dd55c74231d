"""kube-proxy's tables: the rules it programs, kept up to date from watch events.

Real kube-proxy does not look at Services when a packet arrives: it watches
Services, EndpointSlices and Nodes, keeps a service map and an endpoints map
(pkg/proxy/servicechangetracker.go, endpointschangetracker.go) and turns them
into iptables rules keyed by destination. ``ProxyRules`` is that state for one
cluster, so a connection is a few dictionary lookups however many Services,
pods and nodes there are:

* ``by_address``: ``(ip, port)`` -> the Service port that owns it, for every
  cluster IP, external IP and LoadBalancer ingress address; ``addresses`` knows
  the IPs alone (a Service IP on a port it lacks matches no rule and times out);
* ``node_ports``: node port -> Service port (NodePort and LoadBalancer types);
* ``node_ips``: a node's InternalIP -> the node;
* ``pod_ips``: pod IP -> the pod (pods on the pod network, not finished);
  ``host_network``: node -> its hostNetwork pods;
* ``endpoints``: the ready addresses of an Endpoints object per port name, built
  when first asked for and dropped when the object changes;
* ``listening``: which container of a pod was found listening on a port, dropped
  when the pod changes (the process itself is checked on every connection).

Service, Node and Pod events update the tables incrementally: the rules an old
object made are taken out and the new object's put in. When two objects claim
the same key (two Services sharing an external IP and port) the first in etcd
order, (namespace, name), wins, as a scan of the store would find it.
"""
from __future__ import annotations

from typing import NamedTuple

Key = tuple[str, str]          # (namespace, name)

FINISHED = ("Succeeded", "Failed")


class ServicePortRule(NamedTuple):
    """One Service port as a rule: where it sends a connection, and how."""
    service: Key                 # (namespace, name)
    label: str                   # "namespace/name", as Backend.service shows it
    port: dict                   # the Service's port entry
    port_name: str               # its name ("" for an unnamed port): the Endpoints' port
    via: str                     # clusterIP | externalIP | loadBalancer | nodePort
    rr_key: tuple                # the round-robin position's key (per Service port)
    affinity: bool               # sessionAffinity: ClientIP
    local: bool                  # externalTrafficPolicy: Local (node ports only)


class _Claims:
    """key -> {owner: value}: several owners may claim a key; the first owner in
    sorted order answers. ``best`` holds each key's answer, a plain dict for the
    lookups on a connection's path (it is updated in place, never replaced)."""

    __slots__ = ("table", "best")

    def __init__(self) -> None:
        self.table: dict = {}
        self.best: dict = {}

    def claim(self, key, owner, value, add: bool) -> None:
        """Add ``owner``'s claim (unless it has one: its first value stays), or drop it."""
        owners = self.table.get(key)
        if add:
            if owners is None:
                owners = self.table[key] = {}
            elif owner in owners:
                return
            owners[owner] = value
        elif owners is None or owners.pop(owner, None) is None:
            return
        if not owners:
            del self.table[key]
            self.best.pop(key, None)
        elif len(owners) == 1:
            self.best[key] = next(iter(owners.values()))
        else:
            self.best[key] = owners[min(owners)]

    def get(self, key):
        return self.best.get(key)

    def owners(self, key) -> list:
        return sorted(self.table.get(key, ()))


class ProxyRules:
    """The service map, endpoints map and address tables of one cluster."""

    def __init__(self, store) -> None:
        self.store = store
        self.by_address = _Claims()     # (ip, port) -> ServicePortRule
        self.addresses = _Claims()      # ip -> Service key
        self.node_ports = _Claims()     # port -> ServicePortRule
        self.node_ips = _Claims()       # ip -> node name
        self.pod_ips = _Claims()        # ip -> pod key
        self.host_network = _Claims()   # node -> {pod key}
        self.endpoints: dict[Key, dict[str, list[tuple[str, int, str]]]] = {}
        # pod -> {port: (kubelet's pod worker, container record, its run)} of the containers found
        # listening; forgotten on every event of the pod (KubeProxy.listener checks the
        # process is still there on every use)
        self.listening: dict[Key, dict[int, tuple]] = {}
        for service in store.list("Service"):
            self._service(service, add=True)
        for node in store.list("Node"):
            self._node(node, add=True)
        for pod in store.list("Pod"):
            self._pod(pod, _pod_entry(pod), add=True)
        store.watch(self.on_event)

    # -- watch ----------------------------------------------------------------
    def on_event(self, event) -> None:
        kind = event.kind
        if kind == "Pod":
            meta = event.obj["metadata"]
            self.listening.pop((meta.get("namespace", ""), meta["name"]), None)
            old = _pod_entry(event.old) if event.old is not None else None
            new = _pod_entry(event.obj) if event.type != "DELETED" else None
            if old != new:
                if old is not None:
                    self._pod(event.old, old, add=False)
                if new is not None:
                    self._pod(event.obj, new, add=True)
        elif kind == "Endpoints":
            meta = event.obj["metadata"]
            self.endpoints.pop((meta.get("namespace", ""), meta["name"]), None)
        elif kind == "Service":
            self._replace(self._service, event)
        elif kind == "Node":
            self._replace(self._node, event)

    @staticmethod
    def _replace(apply, event) -> None:
        if event.old is not None:
            apply(event.old, add=False)
        if event.type != "DELETED":
            apply(event.obj, add=True)

    # -- services (servicechangetracker) ----------------------------------------
    def _service(self, service: dict, add: bool) -> None:
        meta, spec = service["metadata"], service.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return
        key = (meta.get("namespace", ""), meta["name"])
        label = f"{key[0]}/{key[1]}"
        affinity = spec.get("sessionAffinity") == "ClientIP"
        local = spec.get("externalTrafficPolicy") == "Local"
        addresses = [(ip, "clusterIP") for ip in spec.get("clusterIPs") or () if ip != "None"]
        addresses += [(ip, "externalIP") for ip in spec.get("externalIPs") or ()]
        if spec.get("type") == "LoadBalancer":
            for ingress in ((service.get("status") or {}).get("loadBalancer") or {}).get(
                    "ingress") or ():
                addresses += [(ingress[f], "loadBalancer") for f in ("ip", "hostname")
                              if ingress.get(f)]
        seen: set = set()
        for ip, via in addresses:
            if ip in seen:
                continue              # the first role an address has for this Service
            seen.add(ip)
            self.addresses.claim(ip, key, key, add)
            for port in _tcp_ports(spec):
                rule = ServicePortRule(key, label, port, port.get("name", ""), via,
                                       _rr_key(key, port), affinity, False)
                self.by_address.claim((ip, port.get("port")), key, rule, add)
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            for port in _tcp_ports(spec):
                if port.get("nodePort"):
                    rule = ServicePortRule(key, label, port, port.get("name", ""), "nodePort",
                                           _rr_key(key, port), affinity, local)
                    self.node_ports.claim(port["nodePort"], key, rule, add)

    # -- endpoints (endpointschangetracker) -------------------------------------
    def ready_endpoints(self, namespace: str, name: str, port_name: str) -> list:
        """(pod, port, node) of the ready addresses for one Service port name, in the
        Endpoints object's order. Shared: callers must not change it."""
        table = self.endpoints.get((namespace, name))
        if table is None:
            table = self.endpoint_table((namespace, name))
        return table.get(port_name, NO_ENDPOINTS)

    def endpoint_table(self, key: Key) -> dict[str, list[tuple[str, int, str]]]:
        """Port name -> ready endpoints of the Endpoints object ``key``, built now."""
        table = self.endpoints[key] = _endpoint_table(self.store.get("Endpoints", *key))
        return table

    # -- nodes and pods ---------------------------------------------------------
    def _node(self, node: dict, add: bool) -> None:
        name = node["metadata"]["name"]
        for address in (node.get("status") or {}).get("addresses") or ():
            if address.get("type") == "InternalIP" and address.get("address"):
                self.node_ips.claim(address["address"], name, name, add)

    def _pod(self, pod: dict, entry: tuple, add: bool) -> None:
        ip, node = entry
        meta = pod["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if ip:
            self.pod_ips.claim(ip, key, key, add)
        if node:
            self.host_network.claim(node, key, key, add)

    def host_network_pods(self, node: str) -> list[Key]:
        return self.host_network.owners(node)


NO_ENDPOINTS: list = []


def _tcp_ports(spec: dict) -> list[dict]:
    return [p for p in spec.get("ports") or () if p.get("protocol", "TCP") == "TCP"]


def _rr_key(key: Key, port: dict) -> tuple:
    return (*key, port.get("name", "") or str(port.get("port")))


def _pod_entry(pod: dict) -> tuple:
    """(pod IP on the pod network or "", node for a hostNetwork pod or "")."""
    spec = pod.get("spec") or {}
    if spec.get("hostNetwork"):
        return "", spec.get("nodeName") or ""
    status = pod.get("status") or {}
    if status.get("phase") in FINISHED:
        return "", ""
    return status.get("podIP") or "", ""


def _endpoint_table(endpoints: dict | None) -> dict[str, list[tuple[str, int, str]]]:
    """Port name -> (pod, port, node) of every ready address, subset by subset."""
    table: dict[str, list] = {}
    for subset in (endpoints or {}).get("subsets") or ():
        numbers: dict[str, int] = {}
        for port in subset.get("ports") or ():
            if port.get("protocol", "TCP") == "TCP":
                numbers.setdefault(port.get("name", ""), port["port"])
        for name, number in numbers.items():
            found = table.setdefault(name, [])
            for address in subset.get("addresses") or ():
                ref = address.get("targetRef") or {}
                if ref.get("kind") == "Pod" and ref.get("name"):
                    found.append((ref["name"], number, address.get("nodeName", "")))
    return table
