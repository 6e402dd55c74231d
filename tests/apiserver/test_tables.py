"""Golden tests of the server-side table convertors (``kubelearn.apiserver.tables``).

Expected texts are the ``kubectl get`` examples of kubectl-reference.md §2,
rebuilt from hand-made objects and laid out with kubectl's get tabwriter
settings; cell rules not shown there follow upstream printers.go (v1.32).
"""
from __future__ import annotations

import pytest

from kubelearn.apiserver.tables import Table, columns_for, table
from kubelearn.clock import rfc3339
from kubelearn.kubectl.printers.tabwriter import GET_SETTINGS, format_table

MINUTE, HOUR, DAY = 60, 3600, 86400


def render(kind: str, objects: list[dict], now: float, wide: bool = False) -> str:
    """What kubectl prints for the table: upper-cased headers, visible columns, aligned."""
    tab = table(kind, objects, now)
    keep = tab.visible(wide)
    rows = [[tab.columns[i].header for i in keep]]
    rows += [[row.cells[i] for i in keep] for row in tab.rows]
    return format_table(rows, **GET_SETTINGS)


def meta(name: str, created: float = 0, namespace: str | None = "default", **extra) -> dict:
    m = {"name": name, "creationTimestamp": rfc3339(created), **extra}
    if namespace:
        m["namespace"] = namespace
    return m


# --- Pods -------------------------------------------------------------------------------------

def running_pod(name="web-7d9c6b8f5d-4xkqz", created=0.0, ip="10.244.0.5", node="minikube"):
    return {
        "apiVersion": "v1", "kind": "Pod", "metadata": meta(name, created),
        "spec": {"nodeName": node, "containers": [{"name": "nginx", "image": "nginx:1.25"}]},
        "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
                   "conditions": [{"type": "Ready", "status": "True"}],
                   "containerStatuses": [{"name": "nginx", "ready": True, "restartCount": 0,
                                          "state": {"running": {"startedAt": rfc3339(created)}}}]},
    }


def test_pod_table_matches_reference():
    assert render("Pod", [running_pod()], now=12) == (
        "NAME                   READY   STATUS    RESTARTS   AGE\n"
        "web-7d9c6b8f5d-4xkqz   1/1     Running   0          12s\n")


def test_pod_wide_table_matches_reference():
    assert render("Pod", [running_pod()], now=12, wide=True) == (
        "NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE       "
        "NOMINATED NODE   READINESS GATES\n"
        "web-7d9c6b8f5d-4xkqz   1/1     Running   0          12s   10.244.0.5   minikube   "
        "<none>           <none>\n")


def pod_with(container_statuses, phase="Running", init=None, **status):
    pod = running_pod()
    pod["status"] = {"phase": phase, "containerStatuses": container_statuses, **status}
    if init is not None:
        pod["spec"]["initContainers"], pod["status"]["initContainerStatuses"] = init
    return pod


def cells(pod, now=100.0):
    return table("Pod", [pod], now).rows[0].cells


def test_pod_restarts_show_how_long_ago_the_last_one_ended():
    pod = pod_with([{"name": "nginx", "ready": False, "restartCount": 3,
                     "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                     "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                  "finishedAt": rfc3339(75)}}}])
    assert cells(pod)[1:4] == ("0/1", "CrashLoopBackOff", "3 (25s ago)")


@pytest.mark.parametrize("state, status", [
    ({"waiting": {"reason": "ContainerCreating"}}, "ContainerCreating"),
    ({"waiting": {"reason": "ImagePullBackOff"}}, "ImagePullBackOff"),
    ({"terminated": {"exitCode": 0, "reason": "Completed"}}, "Completed"),
    ({"terminated": {"exitCode": 137}}, "ExitCode:137"),
    ({"terminated": {"exitCode": 0, "signal": 9}}, "Signal:9"),
])
def test_pod_status_comes_from_the_container_state(state, status):
    pod = pod_with([{"name": "nginx", "ready": False, "restartCount": 0, "state": state}])
    assert cells(pod)[2] == status


