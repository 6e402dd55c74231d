"""What kubeadm init / minikube start leave behind, as plain objects (booting itself is
tested end to end in test_boot.py)."""
import base64
import random

import pytest

from kubelearn import bootstrap_objects as objs
from kubelearn.api.kinds import lookup_kind
from kubelearn.apiserver.admission import admit
from kubelearn.bootstrap import (DNS_SERVICE_IP, KUBERNETES_VERSION, SERVICE_CIDR_FIRST,
                                 ca_bundle, profile)


@pytest.fixture
def kubeadm():
    return profile("kubeadm")


@pytest.fixture
def minikube():
    return profile("minikube")


# -- profiles -----------------------------------------------------------------------

def test_kubernetes_version_is_1_32():
    assert KUBERNETES_VERSION == "v1.32.0"


def test_kubeadm_profile(kubeadm):
    assert (kubeadm.cluster_name, kubeadm.context, kubeadm.user) == (
        "kubernetes", "kubernetes-admin@kubernetes", "kubernetes-admin")
    assert [(n.name, n.ip, n.pod_cidr, n.control_plane) for n in kubeadm.nodes] == [
        ("control-plane", "192.168.49.2", "10.244.0.0/24", True),
        ("worker-1", "192.168.49.3", "10.244.1.0/24", False),
        ("worker-2", "192.168.49.4", "10.244.2.0/24", False)]
    assert kubeadm.server_url == "https://192.168.49.2:6443"
    assert kubeadm.control_plane_schedulable is False
    assert kubeadm.coredns_replicas == 2 and kubeadm.addons == ()


def test_kubeadm_worker_count_and_name():
    p = profile("kubeadm", workers=4, name="lab")
    assert [n.name for n in p.nodes] == ["control-plane"] + [f"worker-{i}" for i in range(1, 5)]
    assert p.nodes[-1].ip == "192.168.49.6" and p.nodes[-1].pod_cidr == "10.244.4.0/24"
    assert (p.cluster_name, p.context) == ("lab", "kubernetes-admin@lab")


def test_minikube_profile(minikube):
    assert (minikube.cluster_name, minikube.context, minikube.user) == (
        "minikube", "minikube", "minikube")
    [node] = minikube.nodes
    assert (node.name, node.ip, node.control_plane) == ("minikube", "192.168.49.2", True)
    assert minikube.server_url == "https://192.168.49.2:8443"
    assert minikube.control_plane_schedulable is True
    assert minikube.coredns_replicas == 1
    assert minikube.addons == ("storage-provisioner", "default-storageclass")


def test_minikube_profile_name():
    p = profile("minikube", name="demo")
    assert (p.cluster_name, p.context, p.nodes[0].name) == ("demo", "demo", "demo")


def test_unknown_flavour():
    with pytest.raises(ValueError, match="unknown cluster flavour 'kind'"):
        profile("kind")


def test_ca_bundle_is_pem_and_comes_from_the_seed():
    pem = ca_bundle(random.Random(0))
    lines = pem.splitlines()
    assert lines[0] == "-----BEGIN CERTIFICATE-----"
    assert lines[-1] == "-----END CERTIFICATE-----"
    assert all(len(line) <= 64 for line in lines[1:-1])
    assert len(base64.b64decode("".join(lines[1:-1]))) == 789
    assert pem == ca_bundle(random.Random(0)) != ca_bundle(random.Random(1))


# -- the objects --------------------------------------------------------------------

def by_kind(objects, kind):
    return [o for o in objects if o["kind"] == kind]


def test_kubeadm_system_objects(kubeadm):
    objects = objs.system_objects(kubeadm)
    assert [o["metadata"]["name"] for o in by_kind(objects, "Namespace")] == [
        "default", "kube-node-lease", "kube-public", "kube-system"]
    assert [o["metadata"]["name"] for o in by_kind(objects, "Node")] == [
        "control-plane", "worker-1", "worker-2"]
    assert [o["metadata"]["name"] for o in by_kind(objects, "Service")] == ["kubernetes",
                                                                             "kube-dns"]
    assert [o["metadata"]["name"] for o in by_kind(objects, "Pod")] == [
        "etcd-control-plane", "kube-apiserver-control-plane",
        "kube-controller-manager-control-plane", "kube-scheduler-control-plane"]
    assert by_kind(objects, "StorageClass") == []


