"""Validation after defaulting: upstream v1.32 checks, messages and order."""
import copy

import pytest
import yaml

from kubelearn.api import validation
from kubelearn.api.defaults import apply_defaults
from kubelearn.api.kinds import kind_info
from kubelearn.api.models import decode
from kubelearn.api.validate import node_port_errors, validate

DNS1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    r"for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
UPDATABLE = ("pod updates may not change fields other than `spec.containers[*].image`,"
             "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
             "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
             "(allow it to be set to 1 if it was previously negative)\n")


def prepared(doc, old=None):
    body = yaml.safe_load(doc) if isinstance(doc, str) else copy.deepcopy(doc)
    info = kind_info(body["kind"])
    meta = body.setdefault("metadata", {})
    if info.namespaced:
        meta.setdefault("namespace", "default")
    return info, apply_defaults(info, decode(info, body), old)


def errors(doc, old=None):
    info, obj = prepared(doc, old)
    return [str(e) for e in validate(info, obj, old)]


def message(doc, old=None):
    info, obj = prepared(doc, old)
    errs = validate(info, obj, old)
    return validation.invalid_message(info.kind, obj["metadata"].get("name", ""), errs)


def stored(doc):
    """An object as the server stores it (what ``old`` is on updates)."""
    info, obj = prepared(doc)
    assert validate(info, obj) == []
    obj["metadata"].update(uid="6b5c9a53-0000-4000-8000-000000000001", resourceVersion="7",
                           creationTimestamp="2025-06-02T09:00:00Z")
    return obj


DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
"""


def dep(**changes):
    body = yaml.safe_load(DEPLOYMENT)
    for path, value in changes.items():
        *head, last = path.split("__")
        target = body
        for step in head:
            target = target[int(step)] if step.isdigit() else target[step]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return body


# --- metadata --------------------------------------------------------------------------------

def test_valid_deployment_has_no_errors():
    assert errors(DEPLOYMENT) == []


def test_object_names_use_the_kind_s_name_rule():
    assert message(dep(metadata__name="Web_App")) == (
        f'The Deployment "Web_App" is invalid: metadata.name: Invalid value: "Web_App": '
        f'{DNS1123_SUBDOMAIN}')
    svc = "apiVersion: v1\nkind: Service\nmetadata: {name: my_svc}\nspec: {ports: [{port: 80}]}\n"
    assert errors(svc) == [
        'metadata.name: Invalid value: "my_svc": a DNS-1035 label must consist of lower case '
        "alphanumeric characters or '-', start with an alphabetic character, and end with an "
        "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
        "'[a-z]([-a-z0-9]*[a-z0-9])?')"]
    ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: Dev}\n"
    assert errors(ns)[0].startswith('metadata.name: Invalid value: "Dev": a lowercase RFC 1123 '
                                    'label must consist of')


def test_missing_name_is_required():
    body = dep()
    del body["metadata"]["name"]
    assert errors(body) == ["metadata.name: Required value: name or generateName is required"]


# --- Deployments, ReplicaSets, DaemonSets ----------------------------------------------------

def test_selector_must_match_template_labels():
    assert message(dep(spec__template__metadata__labels={"app": "web2"})) == (
        'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"web2"}: `selector` does not match template `labels`')


def test_missing_selector_gives_the_two_line_message():
    assert message(dep(spec__selector=..., spec__template__metadata__labels={"app": "nginx"},
                       metadata__name="nginx")) == (
        'The Deployment "nginx" is invalid: \n'
        '* spec.selector: Required value\n'
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: '
        '`selector` does not match template `labels`')


def test_empty_selector_is_invalid_for_a_deployment():
    assert errors(dep(spec__selector={})) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
        "deployment"]


def test_bad_selector_operator():
    body = dep(spec__selector={"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "app", "operator": "Exist"}]})
    assert errors(body) == [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Exist": not a valid '
        'selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":'
        '"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{'
        'Key:"app", Operator:"Exist", Values:[]string(nil)}}}: invalid label selector']


def test_replicas_and_restart_policy():
    assert errors(dep(spec__replicas=-1, spec__template__spec__restartPolicy="Never")) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: '
        '"Always"']


def test_template_containers_and_images_are_required():
    assert errors(dep(spec__template__spec__containers=[])) == [
        "spec.template.spec.containers: Required value"]
    assert errors(dep(spec__template__spec__containers__0__image=...)) == [
        "spec.template.spec.containers[0].image: Required value"]


def test_rolling_update_limits():
    assert errors(dep(spec__strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}})) == [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when "
        "`maxSurge` is 0"]
    assert errors(dep(spec__strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})) == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
        "'Recreate'"]
    assert errors(dep(spec__strategy={"rollingUpdate": {"maxSurge": "150%"}})) == []
    assert errors(dep(spec__strategy={"rollingUpdate": {"maxUnavailable": "150%"}})) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater '
        'than 100%']


def test_selector_is_immutable_on_update():
    old = stored(DEPLOYMENT)
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "x"}}
    new["spec"]["template"]["metadata"]["labels"] = {"app": "x"}
    assert message(new, old) == (
        'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{'
        'MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement'
        '(nil)}: field is immutable')
    scaled = copy.deepcopy(old)
    scaled["spec"]["replicas"] = 5
    assert errors(scaled, old) == []


def test_replicaset_and_daemonset():
    rs = dep(kind="ReplicaSet", spec__template__metadata__labels={"app": "x"})
    assert errors(rs) == ['spec.template.metadata.labels: Invalid value: map[string]string{"app":'
                          '"x"}: `selector` does not match template `labels`']
    ds = dep(kind="DaemonSet", spec__replicas=...)
    assert errors(ds) == []
    ds["spec"]["updateStrategy"] = {"type": "RollingUpdate",
                                    "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}
    assert errors(ds) == ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: "
                          "cannot be 0 when maxSurge is 0"]


# --- pods ------------------------------------------------------------------------------------

POD = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx
"""


