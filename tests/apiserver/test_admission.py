"""Admission end to end with the manifests of the course notes (§2.4 and §3), mistakes included."""
import copy

import pytest
import yaml

from kubelearn.api.kinds import lookup_kind
from kubelearn.apiserver.admission import admit
from kubelearn.apiserver.errors import StatusError

# notes §2.4.1, with `image:` and the lines below it moved left by one space: as printed in
# the notes that block is not even YAML (see test_notes_deployment_as_printed_is_not_yaml).
# periodSeconds/initialDelaySeconds still sit at container level, as in the notes.
NOTES_DEPLOYMENT = """
apiVersion: apps/v1  # See K8sdocs for the latest version
kind: Deployment
metadata:
  name: my-second-app
spec:
  replicas: 3
  # A selector is needed to specify which pods should be controlled by this deployment
  selector:
    matchLabels: 
      app: second-app
      tier: backend
    # Operator can be In, NotIn, Exist, DoesNotExist
    matchExpressions:
      - {key: app, operator: In, values: [second-app, first-app]}
    
  template:  
    metadata:
      labels:
        app: second-app
        tier: backend
    spec:
      containers:
      # List of containers
        - name: container1
          image: repo/my-image-name:latest
          livenessProbe: 
            httpGet:
              path: /some/specific/path
              port: 8080
          periodSeconds: 10
          initialDelaySeconds: 5
"""
# notes §2.4.2 with the port lines aligned (as printed: a YAML error); `target port` kept.
NOTES_SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  selector: 
    app: second-app
  ports:
    - protocol : TCP
      port: 80
      target port: 8080
  type: LoadBalancer
"""
# notes §3.2.1 exactly as printed
NOTES_PV = """
apiVersion: c1
kind: PersistentVolume
metadata:
  name: my-pv
spec:
  capacity:
    storage: 4Gi
  # We can use block storage or file system storage 
  volumeMode: Filesystem
  # Kubernetes lets you define different storage classes, but by default gives you the standard class
  storageClassName: standard
  # How many nodes (one or many) can claim this volume, and can they write or only read?
  accessModes:
    - ReadWriteOnce
    - ReadOnlyMany
    - ReadWriteMany
  hostPath:
    path: /data
    type: DirectoryOrCreate
"""
# notes §3.2.2 exactly as printed: a claim written as kind PersistentVolume
NOTES_CLAIM = """
apiVersion: v1
kind: PersistentVolume
metadata: 
  name: my-pv-claim
spec:
  volumeName: my-pv
  accessModes:
    - ReadWriteOnce
  storageClassName: standard
  # How much storage will this claim use?
  resources:
    requests:
      storage: 1Gi
"""
# notes §3.3.2 (curly quotes included)
NOTES_CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: data-store-env
data:
  folder: “story”
"""


def submit(doc, namespace="default", old=None):
    body = yaml.safe_load(doc) if isinstance(doc, str) else doc
    info = lookup_kind(body["apiVersion"], body["kind"])
    assert info is not None
    if info.namespaced:
        body["metadata"] = {**body["metadata"], "namespace": namespace}
    return admit(info, body, old)


def refusal(doc, old=None) -> StatusError:
    with pytest.raises(StatusError) as exc:
        submit(doc, old=old)
    return exc.value


def test_notes_deployment_as_printed_is_not_yaml():
    printed = NOTES_DEPLOYMENT.replace("          image:", "           image:")
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(printed)


def test_notes_deployment_probe_timings_outside_the_probe_are_unknown_fields():
    err = refusal(NOTES_DEPLOYMENT)
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.template.spec.containers[0].initialDelaySeconds", '
        'unknown field "spec.template.spec.containers[0].periodSeconds"')


