"""Endpoints controller: which pod IPs stand behind each Service.

For every Service with a selector, an ``Endpoints`` object of the same name
lists the selected pods that have an IP: ready ones under ``addresses``, the
others under ``notReadyAddresses``, each with its node and a ``targetRef`` to
the pod. Ports come from the Service's ports, a named ``targetPort`` being
looked up among the pod's container ports (a pod without that port is left
out of that port). Addresses that share the same ports are packed into one
subset (upstream's ``RepackSubsets``), and everything is sorted, so the object
is the same on every run. Terminating and finished pods are left out; a
Service without a selector is left alone (its Endpoints are the user's). Past
1,000 addresses the list is truncated and annotated, as upstream does.

The controller keeps each namespace's Service selectors, so a pod event only
wakes the Services that select the pod (before or after the change).
"""
from __future__ import annotations

import math

from kubelearn.api.podutil import find_port, get_condition, is_pod_ready, is_pod_terminal
from kubelearn.api.selector import selector_from_set
from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller

COMPONENT = "endpoint-controller"
TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time"
OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity"
HEADLESS_LABEL = "service.kubernetes.io/headless"
MAX_CAPACITY = 1000


def should_pod_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    """endpointsliceutil.ShouldPodBeInEndpoints."""
    status = pod.get("status") or {}
    if is_pod_terminal(pod) or not (status.get("podIP") or status.get("podIPs")):
        return False
    return include_terminating or not pod["metadata"].get("deletionTimestamp")


def endpoint_address(pod: dict) -> dict:
    """podToEndpointAddressForService."""
    meta = pod["metadata"]
    address = {"ip": pod["status"].get("podIP") or pod["status"]["podIPs"][0]["ip"]}
    if pod["spec"].get("hostname"):
        address["hostname"] = pod["spec"]["hostname"]
    address["nodeName"] = pod["spec"].get("nodeName", "")
    address["targetRef"] = {"kind": "Pod", "name": meta["name"],
                            "namespace": meta.get("namespace", ""), "uid": meta.get("uid", "")}
    return address


def endpoint_port(service_port: dict, number: int) -> dict:
    port = {}
    if service_port.get("appProtocol"):
        port["appProtocol"] = service_port["appProtocol"]
    if service_port.get("name"):
        port["name"] = service_port["name"]
    port["port"] = number
    port["protocol"] = service_port.get("protocol", "TCP")
    return port


def build_subsets(service: dict, pods: list[dict]) -> list[dict]:
    """syncService's loop + RepackSubsets + SortSubsets."""
    spec = service.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    ports_of: dict[tuple, set] = {}        # address key -> {port tuple}
    addresses: dict[tuple, tuple[dict, bool]] = {}
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, publish):
            continue
        address = endpoint_address(pod)
        ready = publish or is_pod_ready(pod)
        akey = (address["ip"], address["targetRef"]["uid"], ready)
        service_ports = spec.get("ports") or []
        if not service_ports:
            if spec.get("clusterIP") == "None":
                addresses[akey] = (address, ready)
                ports_of.setdefault(akey, set())
            continue
        for service_port in service_ports:
            number = find_port(pod, service_port)
            if number is None:
                continue
            addresses[akey] = (address, ready)
            ports_of.setdefault(akey, set()).add(tuple(sorted(
                endpoint_port(service_port, number).items())))
    by_ports: dict[tuple, list[tuple]] = {}
    for akey, ports in ports_of.items():
        by_ports.setdefault(tuple(sorted(ports)), []).append(akey)
    subsets = []
    for ports in sorted(by_ports):
        keys = sorted(by_ports[ports], key=lambda k: (_ip_sort_key(k[0]), k[1]))
        subset: dict = {}
        ready = [addresses[k][0] for k in keys if addresses[k][1]]
        not_ready = [addresses[k][0] for k in keys if not addresses[k][1]]
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        if ports:
            subset["ports"] = [dict(p) for p in ports]
        subsets.append(subset)
    return subsets


def _ip_sort_key(ip: str) -> tuple:
    try:
        return tuple(int(part) for part in ip.split("."))
    except ValueError:
        return (ip,)


def truncate(subsets: list[dict]) -> bool:
    """truncateEndpoints: keep at most 1,000 addresses, ready ones first, proportionally."""
    ready = sum(len(s.get("addresses", ())) for s in subsets)
    not_ready = sum(len(s.get("notReadyAddresses", ())) for s in subsets)
    if ready + not_ready <= MAX_CAPACITY:
        return False
    truncate_ready = ready > MAX_CAPACITY
    limit, total = (MAX_CAPACITY, ready) if truncate_ready else (MAX_CAPACITY - ready, not_ready)
    room = limit
    for subset in subsets:
        field = "addresses" if truncate_ready else "notReadyAddresses"
        count = len(subset.get(field, ()))
        keep = min(math.ceil(count / total * limit) if total else 0, room)
        if field in subset:
            subset[field] = subset[field][:keep]
        if truncate_ready:
            subset.pop("notReadyAddresses", None)
        room -= keep
    return True