def test_pod_status_first_container_in_spec_order_wins():
    pod = pod_with([{"name": "a", "ready": False, "restartCount": 0,
                     "state": {"waiting": {"reason": "ErrImagePull"}}},
                    {"name": "b", "ready": False, "restartCount": 0,
                     "state": {"waiting": {"reason": "ContainerCreating"}}}])
    pod["spec"]["containers"] = [{"name": "a"}, {"name": "b"}]
    assert cells(pod)[1:3] == ("0/2", "ErrImagePull")


def test_pod_completed_with_a_running_container_is_running_or_not_ready():
    statuses = [{"name": "a", "ready": False, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                {"name": "b", "ready": True, "restartCount": 0, "state": {"running": {}}}]
    pod = pod_with(list(reversed(statuses)), conditions=[{"type": "Ready", "status": "False"}])
    pod["spec"]["containers"] = [{"name": "b"}, {"name": "a"}]
    assert cells(pod)[1:3] == ("1/2", "NotReady")
    pod["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    assert cells(pod)[1:3] == ("1/2", "Running")


def test_unscheduled_pod_is_pending_without_ip_or_node():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta("p"),
           "spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Pending"}}
    assert cells(pod) == ("p", "0/1", "Pending", "0", "100s", "<none>", "<none>", "<none>",
                          "<none>")


def test_deleting_pod_is_terminating_and_evicted_reason_wins():
    pod = running_pod()
    pod["metadata"]["deletionTimestamp"] = rfc3339(130)
    assert cells(pod)[2] == "Terminating"
    evicted = pod_with([], phase="Failed", reason="Evicted")
    assert cells(evicted)[2] == "Evicted"


def test_init_containers_status():
    init = ([{"name": "setup"}, {"name": "migrate"}],
            [{"name": "setup", "restartCount": 0, "state": {"terminated": {"exitCode": 0}}},
             {"name": "migrate", "restartCount": 2, "state": {"running": {}}}])
    pod = pod_with([{"name": "nginx", "ready": False, "restartCount": 0,
                     "state": {"waiting": {"reason": "PodInitializing"}}}], phase="Pending",
                   init=init)
    assert cells(pod)[1:4] == ("0/1", "Init:1/2", "2")
    init[1][1]["state"] = {"waiting": {"reason": "CrashLoopBackOff"}}
    assert cells(pod)[2] == "Init:CrashLoopBackOff"
    init[1][1]["state"] = {"terminated": {"exitCode": 3}}
    assert cells(pod)[2] == "Init:ExitCode:3"


def test_readiness_gates_count_true_conditions():
    pod = running_pod()
    pod["spec"]["readinessGates"] = [{"conditionType": "a"}, {"conditionType": "b"}]
    pod["status"]["conditions"].append({"type": "a", "status": "True"})
    assert cells(pod)[8] == "1/2"


# --- Deployments, ReplicaSets, DaemonSets -------------------------------------------------------

def template(labels, containers=(("nginx", "nginx:1.25"),), node_selector=None):
    spec = {"containers": [{"name": n, "image": i} for n, i in containers]}
    if node_selector is not None:
        spec["nodeSelector"] = node_selector
    return {"metadata": {"labels": labels}, "spec": spec}


def test_deployment_table_matches_reference():
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("web"),
         "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                  "template": template({"app": "web"})},
         "status": {"readyReplicas": 3, "updatedReplicas": 3, "availableReplicas": 3,
                    "replicas": 3}}
    assert render("Deployment", [d], now=130) == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "web    3/3     3            3           2m10s\n")
    assert render("Deployment", [d], now=130, wide=True).splitlines()[1] == \
        "web    3/3     3            3           2m10s   nginx        nginx:1.25   app=web"


def test_deployment_selector_uses_selector_string_and_counts_are_integers():
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("api"),
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}, "matchExpressions": [
             {"key": "tier", "operator": "In", "values": ["frontend", "backend"]}]},
                  "template": template({"app": "api", "tier": "backend"},
                                       (("a", "img:1"), ("b", "img:2")))},
         "status": {}}
    row = table("Deployment", [d], 5).rows[0]
    assert row.values == ("api", "0/2", 0, 0, "5s", "a,b", "img:1,img:2",
                          "app=api,tier in (backend,frontend)")


