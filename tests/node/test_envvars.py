"""Tests for kubelearn.node.envvars: Service link variables as pkg/kubelet/envvars
(FromServices) and the kubelet's getServiceEnvVarMap build them."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.node.envvars import from_services, service_env


def svc(name, ip, *ports, namespace="default"):
    return {"metadata": {"name": name, "namespace": namespace},
            "spec": {"clusterIP": ip, "ports": list(ports)}}


def test_from_services_matches_envvars_go():
    web = svc("my-web", "10.96.5.6", {"port": 80, "protocol": "TCP"},
              {"name": "metrics", "port": 9090, "protocol": "UDP"})
    assert from_services([web]) == [
        ("MY_WEB_SERVICE_HOST", "10.96.5.6"),
        ("MY_WEB_SERVICE_PORT", "80"),
        ("MY_WEB_SERVICE_PORT_METRICS", "9090"),
        ("MY_WEB_PORT", "tcp://10.96.5.6:80"),
        ("MY_WEB_PORT_80_TCP", "tcp://10.96.5.6:80"),
        ("MY_WEB_PORT_80_TCP_PROTO", "tcp"),
        ("MY_WEB_PORT_80_TCP_PORT", "80"),
        ("MY_WEB_PORT_80_TCP_ADDR", "10.96.5.6"),
        ("MY_WEB_PORT_9090_UDP", "udp://10.96.5.6:9090"),
        ("MY_WEB_PORT_9090_UDP_PROTO", "udp"),
        ("MY_WEB_PORT_9090_UDP_PORT", "9090"),
        ("MY_WEB_PORT_9090_UDP_ADDR", "10.96.5.6"),
    ]


def test_headless_and_ip_less_services_give_no_variables():
    assert from_services([svc("h", "None", {"port": 80}), svc("e", "", {"port": 80})]) == []


def test_master_services_and_links_of_the_namespace():
    c = Cluster.minikube()
    c.apply("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
            "  selector: {app: web}\n  ports: [{port: 80}]\n")
    env = service_env(c.api, "default", True)
    assert list(env)[:2] == ["KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"]
    assert "WEB_SERVICE_HOST" in env
    assert "WEB_SERVICE_HOST" not in service_env(c.api, "default", False)
    assert "KUBERNETES_SERVICE_HOST" in service_env(c.api, "kube-system", True)


def test_service_variables_are_not_shared_between_clusters_with_one_seed():
    def env_with(port):
        c = Cluster.minikube()
        c.apply(f"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n"
                f"  selector: {{app: web}}\n  ports: [{{port: {port}}}]\n")
        return service_env(c.api, "default", True)
    assert env_with(80)["WEB_SERVICE_PORT"] == "80"
    assert env_with(8080)["WEB_SERVICE_PORT"] == "8080"       # same uid and resourceVersion
