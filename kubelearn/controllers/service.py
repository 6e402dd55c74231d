"""Service controller: who gives a LoadBalancer Service its EXTERNAL-IP.

On a cloud, the cloud-controller-manager's service controller asks the cloud
for a load balancer and writes its address into ``status.loadBalancer.ingress``.
A kubeadm cluster has no cloud provider, so nothing ever does: EXTERNAL-IP
stays ``<pending>`` for good (and no event explains it, exactly as on a real
bare cluster).

minikube has no cloud either; ``minikube tunnel`` stands in for one. Its load
balancer emulator (``pkg/minikube/tunnel/loadbalancer_patcher.go``) checks
every 5 seconds and patches each LoadBalancer Service's status subresource
with ``ingress: [{ip: <its ClusterIP>}]`` (the host gets a route to the
Service CIDR through the node, so the ClusterIP is the reachable address).
This controller plays that loop once ``start_tunnel`` is called: Services are
indexed as they change, and each tunnel check queues the LoadBalancer ones.
The tunnel lasts for the rest of the session (there is no Ctrl-C to press).
"""
from __future__ import annotations

from dataclasses import dataclass

from kubelearn.apiserver import errors
from kubelearn.controllers.base import Controller

TUNNEL_CHECK_SECONDS = 5.0       # tunnel.Manager's delay between checks


@dataclass
class Tunnel:
    """A running ``minikube tunnel``: its process id and route."""
    pid: int
    route: str
    started_at: float
    checks: int = 0


class ServiceController(Controller):
    name = "service-controller"
    watches = ("Service",)

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self._load_balancers: set[tuple[str, str]] = set()
        self.tunnel: Tunnel | None = None

    def keys_for(self, event):
        meta = event.obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if event.type != "DELETED" and (event.obj.get("spec") or {}).get("type") == \
                "LoadBalancer":
            self._load_balancers.add(key)
        else:
            self._load_balancers.discard(key)
        return ()            # only tunnel checks reconcile: without a tunnel nothing happens

    def start_tunnel(self, pid: int, route: str) -> Tunnel:
        """Start the emulator (idempotent: a running tunnel is returned as it is)."""
        if self.tunnel is None:
            self.tunnel = Tunnel(pid, route, self.clock.now)
            self.clock.call_later(TUNNEL_CHECK_SECONDS, self._check, background=True,
                                  label="minikube tunnel: check LoadBalancer services")
        return self.tunnel

    def _check(self) -> None:
        self.tunnel.checks += 1
        for key in sorted(self._load_balancers):
            self.enqueue(key)
        self.clock.call_later(TUNNEL_CHECK_SECONDS, self._check, background=True,
                              label="minikube tunnel: check LoadBalancer services")

    def patched_services(self) -> list[str]:
        """Names of the LoadBalancer Services the tunnel manages (its ``services:`` line)."""
        return [name for _, name in sorted(self._load_balancers)]

    def reconcile(self, key):
        """LoadBalancerEmulator.updateService: ingress = the ClusterIP, unless already so."""
        if self.tunnel is None:
            return None
        namespace, name = key
        service = self.api.store.get("Service", namespace, name)
        if service is None or (service.get("spec") or {}).get("type") != "LoadBalancer":
            return None
        cluster_ip = (service.get("spec") or {}).get("clusterIP") or ""
        if not cluster_ip or cluster_ip == "None":
            return None
        status = service.get("status") or {}
        ingress = (status.get("loadBalancer") or {}).get("ingress") or []
        if len(ingress) == 1 and ingress[0].get("ip") == cluster_ip:
            return None
        # minikube patches only the ip; the API server defaults ipMode to VIP (the
        # LoadBalancerIPMode default since 1.30), which update_status does not run here.
        try:
            self.api.update_status({**service, "status": {
                **status, "loadBalancer": {"ingress": [{"ip": cluster_ip, "ipMode": "VIP"}]}}})
        except errors.StatusError:
            return TUNNEL_CHECK_SECONDS
        return None


def service_controller(cluster) -> ServiceController | None:
    for ctrl in cluster.controllers:
        if isinstance(ctrl, ServiceController):
            return ctrl
    return None
