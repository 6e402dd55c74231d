"""Server-side defaults: what `kubectl get -o yaml` shows that the manifest never said."""
import copy
import json

import pytest
import yaml

from kubelearn.api.defaults import (DEFAULT_IP_FAMILIES, DEFAULT_IP_FAMILY_POLICY, apply_defaults,
                                    default_pull_policy, service_ip_family_fields)
from kubelearn.api.kinds import kind_info
from kubelearn.api.models import decode


def admitted(doc, old=None):
    body = yaml.safe_load(doc) if isinstance(doc, str) else doc
    info = kind_info(body["kind"])
    return apply_defaults(info, decode(info, body), old)


# The healthy Deployment of kubectl-reference.md §4.1 (a real `-o yaml` dump): its spec is
# what the server stored for this manifest. The dump elides the image path ("gcr.io/…/");
# a real path stands in for it ("…" would make the reference unparseable).
REFERENCE_MANIFEST = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-dashboard
spec:
  selector:
    matchLabels:
      name: web-dashboard
  template:
    metadata:
      labels:
        name: web-dashboard
    spec:
      containers:
      - name: web-dashboard
        image: gcr.io/google-samples/my-kubernetes-dashboard
        ports:
        - containerPort: 8080
"""
REFERENCE_SPEC_YAML = """
progressDeadlineSeconds: 600
replicas: 1
revisionHistoryLimit: 10
selector:
  matchLabels:
    name: web-dashboard
strategy:
  rollingUpdate:
    maxSurge: 25%
    maxUnavailable: 25%
  type: RollingUpdate
template:
  metadata:
    creationTimestamp: null
    labels:
      name: web-dashboard
  spec:
    containers:
    - image: gcr.io/google-samples/my-kubernetes-dashboard
      imagePullPolicy: Always
      name: web-dashboard
      ports:
      - containerPort: 8080
        protocol: TCP
      resources: {}
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
    dnsPolicy: ClusterFirst
    restartPolicy: Always
    schedulerName: default-scheduler
    securityContext: {}
    terminationGracePeriodSeconds: 30
"""


def test_deployment_defaults_match_the_reference_yaml_dump():
    assert admitted(REFERENCE_MANIFEST)["spec"] == yaml.safe_load(REFERENCE_SPEC_YAML)


def test_kubectl_create_deployment_output_gets_the_server_defaults_in_go_order():
    # `kubectl create deployment web --image=nginx:1.25 --port=80 --replicas=3
    #  --dry-run=client -o json` (kubectl v1.32.4)
    client = json.loads(
        '{"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web", '
        '"creationTimestamp": null, "labels": {"app": "web"}}, "spec": {"replicas": 3, '
        '"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": '
        '{"creationTimestamp": null, "labels": {"app": "web"}}, "spec": {"containers": '
        '[{"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}], '
        '"resources": {}}]}}, "strategy": {}}, "status": {}}')
    spec = admitted(client)["spec"]
    assert list(spec) == ["replicas", "selector", "template", "strategy", "revisionHistoryLimit",
                          "progressDeadlineSeconds"]
    assert spec["strategy"] == {"type": "RollingUpdate",
                                "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    container = spec["template"]["spec"]["containers"][0]
    assert list(container) == ["name", "image", "ports", "resources", "terminationMessagePath",
                               "terminationMessagePolicy", "imagePullPolicy"]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert list(spec["template"]["spec"]) == ["containers", "restartPolicy",
                                              "terminationGracePeriodSeconds", "dnsPolicy",
                                              "securityContext", "schedulerName"]


POD = """
apiVersion: v1
kind: Pod
metadata: {name: nginx, labels: {run: nginx}}
spec:
  containers:
  - name: nginx
    image: nginx