def pod_with(**container):
    body = yaml.safe_load(POD)
    body["spec"]["containers"][0].update(container)
    return body


def test_volume_mount_must_name_a_volume():
    assert errors(pod_with(volumeMounts=[{"name": "data", "mountPath": "/data"}])) == [
        'spec.containers[0].volumeMounts[0].name: Not found: "data"']


def test_one_source_per_volume():
    # notes §3.1.1: an emptyDir and a hostPath under one volume name
    body = yaml.safe_load(POD)
    body["spec"]["volumes"] = [{"name": "my-first-volume", "emptyDir": {},
                                "hostPath": {"path": "/data", "type": "DirectoryOrCreate"}}]
    assert errors(body) == ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 "
                            "volume type"]


def test_volume_names_and_sources():
    body = yaml.safe_load(POD)
    body["spec"]["volumes"] = [{"name": "data", "emptyDir": {}}, {"name": "data", "emptyDir": {}},
                               {"name": "Bad", "persistentVolumeClaim": {}},
                               {"name": "host", "hostPath": {"path": "/x", "type": "Dir"}}]
    assert errors(body) == [
        'spec.volumes[1].name: Duplicate value: "data"',
        "spec.volumes[2].persistentVolumeClaim.claimName: Required value",
        'spec.volumes[2].name: Invalid value: "Bad": a lowercase RFC 1123 label must consist of '
        "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
        "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        'spec.volumes[3].hostPath.type: Unsupported value: "Dir": supported values: "", '
        '"BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", '
        '"Socket"']


def test_container_names_ports_and_policies():
    body = yaml.safe_load(POD)
    body["spec"]["containers"] = [
        {"name": "Web", "image": "nginx", "ports": [{"containerPort": 0}, {"containerPort": 70000,
                                                                         "protocol": "HTTP"}]},
        {"name": "Web", "image": "nginx", "imagePullPolicy": "Sometimes"}]
    body["spec"]["restartPolicy"] = "Sometimes"
    assert errors(body) == [
        'spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist '
        "of lower case alphanumeric characters or '-', and must start and end with an "
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[0].ports[0].containerPort: Required value",
        "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and "
        "65535, inclusive",
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: '
        '"SCTP", "TCP", "UDP"',
        'spec.containers[1].name: Invalid value: "Web": a lowercase RFC 1123 label must consist '
        "of lower case alphanumeric characters or '-', and must start and end with an "
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        'spec.containers[1].imagePullPolicy: Unsupported value: "Sometimes": supported values: '
        '"Always", "IfNotPresent", "Never"',
        'spec.containers[1].name: Duplicate value: "Web"',
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"OnFailure", "Never"']


def test_env_rules():
    body = pod_with(env=[
        {"name": "A=B", "value": "x"},
        {"name": "FOLDER", "value": "story", "valueFrom": {"configMapKeyRef": {
            "name": "data-store-env", "key": "folder"}}},
        {"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pass word"}}},
        {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeNames"}}},
        {"name": "EMPTY", "valueFrom": {}}])
    assert errors(body) == [
        'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable '
        "name must consist only of printable ASCII characters other than '='",
        'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when '
        '`value` is not empty',
        'spec.containers[0].env[2].valueFrom.secretKeyRef.key: Invalid value: "pass word": a '
        "valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
        "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')",
        'spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Invalid value: '
        '"spec.nodeNames": error converting fieldPath: field label not supported: '
        'spec.nodeNames',
        'spec.containers[0].env[4].valueFrom: Invalid value: "": must specify one of: '
        '`fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`']