def test_replicaset_table_matches_reference():
    def rs(name, replicas, created):
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta(name, created),
                "spec": {"replicas": replicas, "selector": {"matchLabels": {
                    "app": "web", "pod-template-hash": name.split("-")[1]}},
                    "template": template({"app": "web"})},
                "status": {"replicas": replicas, "readyReplicas": replicas}}
    objects = [rs("web-7d9c6b8f5d", 3, 480), rs("web-5b8f7c9d4", 0, 0)]
    assert render("ReplicaSet", objects, now=600) == (
        "NAME             DESIRED   CURRENT   READY   AGE\n"
        "web-7d9c6b8f5d   3         3         3       2m\n"
        "web-5b8f7c9d4    0         0         0       10m\n")
    assert table("ReplicaSet", objects, 600).rows[0].cells[-1] == \
        "app=web,pod-template-hash=7d9c6b8f5d"


def test_daemonset_columns_and_row():
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("kube-proxy", 0,
                                                                          "kube-system"),
          "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
                   "template": template({"k8s-app": "kube-proxy"},
                                        (("kube-proxy", "registry.k8s.io/kube-proxy:v1.32.0"),),
                                        {"kubernetes.io/os": "linux"})},
          "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 3,
                     "updatedNumberScheduled": 3, "numberAvailable": 3}}
    assert render("DaemonSet", [ds], now=DAY * 10, wide=True) == (
        "NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            "
        "AGE   CONTAINERS   IMAGES                               SELECTOR\n"
        "kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   "
        "10d   kube-proxy   registry.k8s.io/kube-proxy:v1.32.0   k8s-app=kube-proxy\n")


# --- Services, Endpoints ------------------------------------------------------------------------

def service(name, type_, cluster_ip, ports, created=0.0, selector=None, **spec):
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(name, created),
            "spec": {"type": type_, "clusterIP": cluster_ip, "clusterIPs": [cluster_ip],
                     "ports": ports, **({"selector": selector} if selector else {}), **spec},
            "status": {"loadBalancer": {}}}


def test_service_table_matches_reference():
    kubernetes = service("kubernetes", "ClusterIP", "10.96.0.1",
                         [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}])
    web = service("web", "LoadBalancer", "10.98.155.178",
                  [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 30276}],
                  created=5 * DAY - 8, selector={"app": "web"})
    assert render("Service", [kubernetes, web], now=5 * DAY) == (
        "NAME         TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE\n"
        "kubernetes   ClusterIP      10.96.0.1       <none>        443/TCP        5d\n"
        "web          LoadBalancer   10.98.155.178   <pending>     80:30276/TCP   8s\n")
    assert [r.cells[-1] for r in table("Service", [kubernetes, web], 0).rows] == \
        ["<none>", "app=web"]


def test_service_external_ip_rules():
    lb = service("lb", "LoadBalancer", "10.0.0.9", [{"port": 80, "protocol": "TCP"}])
    lb["status"] = {"loadBalancer": {"ingress": [
        {"hostname": "a1b2c3d4e5f6a7b8c9d0-1234567890.us-east-1.elb.amazonaws.com"},
        {"ip": "203.0.113.9"}]}}
    external = service("ext", "ClusterIP", "10.0.0.8", [], externalIPs=["198.51.100.1"])
    named = service("name", "ExternalName", "", [], externalName="db.example.com")
    named["spec"]["clusterIPs"] = []
    headless = service("headless", "ClusterIP", "None", [])
    rows = table("Service", [lb, external, named, headless], 0).rows
    assert [r.cells[2:5] for r in rows] == [
        ("10.0.0.9", "203.0.113.9,a1b2c3d4e5f6a7b8c9d0-1234567890.us-east-1.elb.amazonaws.com",
         "80/TCP"),
        ("10.0.0.8", "198.51.100.1", "<none>"),
        ("<none>", "db.example.com", "<none>"),
        ("None", "<none>", "<none>"),
    ]


def endpoints(name, ips, port, port_name="", created=0.0):
    subsets = [{"addresses": [{"ip": ip} for ip in ips],
                "ports": [{"name": port_name, "port": port, "protocol": "TCP"}]}] if ips else []
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta(name, created),
            "subsets": subsets}


def test_endpoints_table_matches_reference():
    objects = [endpoints("kubernetes", ["192.168.49.2"], 8443, "https"),
               endpoints("web", ["10.244.0.5", "10.244.0.6", "10.244.0.7"], 80,
                         created=5 * DAY - 120)]
    assert render("Endpoints", objects, now=5 * DAY) == (
        "NAME         ENDPOINTS                                   AGE\n"
        "kubernetes   192.168.49.2:8443                           5d\n"
        "web          10.244.0.5:80,10.244.0.6:80,10.244.0.7:80   2m\n")