class EndpointsController(Controller):
    name = COMPONENT
    watches = ("Service", "Pod", "Endpoints")

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self._selectors: dict[str, dict[str, object]] = {}   # namespace -> service -> Selector
        # namespace -> (label, value) -> services whose selector's first pair it is: a pod
        # can only match a Service whose first pair it carries (1,000 Services cost 1 lookup)
        self._by_pair: dict[str, dict[tuple[str, str], set[str]]] = {}
        self._pair_of: dict[tuple[str, str], tuple[str, str]] = {}

    # -- events ------------------------------------------------------------
    def keys_for(self, event):
        obj = event.obj
        meta = obj["metadata"]
        namespace = meta.get("namespace", "")
        if event.kind == "Service":
            self._index_service(namespace, meta["name"], None if event.type == "DELETED"
                                else (obj.get("spec") or {}).get("selector"))
            return ((namespace, meta["name"]),)
        if event.kind == "Endpoints":
            if event.type == "DELETED" and meta["name"] in self._selectors.get(namespace, {}):
                return ((namespace, meta["name"]),)
            return ()
        services = self._selectors.get(namespace)
        if not services:
            return ()
        if event.type == "MODIFIED" and _pod_summary(event.old) == _pod_summary(obj):
            return ()
        by_pair = self._by_pair[namespace]
        names: set[str] = set()
        for candidate in (event.old, obj):
            if candidate is None:
                continue
            labels = candidate["metadata"].get("labels") or {}
            for pair in labels.items():
                for name in by_pair.get(pair, ()):
                    if name not in names and services[name].matches(labels):
                        names.add(name)
        return [(namespace, name) for name in sorted(names)]

    def _index_service(self, namespace: str, name: str, selector: dict | None) -> None:
        services = self._selectors.setdefault(namespace, {})
        by_pair = self._by_pair.setdefault(namespace, {})
        if services.pop(name, None) is not None:
            by_pair[self._pair_of.pop((namespace, name))].discard(name)
        if selector:
            services[name] = selector_from_set(selector)
            pair = self._pair_of[(namespace, name)] = min(selector.items())
            by_pair.setdefault(pair, set()).add(name)

    # -- sync ----------------------------------------------------------------
    def reconcile(self, key):
        """syncService."""
        namespace, name = key
        service = self.api.store.get("Service", namespace, name)
        current = self.api.store.get("Endpoints", namespace, name)
        if service is None:
            if current is not None:
                self._delete(current)
            return None
        selector = (service.get("spec") or {}).get("selector")
        if not selector:
            return None     # no selector: the Endpoints are managed by hand
        pods = self.api.list("Pod", namespace, selector_from_set(selector))
        subsets = build_subsets(service, pods)
        truncated = truncate(subsets)
        labels = dict(service["metadata"].get("labels") or {})
        if (service.get("spec") or {}).get("clusterIP") == "None":
            labels[HEADLESS_LABEL] = ""
        if current is not None and (current.get("subsets") or []) == subsets and \
                (current["metadata"].get("labels") or {}) == labels and \
                bool((current["metadata"].get("annotations") or {}).get(
                    OVER_CAPACITY_ANNOTATION)) == truncated:
            return None
        annotations = dict((current or {}).get("metadata", {}).get("annotations") or {})
        annotations[TRIGGER_TIME_ANNOTATION] = _trigger_time(service, pods)
        if truncated:
            annotations[OVER_CAPACITY_ANNOTATION] = "truncated"
        else:
            annotations.pop(OVER_CAPACITY_ANNOTATION, None)
        endpoints = {"apiVersion": "v1", "kind": "Endpoints",
                     "metadata": {"name": name, "namespace": namespace,
                                  "annotations": annotations}}
        if labels:
            endpoints["metadata"]["labels"] = labels
        if subsets:
            endpoints["subsets"] = subsets
        try:
            if current is None:
                self.api.create(endpoints)
            else:
                endpoints["metadata"] = {**current["metadata"], **endpoints["metadata"]}
                if not labels:
                    endpoints["metadata"].pop("labels", None)
                self.api.update(endpoints)
        except errors.StatusError:
            return 1.0
        return None

    def _delete(self, endpoints: dict) -> None:
        try:
            self.api.delete("Endpoints", endpoints["metadata"]["name"],
                            endpoints["metadata"].get("namespace", ""))
        except errors.StatusError:
            pass


def _pod_summary(pod: dict | None) -> tuple | None:
    """podEndpointsChanged: what of a pod an Endpoints object shows."""
    if pod is None:
        return None
    status = pod.get("status") or {}
    ports = tuple(tuple(sorted(p.items())) for c in pod["spec"].get("containers") or ()
                  for p in c.get("ports") or () if isinstance(p, dict))
    return (tuple(sorted((pod["metadata"].get("labels") or {}).items())), status.get("podIP"),
            is_pod_ready(pod), bool(pod["metadata"].get("deletionTimestamp")),
            is_pod_terminal(pod), pod["spec"].get("nodeName"), pod["spec"].get("hostname"),
            ports)


def _trigger_time(service: dict, pods: list[dict]) -> str:
    """The last change behind this version: the newest pod readiness change or creation."""
    stamps = [service["metadata"].get("creationTimestamp") or ""]
    for pod in pods:
        cond = get_condition(pod.get("status"), "Ready")
        stamps.append((cond or {}).get("lastTransitionTime") or
                      pod["metadata"].get("creationTimestamp") or "")
    return max(stamps)