def test_namespaces_come_first_so_everything_has_a_namespace(kubeadm):
    kinds = [o["kind"] for o in objs.system_objects(kubeadm)]
    assert kinds[:4] == ["Namespace"] * 4 and "Namespace" not in kinds[4:]


def test_minikube_system_objects_add_storage(minikube):
    objects = objs.system_objects(minikube)
    [sc] = by_kind(objects, "StorageClass")
    assert sc["metadata"]["name"] == "standard"
    assert sc["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true"
    assert sc["provisioner"] == "k8s.io/minikube-hostpath"
    assert "storage-provisioner" in [o["metadata"]["name"] for o in by_kind(objects, "Pod")]


@pytest.mark.parametrize("flavour", ["kubeadm", "minikube"])
def test_every_system_object_passes_admission(flavour):
    for obj in objs.system_objects(profile(flavour)):
        info = lookup_kind(obj["apiVersion"], obj["kind"])
        assert info is not None, obj["kind"]
        admit(info, obj)


def test_control_plane_node(kubeadm):
    node = objs.node(kubeadm, kubeadm.nodes[0])
    labels = node["metadata"]["labels"]
    assert labels["node-role.kubernetes.io/control-plane"] == ""
    assert labels["node.kubernetes.io/exclude-from-external-load-balancers"] == ""
    assert labels["kubernetes.io/hostname"] == "control-plane"
    assert labels["kubernetes.io/os"] == "linux" and labels["kubernetes.io/arch"] == "amd64"
    assert node["spec"]["taints"] == [{"key": "node-role.kubernetes.io/control-plane",
                                       "effect": "NoSchedule"}]
    assert node["spec"]["podCIDR"] == "10.244.0.0/24"
    assert node["status"]["addresses"] == [{"address": "192.168.49.2", "type": "InternalIP"},
                                           {"address": "control-plane", "type": "Hostname"}]


def test_worker_node(kubeadm):
    node = objs.node(kubeadm, kubeadm.nodes[2])
    labels = node["metadata"]["labels"]
    assert "node-role.kubernetes.io/control-plane" not in labels
    assert labels["kubernetes.io/hostname"] == "worker-2"
    assert "taints" not in node["spec"]
    assert node["spec"]["podCIDRs"] == ["10.244.2.0/24"]
    assert node["status"]["addresses"][0] == {"address": "192.168.49.4", "type": "InternalIP"}
    info = node["status"]["nodeInfo"]
    assert (info["kubeletVersion"], info["containerRuntimeVersion"]) == (
        "v1.32.0", "containerd://1.7.24")
    assert node["status"]["capacity"] == node["status"]["allocatable"]
    assert node["status"]["capacity"]["pods"] == "110"


def test_minikube_node_is_schedulable_and_labelled(minikube):
    node = objs.node(minikube, minikube.nodes[0])
    labels = node["metadata"]["labels"]
    assert "taints" not in node["spec"]
    assert labels["minikube.k8s.io/name"] == "minikube"
    assert labels["minikube.k8s.io/primary"] == "true"
    assert labels["node-role.kubernetes.io/control-plane"] == ""
    assert node["metadata"]["annotations"]["kubeadm.alpha.kubernetes.io/cri-socket"] == \
        "unix:///var/run/cri-dockerd.sock"
    assert node["status"]["nodeInfo"]["containerRuntimeVersion"] == "docker://27.4.1"


def test_node_conditions():
    ready = objs.node_conditions()
    assert [c["type"] for c in ready] == ["MemoryPressure", "DiskPressure", "PIDPressure",
                                          "Ready"]
    assert [c["status"] for c in ready] == ["False", "False", "False", "True"]
    assert ready[-1]["reason"] == "KubeletReady"
    not_ready = objs.node_conditions(False, "KubeletNotReady", "container runtime is down")
    assert not_ready[-1] == {"type": "Ready", "status": "False", "reason": "KubeletNotReady",
                             "message": "container runtime is down"}


def test_kubernetes_service(kubeadm):
    svc = objs.kubernetes_service(kubeadm.api_port)
    assert svc["metadata"]["namespace"] == "default"
    assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    assert svc["spec"]["clusterIP"] == SERVICE_CIDR_FIRST == "10.96.0.1"
    assert "selector" not in svc["spec"]                 # endpoints are written by hand
    assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP",
                                     "targetPort": 6443}]