def test_probes():
    assert errors(pod_with(livenessProbe={"periodSeconds": 5})) == [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type"]
    assert errors(pod_with(livenessProbe={"tcpSocket": {"port": 8080}, "successThreshold": 2},
                           readinessProbe={"httpGet": {"port": "http_port"},
                                           "timeoutSeconds": -1})) == [
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "http_port": must '
        "contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "spec.containers[0].readinessProbe.timeoutSeconds: Invalid value: -1: must be greater "
        "than or equal to 0"]


def test_requests_may_not_exceed_limits():
    assert errors(pod_with(resources={"requests": {"cpu": 2}, "limits": {"cpu": "1"}})) == [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal '
        'to cpu limit of 1']
    # SetDefaults_Pod copied the limit into requests, so both are reported, as upstream does
    assert errors(pod_with(resources={"limits": {"cpus": "1"}})) == [
        f'spec.containers[0].resources.{section}[cpus]: Invalid value: "cpus": must be a '
        f'standard resource {what}'
        for section in ("limits", "requests")
        for what in ("type or fully qualified", "for containers")]


def test_pod_updates_may_change_only_images_and_a_few_fields():
    old = stored(pod_with(ports=[{"containerPort": 80}]))
    image = copy.deepcopy(old)
    image["spec"]["containers"][0]["image"] = "nginx:1.27"
    assert errors(image, old) == []
    port = copy.deepcopy(old)
    port["spec"]["containers"][0]["ports"][0]["containerPort"] = 8080
    errs = errors(port, old)
    assert len(errs) == 1 and errs[0].startswith("spec: Forbidden: " + UPDATABLE)
    assert "- \tContainers: " in errs[0] and "+ \tContainers: " in errs[0]
    more = copy.deepcopy(old)
    more["spec"]["containers"].append({"name": "side", "image": "busybox"})
    assert errors(more, old) == [
        "spec.containers: Forbidden: pod updates may not add or remove containers"]
    tolerated = copy.deepcopy(old)
    tolerated["spec"]["tolerations"] = tolerated["spec"]["tolerations"] + [
        {"key": "gpu", "operator": "Exists"}]
    assert errors(tolerated, old) == []


# --- services --------------------------------------------------------------------------------

SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - port: 80
"""


def svc(**spec):
    body = yaml.safe_load(SERVICE)
    body["spec"].update(spec)
    return body


def test_service_ports():
    assert errors(svc(ports=[])) == ["spec.ports: Required value"]
    assert errors(svc(clusterIP="None", ports=[])) == []
    assert errors(svc(ports=[{"port": 80}, {"port": 443, "targetPort": "https_port_number"}])) == [
        "spec.ports[0].name: Required value",
        "spec.ports[1].name: Required value",
        'spec.ports[1].targetPort: Invalid value: "https_port_number": must be no more than 15 '
        'characters',
        'spec.ports[1].targetPort: Invalid value: "https_port_number": must contain only '
        'alpha-numeric characters (a-z, 0-9), and hyphens (-)']
    assert errors(svc(ports=[{"name": "a", "port": 80}, {"name": "b", "port": 80}])) == [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:'
        '(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, '
        'NodePort:0}']


def test_service_type_and_node_ports():
    assert errors(svc(type="Nodeport")) == [
        'spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"']
    assert errors(svc(ports=[{"port": 80, "nodePort": 30080}])) == [
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
    assert errors(svc(type="NodePort", ports=[{"port": 80, "nodePort": 80}])) == [
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
        "The range of valid ports is 30000-32767"]
    assert errors(svc(type="NodePort", ports=[{"port": 80, "nodePort": 30080}])) == []


def test_node_port_range_is_checked_before_validation_and_alone():
    info, obj = prepared(svc(type="NodePort", ports=[{"port": 0, "nodePort": 80}]))
    assert [str(e) for e in node_port_errors(obj)] == [
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
        "The range of valid ports is 30000-32767"]
    assert len(validate(info, obj)) == 1


def test_cluster_ip_may_not_change():
    old = stored(svc(clusterIP="10.96.0.8"))
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"] = "10.96.0.9"
    new["spec"]["clusterIPs"] = ["10.96.0.9"]
    assert errors(new, old) == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: may not change once set']
    assert errors(copy.deepcopy(old), old) == []


# --- storage ---------------------------------------------------------------------------------

PV = """
apiVersion: v1
kind: PersistentVolume
metadata:
  name: my-pv
spec:
  capacity:
    storage: 4Gi
  volumeMode: Filesystem
  storageClassName: standard
  accessModes:
    - ReadWriteOnce
    - ReadOnlyMany
    - ReadWriteMany
  hostPath:
    path: /data
    type: DirectoryOrCreate
"""
PVC = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: my-pv-claim
spec:
  volumeName: my-pv
  accessModes:
    - ReadWriteOnce
  storageClassName: standard
  resources:
    requests:
      storage: 1Gi
"""


def test_the_notes_volume_manifests_are_valid():
    assert errors(PV) == []
    assert errors(PVC) == []


def test_persistent_volume_requirements():
    body = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv"},
            "spec": {}}
    assert errors(body) == [
        "spec.accessModes: Required value",
        "spec.capacity: Required value",
        'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"',
        "spec: Required value: must specify a volume type"]