def test_endpoints_show_three_then_more_and_none_when_empty():
    four = endpoints("web", ["10.244.0.5", "10.244.0.6", "10.244.0.7", "10.244.0.8"], 80)
    four["subsets"][0]["notReadyAddresses"] = [{"ip": "10.244.0.9"}]
    empty = endpoints("idle", [], 80)
    assert [r.cells[1] for r in table("Endpoints", [four, empty], 0).rows] == [
        "10.244.0.5:80,10.244.0.6:80,10.244.0.7:80 + 1 more...", "<none>"]


# --- Nodes, Namespaces --------------------------------------------------------------------------

def node(name, ready="True", roles=(), unschedulable=False, created=0.0):
    labels = {"kubernetes.io/hostname": name}
    labels.update({f"node-role.kubernetes.io/{r}": "" for r in roles})
    n = {"apiVersion": "v1", "kind": "Node", "metadata": meta(name, created, None, labels=labels),
         "spec": {"unschedulable": True} if unschedulable else {},
         "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                                   {"type": "Ready", "status": ready}],
                    "addresses": [{"type": "InternalIP", "address": "192.168.49.2"},
                                  {"type": "Hostname", "address": name}],
                    "nodeInfo": {"kubeletVersion": "v1.31.0", "osImage": "Ubuntu 22.04.4 LTS",
                                 "kernelVersion": "5.15.0-1074-gcp",
                                 "containerRuntimeVersion": "docker://27.2.0"}}}
    return n


def test_node_table_matches_reference():
    assert render("Node", [node("minikube", roles=["control-plane"])], now=10 * DAY) == (
        "NAME       STATUS   ROLES           AGE   VERSION\n"
        "minikube   Ready    control-plane   10d   v1.31.0\n")
    assert render("Node", [node("minikube", roles=["control-plane"])], now=10 * DAY,
                  wide=True).splitlines()[1] == (
        "minikube   Ready    control-plane   10d   v1.31.0   192.168.49.2   <none>        "
        "Ubuntu 22.04.4 LTS   5.15.0-1074-gcp   docker://27.2.0")


def test_node_status_and_roles():
    nodes = [node("a", "False", unschedulable=True), node("b", "Unknown", ["worker", "infra"]),
             node("c")]
    del nodes[2]["status"]["conditions"]
    nodes[2]["status"]["nodeInfo"] = {}
    rows = table("Node", nodes, 0).rows
    assert [r.cells[1:3] for r in rows] == [("NotReady,SchedulingDisabled", "<none>"),
                                           ("NotReady", "infra,worker"), ("Unknown", "<none>")]
    assert rows[2].cells[4:] == ("", "192.168.49.2", "<none>", "<unknown>", "<unknown>",
                                 "<unknown>")


def test_namespace_table_matches_reference():
    objects = [{"apiVersion": "v1", "kind": "Namespace", "metadata": meta(n, 0, None),
                "status": {"phase": "Active"}}
               for n in ("default", "kube-node-lease", "kube-public", "kube-system")]
    objects[1]["status"]["phase"] = "Terminating"
    assert render("Namespace", objects, now=10 * DAY) == (
        "NAME              STATUS        AGE\n"
        "default           Active        10d\n"
        "kube-node-lease   Terminating   10d\n"
        "kube-public       Active        10d\n"
        "kube-system       Active        10d\n")


# --- ConfigMaps, Secrets, ServiceAccounts ------------------------------------------------------

def test_configmap_secret_and_serviceaccount_tables():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("app-config", 10 * DAY - 5),
          "data": {"a": "1"}, "binaryData": {"b": "AAE="}}
    root = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("kube-root-ca.crt"),
            "data": {"ca.crt": "x"}}
    assert render("ConfigMap", [cm, root], now=10 * DAY) == (
        "NAME               DATA   AGE\n"
        "app-config         2      5s\n"
        "kube-root-ca.crt   1      10d\n")
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": meta("db-pass", 0),
              "type": "Opaque", "data": {"password": "czNjcjN0"}}
    assert render("Secret", [secret], now=4) == (
        "NAME      TYPE     DATA   AGE\n"
        "db-pass   Opaque   1      4s\n")
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("default", 0)}
    assert render("ServiceAccount", [sa], now=3 * HOUR + 5 * MINUTE) == (
        "NAME      SECRETS   AGE\n"
        "default   0         3h5m\n")