def test_kubernetes_endpoints_point_at_the_api_server(kubeadm, minikube):
    ep = objs.kubernetes_endpoints(kubeadm)
    assert ep["metadata"]["name"] == "kubernetes"
    assert ep["subsets"] == [{"addresses": [{"ip": "192.168.49.2"}],
                              "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    assert objs.kubernetes_endpoints(minikube)["subsets"][0]["ports"][0]["port"] == 8443


def test_kube_dns_service():
    svc = objs.kube_dns_service()
    assert svc["spec"]["clusterIP"] == DNS_SERVICE_IP == "10.96.0.10"
    assert svc["spec"]["selector"] == {"k8s-app": "kube-dns"}
    assert [(p["name"], p["port"], p["protocol"]) for p in svc["spec"]["ports"]] == [
        ("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]


@pytest.mark.parametrize("component, cpu", [
    ("etcd", "100m"), ("kube-apiserver", "250m"), ("kube-controller-manager", "200m"),
    ("kube-scheduler", "100m"),
])
def test_static_pod_per_control_plane_component(kubeadm, component, cpu):
    image = dict(objs.CONTROL_PLANE_COMPONENTS)[component]
    p = objs.static_pod(kubeadm, component, image)
    assert p["metadata"]["name"] == f"{component}-control-plane"
    assert p["metadata"]["namespace"] == "kube-system"
    assert p["metadata"]["labels"] == {"component": component, "tier": "control-plane"}
    assert p["metadata"]["annotations"]["kubernetes.io/config.source"] == "file"
    assert p["spec"]["nodeName"] == "control-plane"
    assert p["spec"]["hostNetwork"] is True
    assert p["spec"]["priorityClassName"] == "system-node-critical"
    [container] = p["spec"]["containers"]
    assert (container["name"], container["image"]) == (component, image)
    assert container["resources"] == {"requests": {"cpu": cpu}}


def test_control_plane_images():
    assert dict(objs.CONTROL_PLANE_COMPONENTS) == {
        "etcd": "registry.k8s.io/etcd:3.5.16-0",
        "kube-apiserver": "registry.k8s.io/kube-apiserver:v1.32.0",
        "kube-controller-manager": "registry.k8s.io/kube-controller-manager:v1.32.0",
        "kube-scheduler": "registry.k8s.io/kube-scheduler:v1.32.0"}


def test_static_pods_follow_the_control_plane_node_name(minikube):
    p = objs.static_pod(minikube, "etcd", "x")
    assert (p["metadata"]["name"], p["spec"]["nodeName"]) == ("etcd-minikube", "minikube")


def test_coredns_deployment(kubeadm, minikube):
    d = objs.coredns_deployment(kubeadm)
    assert (d["metadata"]["name"], d["metadata"]["namespace"]) == ("coredns", "kube-system")
    assert d["spec"]["replicas"] == 2
    assert objs.coredns_deployment(minikube)["spec"]["replicas"] == 1
    template = d["spec"]["template"]
    assert template["metadata"]["labels"] == d["spec"]["selector"]["matchLabels"] == {
        "k8s-app": "kube-dns"}
    assert template["spec"]["containers"][0]["image"] == "registry.k8s.io/coredns/coredns:v1.11.3"
    assert {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"} in \
        template["spec"]["tolerations"]


def test_kube_proxy_daemonset_runs_everywhere():
    ds = objs.kube_proxy_daemonset()
    spec = ds["spec"]["template"]["spec"]
    assert spec["tolerations"] == [{"operator": "Exists"}]
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux"}
    assert spec["containers"][0]["image"] == "registry.k8s.io/kube-proxy:v1.32.0"