def test_persistent_volume_claim_requirements_and_updates():
    body = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"},
            "spec": {"accessModes": ["ReadWriteSometimes"]}}
    assert errors(body) == [
        'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: '
        '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        "spec.resources[storage]: Required value"]
    old = stored(PVC)
    changed = copy.deepcopy(old)
    changed["spec"]["storageClassName"] = "fast"
    errs = errors(changed, old)
    assert len(errs) == 1 and errs[0].startswith(
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims\n  core.PersistentVolumeClaimSpec{")
    grown = copy.deepcopy(old)
    grown["spec"]["resources"]["requests"]["storage"] = "2Gi"
    assert errors(grown, old)[0].startswith("spec: Forbidden: spec is immutable")
    bound = {**old, "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}}}
    assert errors(grown, bound) == []


def test_storage_class():
    assert errors("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\n") == [
        "provisioner: Required value"]
    old = stored("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\n"
                 "provisioner: k8s.io/minikube-hostpath\n")
    new = {**old, "reclaimPolicy": "Retain"}
    assert errors(new, old) == ["reclaimPolicy: Forbidden: updates to reclaimPolicy are "
                                "forbidden."]


# --- config ----------------------------------------------------------------------------------

def test_config_keys():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "data-store-env"},
          "data": {"folder": "“story”", "my key": "x"}}
    assert errors(cm) == [
        'data[my key]: Invalid value: "my key": a valid config key must consist of alphanumeric '
        "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex "
        "used for validation is '[-._a-zA-Z0-9]+')"]


def test_secret_type_is_immutable_and_tls_needs_keys():
    old = stored("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: YQ==}\n")
    new = {**old, "type": "kubernetes.io/tls"}
    assert errors(new, old) == [
        'type: Invalid value: "kubernetes.io/tls": field is immutable',
        "data[tls.crt]: Required value",
        "data[tls.key]: Required value"]


def test_immutable_configmap():
    old = stored("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nimmutable: true\n"
                 "data: {a: '1'}\n")
    new = {**old, "data": {"a": "2"}}
    assert errors(new, old) == ["data: Forbidden: field is immutable when `immutable` is set"]


def test_namespace_finalizers():
    assert errors("apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n"
                  "spec: {finalizers: [cleanup]}\n") == [
        'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name '
        'nor is it fully qualified']


@pytest.mark.parametrize("kind", ["ServiceAccount", "Event", "Endpoints"])
def test_simple_kinds_validate_their_metadata(kind):
    body = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "Bad Name"}}
    assert errors(body) == [f'metadata.name: Invalid value: "Bad Name": {DNS1123_SUBDOMAIN}']