def test_notes_deployment_once_fixed_is_admitted_with_defaults():
    fixed = NOTES_DEPLOYMENT.replace("          periodSeconds: 10\n          initialDelaySeconds: 5",
                                     "            periodSeconds: 10\n"
                                     "            initialDelaySeconds: 5")
    obj = submit(fixed)
    container = obj["spec"]["template"]["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "Always"   # :latest
    assert container["livenessProbe"] == {
        "httpGet": {"path": "/some/specific/path", "port": 8080, "scheme": "HTTP"},
        "initialDelaySeconds": 5, "timeoutSeconds": 1, "periodSeconds": 10,
        "successThreshold": 1, "failureThreshold": 3}
    assert obj["spec"]["replicas"] == 3
    assert obj["metadata"] == {"name": "my-second-app", "namespace": "default"}


def test_notes_service_target_port_with_a_space_is_an_unknown_field():
    err = refusal(NOTES_SERVICE)
    assert err.code == 400
    assert err.message == ('Service in version "v1" cannot be handled as a Service: strict '
                           'decoding error: unknown field "spec.ports[0].target port"')
    obj = submit(NOTES_SERVICE.replace("target port", "targetPort"))
    assert obj["spec"] == {
        "ports": [{"protocol": "TCP", "port": 80, "targetPort": 8080}],
        "selector": {"app": "second-app"}, "type": "LoadBalancer", "sessionAffinity": "None",
        "externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True,
        "internalTrafficPolicy": "Cluster"}


def test_notes_persistent_volume_needs_a_real_api_version():
    body = yaml.safe_load(NOTES_PV)
    assert lookup_kind(body["apiVersion"], body["kind"]) is None   # "no matches for kind"
    body["apiVersion"] = "v1"
    obj = submit(body)
    assert obj["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert obj["spec"]["hostPath"] == {"path": "/data", "type": "DirectoryOrCreate"}


def test_notes_claim_written_as_a_volume_is_refused():
    err = refusal(NOTES_CLAIM)
    assert err.message == (
        'PersistentVolume in version "v1" cannot be handled as a PersistentVolume: strict '
        'decoding error: unknown field "spec.resources", unknown field "spec.volumeName"')
    obj = submit(NOTES_CLAIM.replace("kind: PersistentVolume", "kind: PersistentVolumeClaim"))
    assert obj["spec"]["volumeMode"] == "Filesystem"
    assert obj["spec"]["resources"] == {"requests": {"storage": "1Gi"}}


def test_notes_configmap_is_admitted_as_written():
    obj = submit(NOTES_CONFIGMAP)
    assert obj["data"] == {"folder": "“story”"}


def test_invalid_objects_get_a_422_with_kubectl_text_and_causes():
    bad = NOTES_DEPLOYMENT.replace("          periodSeconds: 10\n          initialDelaySeconds: 5\n",
                                   "").replace("        tier: backend\n    spec:",
                                               "        tier: frontend\n    spec:")
    err = refusal(bad)
    assert (err.code, err.reason, err.kind, err.name) == (422, "Invalid", "Deployment",
                                                           "my-second-app")
    assert err.message == (
        'The Deployment "my-second-app" is invalid: spec.template.metadata.labels: Invalid value:'
        ' map[string]string{"app":"second-app", "tier":"frontend"}: `selector` does not match '
        'template `labels`')
    assert err.causes == [{"reason": "FieldValueInvalid",
                           "message": 'Invalid value: map[string]string{"app":"second-app", '
                                      '"tier":"frontend"}: `selector` does not match template '
                                      '`labels`',
                           "field": "spec.template.metadata.labels"}]


def test_updates_are_validated_against_the_old_object():
    fixed = NOTES_DEPLOYMENT.replace("          periodSeconds: 10\n          initialDelaySeconds: 5\n",
                                     "")
    old = submit(fixed)
    old["metadata"].update(uid="u-1", resourceVersion="5",
                           creationTimestamp="2025-06-02T09:00:00Z", generation=1)
    new = copy.deepcopy(old)
    new["spec"]["selector"]["matchLabels"]["tier"] = "web"
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "web"
    with pytest.raises(StatusError) as exc:
        submit(new, old=old)
    assert exc.value.code == 422
    assert exc.value.message.endswith(": field is immutable")
    scaled = copy.deepcopy(old)
    scaled["spec"]["replicas"] = 5
    assert submit(scaled, old=old)["spec"]["replicas"] == 5


def test_admit_leaves_the_request_body_alone():
    body = yaml.safe_load(NOTES_SERVICE.replace("target port", "targetPort"))
    body["metadata"]["namespace"] = "default"
    before = copy.deepcopy(body)
    out = admit(lookup_kind("v1", "Service"), body)
    assert body == before and out is not body


def test_bad_request_beats_validation():
    body = yaml.safe_load(NOTES_SERVICE)
    body["metadata"]["name"] = "Not_A_Service_Name"
    assert refusal(body).code == 400


POD_INFO = lookup_kind("v1", "Pod")
TEMPLATE_SPEC = {"containers": [{"name": "nginx", "image": "nginx:1.25",
                                 "resources": {"limits": {"cpu": "100m"}}}]}


def sibling(name, spec=TEMPLATE_SPEC, **meta):
    """A pod as a ReplicaSet builds it: its template's very spec dict, a generated name."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"generateName": "web-", "name": name, "namespace": "default",
                         "labels": {"app": "web"}, **meta},
            "spec": spec}


def test_a_sibling_pod_is_admitted_exactly_as_a_full_admission_would():
    admit(POD_INFO, sibling("web-bcdfg"))
    repeated = admit(POD_INFO, sibling("web-hjklm"))      # same spec dict: re-used
    full = admit(POD_INFO, sibling("web-hjklm", copy.deepcopy(TEMPLATE_SPEC)))
    assert repeated == full
    assert list(repeated["metadata"]) == list(full["metadata"])      # key order too
    assert repeated["metadata"]["name"] == "web-hjklm"


def test_a_sibling_with_an_invalid_name_is_still_refused():
    admit(POD_INFO, sibling("web-bcdfg"))
    with pytest.raises(StatusError) as err:
        admit(POD_INFO, sibling("Web_Bad"))
    assert err.value.code == 422 and "metadata.name" in err.value.message


def test_a_sibling_that_differs_elsewhere_gets_the_full_admission():
    first = admit(POD_INFO, sibling("web-bcdfg"))
    other = admit(POD_INFO, sibling("web-hjklm", labels={"app": "web", "tier": "front"}))
    assert other["metadata"]["labels"] == {"app": "web", "tier": "front"}
    assert other["spec"] == first["spec"]
    with pytest.raises(StatusError):
        admit(POD_INFO, sibling("web-npqrs", labels={"app": "-bad-"}))
