"""Service address allocation: cluster IPs and node ports.

As in the Service REST storage of kube-apiserver, a new Service gets a free
cluster IP from the service CIDR (10.96.0.0/12) and, for NodePort and
LoadBalancer services, a free node port from 30000-32767, each picked at
random (from the cluster's seeded generator). A requested address that is
taken is refused with upstream's "provided ... is already allocated".
"""
from __future__ import annotations

import ipaddress

from kubelearn.api.defaults import service_ip_family_fields
from kubelearn.api.validation import FieldError, invalid_message, status_causes
from kubelearn.apiserver import errors

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORTS = (30000, 32767)


def allocate(api, service: dict, old: dict | None = None) -> dict:
    """``service`` with its cluster IP(s), IP families and node ports filled in."""
    spec = dict(service.get("spec") or {})
    if spec.get("type") == "ExternalName":
        return service
    taken_ips, taken_ports = _in_use(api, service)
    problems: list[FieldError] = []
    if not old:
        spec.update(service_ip_family_fields(spec))
        spec = _cluster_ip(api, spec, taken_ips, problems)
    if spec.get("type") in ("NodePort", "LoadBalancer"):
        spec["ports"] = _node_ports(api, spec.get("ports") or [], old, taken_ports, problems)
    if problems:
        meta = service["metadata"]
        name = meta.get("name", "")
        raise errors.invalid("Service", name, invalid_message("Service", name, problems),
                             status_causes(problems))
    return {**service, "spec": spec}


def _in_use(api, service: dict) -> tuple[set[str], set[int]]:
    me = (service["metadata"].get("namespace", ""), service["metadata"].get("name", ""))
    ips, ports = set(), set()
    for svc in api.store.list("Service"):
        meta = svc["metadata"]
        if (meta.get("namespace", ""), meta["name"]) == me:
            continue
        ips.update(ip for ip in svc["spec"].get("clusterIPs") or [] if ip != "None")
        ports.update(p["nodePort"] for p in svc["spec"].get("ports") or [] if p.get("nodePort"))
    return ips, ports


def _cluster_ip(api, spec: dict, taken: set[str], problems: list) -> dict:
    wanted = spec.get("clusterIP")
    if wanted == "None":
        return {**spec, "clusterIPs": ["None"]}
    if wanted:
        if ipaddress.ip_address(wanted) not in SERVICE_CIDR:
            problems.append(FieldError("Invalid", "spec.clusterIPs", [wanted],
                                       f"failed to allocate IP {wanted}: the provided IP "
                                       f"({wanted}) is not in the valid range. The range of "
                                       f"valid IPs is {SERVICE_CIDR}"))
        elif wanted in taken:
            problems.append(FieldError("Invalid", "spec.clusterIPs", [wanted],
                                       f"failed to allocate IP {wanted}: provided IP is already "
                                       "allocated"))
        return {**spec, "clusterIPs": [wanted]}
    size = SERVICE_CIDR.num_addresses
    while True:
        ip = str(SERVICE_CIDR.network_address + api.rng.randrange(1, size - 1))
        if ip not in taken:
            return {**spec, "clusterIP": ip, "clusterIPs": [ip]}


def _node_ports(api, ports: list[dict], old: dict | None, taken: set[int],
                problems: list) -> list[dict]:
    previous = {(p.get("port"), p.get("protocol")): p.get("nodePort")
                for p in ((old or {}).get("spec") or {}).get("ports") or []}
    result, mine = [], set()
    for i, port in enumerate(ports):
        port = dict(port)
        wanted = port.get("nodePort") or previous.get((port.get("port"), port.get("protocol")))
        if wanted and wanted in taken:
            problems.append(FieldError("Invalid", f"spec.ports[{i}].nodePort", wanted,
                                       "provided port is already allocated"))
        elif not wanted:
            wanted = _free_port(api, taken | mine)
        port["nodePort"] = wanted
        mine.add(wanted)
        result.append(port)
    return result


def _free_port(api, taken: set[int]) -> int:
    low, high = NODE_PORTS
    while True:
        port = api.rng.randint(low, high)
        if port not in taken:
            return port
