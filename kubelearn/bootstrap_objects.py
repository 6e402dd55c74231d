"""The objects a freshly booted cluster holds, as plain manifests.

Kept apart from ``bootstrap`` so the list reads like what ``kubectl get all -A``
shows on a new kubeadm or minikube cluster.
"""
from __future__ import annotations

from kubelearn.clock import rfc3339
from kubelearn.bootstrap import DNS_SERVICE_IP, KUBERNETES_VERSION, SERVICE_CIDR_FIRST, Profile

REGISTRY = "registry.k8s.io"
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
CONTROL_PLANE_COMPONENTS = (
    # (component, image, what it stands for in kubelearn)
    ("etcd", f"{REGISTRY}/etcd:3.5.16-0"),
    ("kube-apiserver", f"{REGISTRY}/kube-apiserver:{KUBERNETES_VERSION}"),
    ("kube-controller-manager", f"{REGISTRY}/kube-controller-manager:{KUBERNETES_VERSION}"),
    ("kube-scheduler", f"{REGISTRY}/kube-scheduler:{KUBERNETES_VERSION}"),
)
COREDNS_IMAGE = f"{REGISTRY}/coredns/coredns:v1.11.3"
KUBE_PROXY_IMAGE = f"{REGISTRY}/kube-proxy:{KUBERNETES_VERSION}"
STORAGE_PROVISIONER_IMAGE = "gcr.io/k8s-minikube/storage-provisioner:v5"


def system_objects(profile: Profile, rng=None) -> list[dict]:
    objs: list[dict] = [namespace(n) for n in ("default", "kube-node-lease", "kube-public",
                                               "kube-system")]
    objs += [node(profile, n, _machine_ids(rng)) for n in profile.nodes]
    objs += [kubernetes_service(profile.api_port), kubernetes_endpoints(profile), kube_dns_service()]
    objs += [static_pod(profile, component, image) for component, image in CONTROL_PLANE_COMPONENTS]
    objs += [coredns_deployment(profile), kube_proxy_daemonset()]
    if "default-storageclass" in profile.addons:
        objs.append(standard_storage_class())
    if "storage-provisioner" in profile.addons:
        objs.append({"apiVersion": "v1", "kind": "ServiceAccount",
                     "metadata": {"name": "storage-provisioner", "namespace": "kube-system",
                                  "labels": {"addonmanager.kubernetes.io/mode": "Reconcile"}}})
        objs.append(storage_provisioner_pod(profile))
    return objs


def namespace(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}}}


def _machine_ids(rng) -> dict:
    """machineID, systemUUID and bootID as a node reports them (from the seed)."""
    if rng is None:
        return {}
    def uuid() -> str:
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return {"bootID": uuid(), "machineID": f"{rng.getrandbits(128):032x}", "systemUUID": uuid()}


def node(profile: Profile, n, ids: dict | None = None) -> dict:
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": n.name,
              "kubernetes.io/os": "linux"}
    if n.control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    if profile.flavour == "minikube":
        labels.update({"minikube.k8s.io/name": profile.cluster_name,
                       "minikube.k8s.io/primary": "true",
                       "minikube.k8s.io/version": "v1.35.0"})
    spec = {"podCIDR": n.pod_cidr, "podCIDRs": [n.pod_cidr]}
    if n.control_plane and not profile.control_plane_schedulable:
        spec["taints"] = [dict(CONTROL_PLANE_TAINT)]
    capacity = {"cpu": "2", "ephemeral-storage": "102107096Ki", "hugepages-1Gi": "0",
                "hugepages-2Mi": "0", "memory": "8128380Ki", "pods": "110"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": n.name, "labels": labels, "annotations": {
            "kubeadm.alpha.kubernetes.io/cri-socket": (
                "unix:///var/run/cri-dockerd.sock" if profile.flavour == "minikube"
                else "unix:///var/run/containerd/containerd.sock"),
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": spec,
        "status": {
            "addresses": [{"address": n.ip, "type": "InternalIP"},
                          {"address": n.name, "type": "Hostname"}],
            "allocatable": dict(capacity), "capacity": dict(capacity),
            "conditions": node_conditions(stamp=rfc3339(0)),
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                **(ids or {}),
                "architecture": "amd64", "containerRuntimeVersion": profile.container_runtime,
                "kernelVersion": profile.kernel_version, "kubeProxyVersion": KUBERNETES_VERSION,
                "kubeletVersion": KUBERNETES_VERSION, "operatingSystem": "linux",
                "osImage": profile.os_image},
        },
    }


def node_conditions(ready: bool = True, reason: str = "KubeletReady",
                    message: str = "kubelet is posting ready status",
                    stamp: str | None = None) -> list[dict]:
    """The four pressure conditions and Ready, as a kubelet reports them
    (with heartbeat and transition times when ``stamp`` is given)."""
    conditions = [
        {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
         "message": "kubelet has sufficient memory available"},
        {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure",
         "message": "kubelet has no disk pressure"},
        {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID",
         "message": "kubelet has sufficient PID available"},
        {"type": "Ready", "status": "True" if ready else "False", "reason": reason,
         "message": message},
    ]
    if stamp is None:
        return conditions
    return [{**c, "lastHeartbeatTime": stamp, "lastTransitionTime": stamp} for c in conditions]


