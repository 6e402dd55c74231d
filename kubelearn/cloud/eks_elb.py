"""EKS LoadBalancer Services: the AWS cloud provider's Classic ELBs.

On EKS without the AWS Load Balancer Controller, the in-tree AWS cloud provider
(the cloud-controller-manager's service controller) makes a Classic ELB for
each ``type: LoadBalancer`` Service. ``ELBController`` plays it: the event
``EnsuringLoadBalancer`` at once, then, ``ELB_PROVISION_SECONDS`` later, the
ELB's DNS name in ``status.loadBalancer.ingress[0].hostname`` (kubectl's
EXTERNAL-IP) and ``EnsuredLoadBalancer``. The name is upstream's
``DefaultLoadBalancerName`` ("a" and the Service's uid without dashes, cut to
32 characters), a dash, ten digits and ``<region>.elb.amazonaws.com``.

The name resolves in public DNS ``ELB_DNS_SECONDS`` after that (until then
curl says ``Could not resolve host``). ``elb_address`` is what
``cluster.http_get`` asks for such a name (``network.http.public_address``):
the ELB forwards each connection to a node's node port, round-robin over the
Ready nodes not excluded from load balancers; with ``externalTrafficPolicy:
Local`` only the nodes running an endpoint pass the health check. A port the
Service has no listener for times out. When the Service goes, or stops being a
LoadBalancer, its ELB goes and the ingress is cleared.

The timings are kubelearn's (an ELB takes seconds to create and its DNS name a
minute or more to resolve); they are not measured values.
"""
from __future__ import annotations

import hashlib

from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller

ELB_PROVISION_SECONDS = 10.0          # CreateLoadBalancer until the hostname is written
ELB_DNS_SECONDS = 60.0                # the ELB's DNS name resolving after that
ELB_COMPONENT = "service-controller"


def _state(cluster):
    from kubelearn.cloud.eks import eks_state

    return eks_state(cluster)


def _hex(*parts: str, length: int = 32) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def elb_hostname(cluster, service: dict) -> str:
    """The Classic ELB's DNS name: ``cloudprovider.DefaultLoadBalancerName`` ("a" and the
    Service's uid without dashes, cut to 32 characters), a dash, ten digits AWS picks,
    then the region's ELB domain."""
    meta = service["metadata"]
    name = ("a" + meta["uid"].replace("-", ""))[:32]
    digits = int(_hex(_state(cluster).arn, name, length=12), 16) % 10**10
    return f"{name}-{digits:010d}.{_state(cluster).region}.elb.amazonaws.com"