# --- Storage ------------------------------------------------------------------------------------

def test_persistent_volume_table_matches_reference():
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": meta("pv-data", 0, None),
          "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                   "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual",
                   "claimRef": {"namespace": "default", "name": "data-pvc"},
                   "volumeMode": "Filesystem", "hostPath": {"path": "/mnt/data"}},
          "status": {"phase": "Bound"}}
    assert render("PersistentVolume", [pv], now=30) == (
        "NAME      CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM              "
        "STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n"
        "pv-data   1Gi        RWO            Retain           Bound    default/data-pvc   "
        "manual         <unset>                          30s\n")
    assert table("PersistentVolume", [pv], 30).rows[0].cells[-1] == "Filesystem"


def test_access_modes_are_short_and_in_fixed_order():
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": meta("x", 0, None),
          "spec": {"accessModes": ["ReadWriteMany", "ReadWriteOncePod", "ReadOnlyMany",
                                   "ReadWriteOnce", "ReadWriteMany"]},
          "status": {"phase": "Available"}}
    assert table("PersistentVolume", [pv], 0).rows[0].cells[1:7] == (
        "0", "RWO,ROX,RWX,RWOP", "", "Available", "", "")


def test_persistent_volume_claim_table_matches_reference():
    bound = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("data-pvc"),
             "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "manual",
                      "resources": {"requests": {"storage": "500Mi"}}, "volumeName": "pv-data",
                      "volumeMode": "Filesystem"},
             "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"],
                        "capacity": {"storage": "1Gi"}}}
    pending = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("pending1"),
               "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast",
                        "resources": {"requests": {"storage": "1Gi"}}},
               "status": {"phase": "Pending"}}
    assert render("PersistentVolumeClaim", [bound, pending], now=10) == (
        "NAME       STATUS    VOLUME    CAPACITY   ACCESS MODES   STORAGECLASS   "
        "VOLUMEATTRIBUTESCLASS   AGE\n"
        "data-pvc   Bound     pv-data   1Gi        RWO            manual         "
        "<unset>                 10s\n"
        "pending1   Pending                                       fast           "
        "<unset>                 10s\n")
    assert [r.cells[-1] for r in table("PersistentVolumeClaim", [bound, pending], 0).rows] == \
        ["Filesystem", "<unset>"]


def test_storage_class_table_matches_reference():
    sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
          "metadata": meta("standard", 0, None, annotations={
              "storageclass.kubernetes.io/is-default-class": "true"}),
          "provisioner": "k8s.io/minikube-hostpath", "reclaimPolicy": "Delete",
          "volumeBindingMode": "Immediate"}
    gp2 = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta(
        "gp2", 0, None), "provisioner": "kubernetes.io/aws-ebs",
        "volumeBindingMode": "WaitForFirstConsumer", "allowVolumeExpansion": True}
    assert render("StorageClass", [sc, gp2], now=10 * DAY) == (
        "NAME                 PROVISIONER                RECLAIMPOLICY   VOLUMEBINDINGMODE      "
        "ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   k8s.io/minikube-hostpath   Delete          Immediate              "
        "false                  10d\n"
        "gp2                  kubernetes.io/aws-ebs      Delete          WaitForFirstConsumer   "
        "true                   10d\n")
    assert table("StorageClass", [sc], 0).rows[0].values[4] is False


# --- Events -------------------------------------------------------------------------------------

def event(name, reason, kind, obj, message, component, host=None, count=1, first=0.0,
          last=None, field_path=None):
    involved = {"kind": kind, "name": obj, "namespace": "default"}
    if field_path:
        involved["fieldPath"] = field_path
    return {"apiVersion": "v1", "kind": "Event", "metadata": meta(name, first),
            "involvedObject": involved, "reason": reason, "message": message,
            "source": {"component": component, **({"host": host} if host else {})},
            "firstTimestamp": rfc3339(first), "lastTimestamp": rfc3339(first if last is None
                                                                          else last),
            "count": count, "type": "Normal", "eventTime": None,
            "reportingComponent": component, "reportingInstance": host or ""}