def kubernetes_service(api_port: int) -> dict:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": SERVICE_CIDR_FIRST, "clusterIPs": [SERVICE_CIDR_FIRST],
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                "targetPort": api_port}],
                     "type": "ClusterIP"}}


def kubernetes_endpoints(profile: Profile) -> dict:
    """The API server publishes its own address behind the ``kubernetes`` service."""
    return {"apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": profile.control_plane_node.ip}],
                         "ports": [{"name": "https", "port": profile.api_port,
                                    "protocol": "TCP"}]}]}


def kube_dns_service() -> dict:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kube-dns", "namespace": "kube-system",
                         "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                    "kubernetes.io/name": "CoreDNS"},
                         "annotations": {"prometheus.io/port": "9153",
                                         "prometheus.io/scrape": "true"}},
            "spec": {"clusterIP": DNS_SERVICE_IP, "clusterIPs": [DNS_SERVICE_IP],
                     "selector": {"k8s-app": "kube-dns"},
                     "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                               {"name": "dns-tcp", "port": 53, "protocol": "TCP",
                                "targetPort": 53},
                               {"name": "metrics", "port": 9153, "protocol": "TCP",
                                "targetPort": 9153}]}}


def static_pod(profile: Profile, component: str, image: str) -> dict:
    """A control-plane static pod as its mirror pod appears in the API."""
    node_name = profile.control_plane_node.name
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"{component}-{node_name}", "namespace": "kube-system",
                         "labels": {"component": component, "tier": "control-plane"},
                         "annotations": {"kubernetes.io/config.source": "file"}},
            "spec": {"nodeName": node_name, "hostNetwork": True, "priority": 2000001000,
                     "priorityClassName": "system-node-critical",
                     "containers": [{"name": component, "image": image,
                                     "command": [component],
                                     "resources": {"requests": {"cpu": _cp_cpu(component)}}}],
                     "tolerations": [{"operator": "Exists", "effect": "NoExecute"}]}}


def _cp_cpu(component: str) -> str:
    return {"etcd": "100m", "kube-apiserver": "250m", "kube-controller-manager": "200m",
            "kube-scheduler": "100m"}[component]


def coredns_deployment(profile: Profile) -> dict:
    labels = {"k8s-app": "kube-dns"}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "coredns", "namespace": "kube-system", "labels": labels},
            "spec": {"replicas": profile.coredns_replicas, "selector": {"matchLabels": labels},
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "priorityClassName": "system-cluster-critical", "priority": 2000000000,
                         "containers": [{
                             "name": "coredns", "image": COREDNS_IMAGE,
                             "args": ["-conf", "/etc/coredns/Corefile"],
                             "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                       {"containerPort": 53, "name": "dns-tcp",
                                        "protocol": "TCP"},
                                       {"containerPort": 9153, "name": "metrics",
                                        "protocol": "TCP"}],
                             "resources": {"limits": {"memory": "170Mi"},
                                           "requests": {"cpu": "100m", "memory": "70Mi"}}}],
                         "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                         {"key": "node-role.kubernetes.io/control-plane",
                                          "effect": "NoSchedule"}]}}}}


def kube_proxy_daemonset() -> dict:
    labels = {"k8s-app": "kube-proxy"}
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": labels},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "priorityClassName": "system-node-critical", "priority": 2000001000,
                         "hostNetwork": True,
                         "nodeSelector": {"kubernetes.io/os": "linux"},
                         "containers": [{"name": "kube-proxy", "image": KUBE_PROXY_IMAGE,
                                         "command": ["/usr/local/bin/kube-proxy",
                                                     "--config=/var/lib/kube-proxy/config.conf",
                                                     "--hostname-override=$(NODE_NAME)"]}],
                         "tolerations": [{"operator": "Exists"}]}}}}


def standard_storage_class() -> dict:
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": "standard", "labels": {
                "addonmanager.kubernetes.io/mode": "EnsureExists"},
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "k8s.io/minikube-hostpath", "reclaimPolicy": "Delete",
            "volumeBindingMode": "Immediate"}


def storage_provisioner_pod(profile: Profile) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "storage-provisioner", "namespace": "kube-system",
                         "labels": {"addonmanager.kubernetes.io/mode": "Reconcile",
                                    "integration-test": "storage-provisioner"}},
            "spec": {"serviceAccountName": "storage-provisioner", "hostNetwork": True,
                     "nodeName": profile.control_plane_node.name,
                     "containers": [{"name": "storage-provisioner",
                                     "image": STORAGE_PROVISIONER_IMAGE,
                                     "command": ["/storage-provisioner"],
                                     "imagePullPolicy": "IfNotPresent"}]}}
