"""``kubelearn.controllers.service``: LoadBalancer EXTERNAL-IPs.

No cloud, no address: a kubeadm cluster leaves LoadBalancer Services pending
for good. ``minikube tunnel``'s load balancer emulator sets the ingress IP to
the ClusterIP, checking every 5 seconds."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.controllers.service import (TUNNEL_CHECK_SECONDS, ServiceController,
                                           service_controller)

LB = """
apiVersion: v1
kind: Service
metadata: {name: %s}
spec:
  type: %s
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""


def ingress(cluster, name):
    svc = cluster.api.store.get("Service", "default", name)
    return ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress")


def external_ip(cluster, name):
    out = cluster.kubectl(f"get svc {name}").stdout.splitlines()
    header, row = out[0], out[1]
    start = header.index("EXTERNAL-IP")
    return row[start:].split()[0]


def test_the_controller_is_one_of_the_defaults():
    c = Cluster()
    assert isinstance(service_controller(c), ServiceController)
    assert service_controller(c).tunnel is None


def test_kubeadm_leaves_a_load_balancer_pending_forever():
    c = Cluster()
    c.apply(LB % ("web", "LoadBalancer"))
    c.advance(3600)
    assert ingress(c, "web") is None
    assert external_ip(c, "web") == "<pending>"
    assert c.kubectl("get events --field-selector involvedObject.kind=Service").stdout == ""


def test_minikube_pending_until_the_tunnel_checks():
    c = Cluster.minikube()
    c.apply(LB % ("web", "LoadBalancer"))
    c.advance(60)
    assert external_ip(c, "web") == "<pending>"
    ctrl = service_controller(c)
    tunnel = ctrl.start_tunnel(4242, "10.96.0.0/12 -> 192.168.49.2")
    assert (tunnel.pid, tunnel.route) == (4242, "10.96.0.0/12 -> 192.168.49.2")
    c.advance(TUNNEL_CHECK_SECONDS - 0.5)
    assert ingress(c, "web") is None
    c.advance(0.5)
    cluster_ip = c.get("service", "web")["spec"]["clusterIP"]
    assert ingress(c, "web") == [{"ip": cluster_ip, "ipMode": "VIP"}]
    assert external_ip(c, "web") == cluster_ip


def test_services_made_later_wait_for_the_next_check_and_others_are_left_alone():
    c = Cluster.minikube()
    ctrl = service_controller(c)
    ctrl.start_tunnel(1, "r")
    c.advance(7)                       # checks at 5, 10, ...: the next one is 3 s away
    c.apply(LB % ("late", "LoadBalancer"))
    c.apply(LB % ("plain", "NodePort"))
    c.advance(2.5)
    assert ingress(c, "late") is None
    c.advance(0.5)
    assert ingress(c, "late")[0]["ip"] == c.get("service", "late")["spec"]["clusterIP"]
    assert ingress(c, "plain") is None
    assert ctrl.patched_services() == ["late"]


def test_start_tunnel_is_idempotent_and_checks_write_only_once():
    c = Cluster.minikube()
    c.apply(LB % ("web", "LoadBalancer"))
    ctrl = service_controller(c)
    first = ctrl.start_tunnel(1, "r")
    assert ctrl.start_tunnel(2, "other") is first
    c.advance(5)
    version = c.api.store.get("Service", "default", "web")["metadata"]["resourceVersion"]
    c.advance(60)
    assert first.checks == 13
    assert c.api.store.get("Service", "default", "web")["metadata"]["resourceVersion"] == version


def test_the_tunnel_does_not_keep_settle_busy():
    c = Cluster.minikube()
    service_controller(c).start_tunnel(1, "r")
    report = c.settle()
    assert report.settled
    assert report.seconds == 0


def test_a_deleted_service_leaves_the_managed_list():
    c = Cluster.minikube()
    c.apply(LB % ("web", "LoadBalancer"))
    ctrl = service_controller(c)
    assert ctrl.patched_services() == ["web"]
    c.kubectl("delete svc web")
    assert ctrl.patched_services() == []