"""


def test_pod_gets_spec_defaults_and_admission_plugin_values():
    spec = admitted(POD)["spec"]
    assert spec == {
        "containers": [{"name": "nginx", "image": "nginx", "resources": {},
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}],
        "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst", "serviceAccountName": "default",
        "serviceAccount": "default", "securityContext": {},
        "schedulerName": "default-scheduler",
        "tolerations": [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
             "effect": "NoExecute", "tolerationSeconds": 300}],
        "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority"}
    assert list(spec) == list(spec)  # dict order is Go order, checked here:
    assert list(spec)[:3] == ["containers", "restartPolicy", "terminationGracePeriodSeconds"]


def test_templates_get_no_pod_only_defaults():
    spec = admitted(REFERENCE_MANIFEST)["spec"]["template"]["spec"]
    for key in ("tolerations", "enableServiceLinks", "priority", "preemptionPolicy",
                "serviceAccountName"):
        assert key not in spec


def test_existing_tolerations_are_respected():
    pod = yaml.safe_load(POD)
    pod["spec"]["tolerations"] = [{"operator": "Exists", "effect": "NoExecute"}]
    assert admitted(pod)["spec"]["tolerations"] == [{"operator": "Exists",
                                                     "effect": "NoExecute"}]
    pod["spec"]["tolerations"] = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                                   "effect": "NoExecute", "tolerationSeconds": 10}]
    keys = [t["key"] for t in admitted(pod)["spec"]["tolerations"]]
    assert keys == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]


def test_system_priority_classes_resolve_and_updates_keep_priority():
    pod = yaml.safe_load(POD)
    pod["spec"]["priorityClassName"] = "system-node-critical"
    assert admitted(pod)["spec"]["priority"] == 2000001000
    old = admitted(POD)
    again = admitted(POD, old=old)
    assert again["spec"]["priority"] == 0
    assert "serviceAccountName" not in again["spec"]  # ServiceAccount admission is create-only


@pytest.mark.parametrize("image, policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
    ("docker.io/library/nginx", "Always"), ("localhost:5000/app", "Always"),
    ("localhost:5000/app:v1", "IfNotPresent"), ("registry.k8s.io/pause:3.10", "IfNotPresent"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"), ("Nginx", "IfNotPresent"), ("", "IfNotPresent"),
])
def test_image_pull_policy_follows_the_tag(image, policy):
    assert default_pull_policy(image) == policy


def test_probe_and_handler_defaults():
    pod = yaml.safe_load(POD)
    pod["spec"]["containers"][0].update({
        "livenessProbe": {"httpGet": {"port": 80}, "initialDelaySeconds": 5},
        "readinessProbe": {"grpc": {"port": 9000}, "periodSeconds": 3},
        "startupProbe": {"exec": {"command": ["true"]}, "failureThreshold": 30},
        "lifecycle": {"preStop": {"httpGet": {"path": "/stop", "port": 80}}}})
    container = admitted(pod)["spec"]["containers"][0]
    assert container["livenessProbe"] == {
        "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "initialDelaySeconds": 5,
        "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert container["readinessProbe"] == {
        "grpc": {"port": 9000, "service": ""}, "timeoutSeconds": 1, "periodSeconds": 3,
        "successThreshold": 1, "failureThreshold": 3}
    assert container["startupProbe"]["failureThreshold"] == 30
    assert container["lifecycle"]["preStop"]["httpGet"] == {"path": "/stop", "port": 80,
                                                            "scheme": "HTTP"}


def test_pod_requests_default_to_limits_but_templates_do_not():
    pod = yaml.safe_load(POD)
    pod["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "500m", "memory": "1Gi"},
                                                 "requests": {"cpu": "100m"}}
    resources = admitted(pod)["spec"]["containers"][0]["resources"]
    assert resources == {"limits": {"cpu": "500m", "memory": "1Gi"},
                         "requests": {"cpu": "100m", "memory": "1Gi"}}
    dep = yaml.safe_load(REFERENCE_MANIFEST)
    dep["spec"]["template"]["spec"]["containers"][0]["resources"] = {"limits": {"cpu": 1}}
    container = admitted(dep)["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"] == {"limits": {"cpu": 1}}


def test_volume_defaults():
    pod = yaml.safe_load(POD)
    pod["spec"]["volumes"] = [
        {"name": "scratch"},
        {"name": "host", "hostPath": {"path": "/data"}},
        {"name": "cfg", "configMap": {"name": "app"}},
        {"name": "sec", "secret": {"secretName": "s", "defaultMode": 256}},
        {"name": "info", "downwardAPI": {"items": [{"path": "n",
                                                    "fieldRef": {"fieldPath": "metadata.name"}}]}},
    ]
    pod["spec"]["containers"][0]["env"] = [{"name": "NODE", "valueFrom": {
        "fieldRef": {"fieldPath": "spec.nodeName"}}}]
    spec = admitted(pod)["spec"]
    assert spec["volumes"] == [
        {"name": "scratch", "emptyDir": {}},
        {"name": "host", "hostPath": {"path": "/data", "type": ""}},
        {"name": "cfg", "configMap": {"name": "app", "defaultMode": 420}},
        {"name": "sec", "secret": {"secretName": "s", "defaultMode": 256}},
        {"name": "info", "downwardAPI": {"items": [
            {"path": "n", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}],
            "defaultMode": 420}},
    ]
    assert spec["containers"][0]["env"][0]["valueFrom"]["fieldRef"] == {
        "apiVersion": "v1", "fieldPath": "spec.nodeName"}


def test_workload_defaults():
    rs = admitted("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r}\nspec:\n"
                  "  selector: {matchLabels: {a: b}}\n")
    assert rs["spec"]["replicas"] == 1
    ds = admitted("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n"
                  "  selector: {matchLabels: {a: b}}\n")
    assert ds["spec"]["updateStrategy"] == {"type": "RollingUpdate",
                                            "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert ds["spec"]["revisionHistoryLimit"] == 10
    recreate = admitted("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
                        "  strategy: {type: Recreate}\n")
    assert recreate["spec"]["strategy"] == {"type": "Recreate"}


def test_service_defaults_by_type():
    base = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
    cluster_ip = admitted(base + "  ports:\n  - port: 80\n")["spec"]
    assert cluster_ip == {"ports": [{"protocol": "TCP", "port": 80, "targetPort": 80}],
                          "selector": {"app": "web"}, "type": "ClusterIP",
                          "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"}
    node_port = admitted(base + "  type: NodePort\n  ports:\n  - port: 80\n"
                                "    targetPort: http\n")["spec"]
    assert node_port["externalTrafficPolicy"] == "Cluster"
    assert node_port["ports"][0]["targetPort"] == "http"
    lb = admitted(base + "  type: LoadBalancer\n  ports:\n  - port: 80\n")["spec"]
    assert lb["allocateLoadBalancerNodePorts"] is True
    assert list(lb) == ["ports", "selector", "type", "sessionAffinity", "externalTrafficPolicy",
                        "allocateLoadBalancerNodePorts", "internalTrafficPolicy"]
    fixed_ip = admitted(base + "  clusterIP: 10.96.0.50\n  ports:\n  - port: 80\n")["spec"]
    assert fixed_ip["clusterIPs"] == ["10.96.0.50"]
    sticky = admitted(base + "  sessionAffinity: ClientIP\n  ports:\n  - port: 80\n")["spec"]
    assert sticky["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_service_ip_family_values_for_the_allocator():
    assert service_ip_family_fields({"type": "ClusterIP"}) == {
        "ipFamilyPolicy": DEFAULT_IP_FAMILY_POLICY, "ipFamilies": list(DEFAULT_IP_FAMILIES)}
    assert DEFAULT_IP_FAMILY_POLICY == "SingleStack" and DEFAULT_IP_FAMILIES == ("IPv4",)
    assert service_ip_family_fields({"type": "ExternalName"}) == {}


def test_service_update_keeps_allocated_values_when_omitted():
    old = admitted("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                   "  type: NodePort\n  clusterIP: 10.96.0.7\n"
                   "  ports:\n  - {name: http, port: 80, nodePort: 30080}\n")
    new = admitted("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                   "  type: NodePort\n  ports:\n  - {name: http, port: 80}\n", old=old)
    assert new["spec"]["clusterIP"] == "10.96.0.7"
    assert new["spec"]["clusterIPs"] == ["10.96.0.7"]
    assert new["spec"]["ports"][0]["nodePort"] == 30080


def test_storage_and_config_defaults():
    pv = admitted("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n"
                  "  capacity: {storage: 4Gi}\n  accessModes: [ReadWriteOnce]\n"
                  "  hostPath: {path: /data}\n")["spec"]
    assert pv["persistentVolumeReclaimPolicy"] == "Retain" and pv["volumeMode"] == "Filesystem"
    assert pv["hostPath"] == {"path": "/data", "type": ""}
    pvc = admitted("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n"
                   "  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n")
    assert pvc["spec"]["volumeMode"] == "Filesystem"
    sc = admitted("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
                  "provisioner: k8s.io/minikube-hostpath\n")
    assert (sc["reclaimPolicy"], sc["volumeBindingMode"]) == ("Delete", "Immediate")
    secret = admitted("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                      "stringData: {password: secret123}\n")
    assert secret["data"] == {"password": "c2VjcmV0MTIz"} and secret["type"] == "Opaque"
    assert "stringData" not in secret
    ns = admitted("apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n")
    assert ns["spec"] == {"finalizers": ["kubernetes"]}
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}
    node = admitted("apiVersion: v1\nkind: Node\nmetadata: {name: n}\n"
                    "status: {capacity: {cpu: '2'}}\n")
    assert node["status"]["allocatable"] == {"cpu": "2"}
    ep = admitted("apiVersion: v1\nkind: Endpoints\nmetadata: {name: e}\nsubsets:\n"
                  "- addresses: [{ip: 10.244.0.5}]\n  ports: [{port: 80}]\n")
    assert ep["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]


@pytest.mark.parametrize("doc", [REFERENCE_MANIFEST, POD,
                                 "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n"
                                 "  type: LoadBalancer\n  ports: [{port: 80}]\n",
                                 "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                                 "stringData: {a: b}\n"])
def test_defaults_never_change_their_input(doc):
    body = yaml.safe_load(doc)
    info = kind_info(body["kind"])
    decoded = decode(info, body)
    snapshot = copy.deepcopy(decoded)
    out = apply_defaults(info, decoded)
    assert decoded == snapshot
    assert out is not decoded


def test_untouched_parts_are_shared_not_copied():
    body = decode(kind_info("Deployment"), yaml.safe_load(REFERENCE_MANIFEST))
    out = apply_defaults(kind_info("Deployment"), body)
    assert out["metadata"] is body["metadata"]
    assert out["spec"]["selector"] is body["spec"]["selector"]


def test_host_network_pods_publish_container_ports_on_the_host():
    pod = yaml.safe_load(POD)
    pod["spec"]["hostNetwork"] = True
    pod["spec"]["containers"][0]["ports"] = [{"containerPort": 10250}]
    assert admitted(pod)["spec"]["containers"][0]["ports"] == [
        {"hostPort": 10250, "containerPort": 10250, "protocol": "TCP"}]


def test_events_show_the_fields_go_always_writes():
    event = admitted({"apiVersion": "v1", "kind": "Event",
                      "metadata": {"name": "web.1", "namespace": "default"},
                      "involvedObject": {"kind": "Pod", "name": "web"}, "reason": "Scheduled",
                      "source": {"component": "default-scheduler"},
                      "firstTimestamp": "2025-06-02T09:00:00Z",
                      "lastTimestamp": "2025-06-02T09:00:00Z", "count": 1, "type": "Normal",
                      "eventTime": None, "reportingComponent": "default-scheduler"})
    assert event["eventTime"] is None and event["reportingInstance"] == ""
    assert list(event)[-3:] == ["eventTime", "reportingComponent", "reportingInstance"]


def test_cluster_scoped_objects_lose_a_namespace_they_were_given():
    pv = admitted("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv, namespace: dev}\n"
                  "spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], "
                  "hostPath: {path: /d}}\n")
    assert pv["metadata"] == {"name": "pv"}