EVENTS = [
    event("web-7d9c6b8f5d-4xkqz.1", "Scheduled", "Pod", "web-7d9c6b8f5d-4xkqz",
          "Successfully assigned default/web-7d9c6b8f5d-4xkqz to minikube", "default-scheduler"),
    event("web-7d9c6b8f5d.2", "SuccessfulCreate", "ReplicaSet", "web-7d9c6b8f5d",
          "Created pod: web-7d9c6b8f5d-4xkqz", "replicaset-controller"),
    event("web.3", "ScalingReplicaSet", "Deployment", "web",
          "Scaled up replica set web-7d9c6b8f5d to 3", "deployment-controller"),
]


def test_event_table_matches_reference():
    assert render("Event", EVENTS, now=12) == (
        "LAST SEEN   TYPE     REASON              OBJECT                      MESSAGE\n"
        "12s         Normal   Scheduled           pod/web-7d9c6b8f5d-4xkqz    Successfully "
        "assigned default/web-7d9c6b8f5d-4xkqz to minikube\n"
        "12s         Normal   SuccessfulCreate    replicaset/web-7d9c6b8f5d   Created pod: "
        "web-7d9c6b8f5d-4xkqz\n"
        "12s         Normal   ScalingReplicaSet   deployment/web              Scaled up replica "
        "set web-7d9c6b8f5d to 3\n")


def test_event_wide_columns_follow_upstream_definition_order():
    pulled = event("web-x.4", "Pulled", "Pod", "web-x", "Container image already present",
                   "kubelet", host="minikube", count=5, first=0, last=300,
                   field_path="spec.containers{nginx}")
    assert [c.header for c in columns_for("Event")] == [
        "LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN",
        "COUNT", "NAME"]
    row = table("Event", [pulled], now=360).rows[0]
    assert row.values == ("60s", "Normal", "Pulled", "pod/web-x", "spec.containers{nginx}",
                          "kubelet, minikube", "Container image already present", "6m", 5,
                          "web-x.4")


def test_event_defaults_count_one_and_falls_back_to_reporting_fields():
    e = event("n.5", "Started", "Pod", "p", "  padded message \n", "")
    e.update(count=0, lastTimestamp=None, reportingComponent="kubelet",
             reportingInstance="worker-1")
    e["source"] = {}
    row = table("Event", [e], now=3).rows[0]
    assert (row.values[0], row.values[5], row.values[6], row.values[8]) == (
        "3s", "kubelet, worker-1", "padded message", 1)


# --- the Table itself ---------------------------------------------------------------------------

def test_table_shape_keeps_objects_and_wide_columns():
    pod = running_pod()
    tab = table("Pod", [pod], 12)
    assert isinstance(tab, Table)
    assert tab.rows[0].object is pod
    assert tab.visible() == [0, 1, 2, 3, 4]
    assert tab.visible(wide=True) == list(range(9))
    wire = tab.to_dict("42")
    assert wire["kind"] == "Table" and wire["metadata"] == {"resourceVersion": "42"}
    assert [c["priority"] for c in wire["columnDefinitions"]] == [0] * 5 + [1] * 4
    assert wire["rows"][0]["cells"][:2] == ["web-7d9c6b8f5d-4xkqz", "1/1"]
    assert wire["rows"][0]["object"] == {"kind": "PartialObjectMetadata",
                                         "apiVersion": "meta.k8s.io/v1",
                                         "metadata": pod["metadata"]}
    assert tab.to_dict(include_object="Object")["rows"][0]["object"] is pod
    assert "object" not in tab.to_dict(include_object="None")["rows"][0]


def test_every_registry_kind_has_a_convertor():
    from kubelearn.api.kinds import KINDS
    for info in KINDS:
        assert columns_for(info.kind)[0].name in ("Name", "Last Seen")


def test_unknown_kind_is_not_silently_printed():
    with pytest.raises(NotImplementedError):
        table("Lease", [], 0)


def test_missing_creation_timestamp_prints_unknown_age():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}, "status": {}}
    assert table("Namespace", [ns], 0).rows[0].cells == ("x", "", "<unknown>")