class ELBController(Controller):
    """The AWS cloud provider's service controller: a Classic ELB per LoadBalancer
    Service, its hostname written to the Service's status once it exists, gone with the
    Service (or when the type changes)."""

    name = "eks-service-controller"
    watches = ("Service",)

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self.balancers: dict[tuple[str, str], dict] = {}   # service -> {hostname, ready_at}
        self._rr = 0

    def keys_for(self, event):
        spec = event.obj.get("spec") or {}
        meta = event.obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        wanted = event.type != "DELETED" and spec.get("type") == "LoadBalancer"
        if wanted and key not in self.balancers:
            return (key,)
        if not wanted and key in self.balancers:
            return (key,)
        return ()

    def reconcile(self, key):
        namespace, name = key
        service = self.api.store.get("Service", namespace, name)
        wanted = service is not None and (service.get("spec") or {}).get("type") == "LoadBalancer"
        if not wanted:
            self.balancers.pop(key, None)
            if service is not None and (service.get("status") or {}).get("loadBalancer"):
                try:        # EnsureLoadBalancerDeleted, then the status patch
                    self.api.update_status({**service, "status": {
                        **service["status"], "loadBalancer": {}}})
                except errors.StatusError:
                    return 1.0
            return None
        if key in self.balancers:
            return None
        hostname = elb_hostname(self.cluster, service)
        self.balancers[key] = {"hostname": hostname, "uid": service["metadata"]["uid"],
                               "resolves_at": None}
        self.cluster.events.record(service, "Normal", "EnsuringLoadBalancer",
                                   "Ensuring load balancer", ELB_COMPONENT)
        self.clock.call_later(ELB_PROVISION_SECONDS, lambda: self._provisioned(key),
                              label=f"ELB for Service {namespace}/{name}")
        return None

    def _provisioned(self, key) -> None:
        record = self.balancers.get(key)
        service = self.api.store.get("Service", *key)
        if record is None or service is None or service["metadata"]["uid"] != record["uid"]:
            return
        status = service.get("status") or {}
        try:
            self.api.update_status({**service, "status": {
                **status, "loadBalancer": {"ingress": [{"hostname": record["hostname"]}]}}})
        except errors.StatusError:
            return
        service = self.api.store.get("Service", *key)
        self.cluster.events.record(service, "Normal", "EnsuredLoadBalancer",
                                   "Ensured load balancer", ELB_COMPONENT)
        record["resolves_at"] = self.clock.now + ELB_DNS_SECONDS
        self.clock.call_later(ELB_DNS_SECONDS, lambda: None,
                              label=f"DNS for the ELB of Service {key[0]}/{key[1]}")

    def by_hostname(self, hostname: str):
        for key, record in sorted(self.balancers.items()):
            if record["hostname"] == hostname:
                return key, record
        return None


def elb_controller(cluster) -> ELBController | None:
    return next((c for c in cluster.controllers if isinstance(c, ELBController)), None)


def elb_address(cluster, host: str, port: int) -> tuple[str, int] | None:
    """Public DNS and the ELB: a Ready node's IP and the Service port's node port."""
    from kubelearn.network.http import ConnectionTimedOut

    controller = elb_controller(cluster)
    found = controller.by_hostname(host.lower().rstrip(".")) if controller else None
    if found is None:
        return None
    key, record = found
    if record["resolves_at"] is None or cluster.clock.now < record["resolves_at"]:
        return None                                   # not in DNS yet
    service = cluster.api.store.get("Service", *key)
    spec = (service or {}).get("spec") or {}
    listener = next((p for p in spec.get("ports") or ()
                     if p.get("port") == port and p.get("protocol", "TCP") == "TCP"
                     and p.get("nodePort")), None)
    nodes = _healthy_nodes(cluster, key, spec) if listener is not None else []
    if not nodes:
        raise ConnectionTimedOut(f"Failed to connect to {host} port {port}: Connection timed out",
                                 host, port)
    chosen = nodes[controller._rr % len(nodes)]
    controller._rr += 1
    return chosen, listener["nodePort"]


def _healthy_nodes(cluster, key, spec: dict) -> list[str]:
    """InternalIPs of the instances the ELB sends to: Ready, schedulable-or-not nodes not
    excluded from load balancers; for ``externalTrafficPolicy: Local`` only those running
    a ready endpoint (the health check node port answers only there)."""
    local_nodes = None
    if spec.get("externalTrafficPolicy") == "Local":
        endpoints = cluster.api.store.get("Endpoints", *key) or {}
        local_nodes = {a.get("nodeName") for s in endpoints.get("subsets") or ()
                       for a in s.get("addresses") or ()}
    ips = []
    for node in sorted(cluster.api.store.list("Node"), key=lambda n: n["metadata"]["name"]):
        labels = node["metadata"].get("labels") or {}
        if "node.kubernetes.io/exclude-from-external-load-balancers" in labels:
            continue
        ready = next((c for c in (node.get("status") or {}).get("conditions") or ()
                      if c.get("type") == "Ready"), {})
        if ready.get("status") != "True":
            continue
        if local_nodes is not None and node["metadata"]["name"] not in local_nodes:
            continue
        ip = next((a["address"] for a in node["status"].get("addresses") or ()
                   if a.get("type") == "InternalIP"), "")
        if ip:
            ips.append(ip)
    return ips
