"""Strict decoding: what the models accept, keep, and refuse with the API server's words."""
import copy
import json
import time

import pytest
import yaml

from kubelearn.api.kinds import kind_info
from kubelearn.api.models import MODELS, decode
from kubelearn.apiserver.errors import StatusError

DEPLOYMENT, POD, SERVICE = kind_info("Deployment"), kind_info("Pod"), kind_info("Service")

# `kubectl create ... --dry-run=client -o json` from the real kubectl v1.32.4: typed
# objects, so their keys are in Go struct order.
KUBECTL_CLIENT_OUTPUT = {
    "Deployment": '{"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web", '
                  '"creationTimestamp": null, "labels": {"app": "web"}}, "spec": {"replicas": 3, '
                  '"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": '
                  '{"creationTimestamp": null, "labels": {"app": "web"}}, "spec": {"containers": '
                  '[{"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}], '
                  '"resources": {}}]}}, "strategy": {}}, "status": {}}',
    "Service": '{"kind": "Service", "apiVersion": "v1", "metadata": {"name": "web", '
               '"creationTimestamp": null, "labels": {"app": "web"}}, "spec": {"ports": [{"name": '
               '"80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080}], '
               '"selector": {"app": "web"}, "type": "NodePort"}, "status": {"loadBalancer": {}}}',
    "ConfigMap": '{"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cfg", '
                 '"creationTimestamp": null}, "data": {"B": "two", "a": "1"}}',
    "Secret": '{"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "s1", '
              '"creationTimestamp": null}, "data": {"password": "c2VjcmV0MTIz"}}',
    "Namespace": '{"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "dev", '
                 '"creationTimestamp": null}, "spec": {}, "status": {}}',
}

POD_YAML = """
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    ports:
    - containerPort: 80
    env:
    - name: MODE
      value: dev
    - name: DB_HOST
      valueFrom:
        configMapKeyRef: {name: cfg, key: db}
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {memory: 1Gi}
    volumeMounts:
    - name: data
      mountPath: /data
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      initialDelaySeconds: 5
  volumes:
  - name: data
    emptyDir: {}
"""


def refused(info, body) -> str:
    with pytest.raises(StatusError) as exc:
        decode(info, body)
    assert exc.value.code == 400 and exc.value.reason == "BadRequest"
    return exc.value.message


def keys_in_order(obj):
    """Every dict's keys, depth first, to compare key order."""
    if isinstance(obj, dict):
        return [(k, keys_in_order(v)) for k, v in obj.items()]
    if isinstance(obj, list):
        return [keys_in_order(v) for v in obj]
    return None


def drop_nulls(obj):
    if isinstance(obj, dict):
        return {k: drop_nulls(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [drop_nulls(v) for v in obj]
    return obj


# --- what is accepted and kept ------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(KUBECTL_CLIENT_OUTPUT))
def test_decode_keeps_kubectl_typed_output_in_go_field_order(kind):
    body = json.loads(KUBECTL_CLIENT_OUTPUT[kind])
    out = decode(kind_info(kind), body)
    expected = drop_nulls(body)  # null means unset, as in Go
    assert out == expected
    assert keys_in_order(out) == keys_in_order(expected)


def test_decode_reorders_a_manifest_into_go_struct_order():
    body = {"spec": {"template": {"spec": {"containers": [{"image": "nginx", "name": "n"}]},
                                  "metadata": {"labels": {"b": "1", "a": "2"}}},
                     "selector": {"matchLabels": {"a": "2"}}, "replicas": 2},
            "metadata": {"labels": {"z": "1"}, "name": "web"},
            "kind": "Deployment", "apiVersion": "apps/v1"}
    out = decode(DEPLOYMENT, body)
    assert list(out) == ["kind", "apiVersion", "metadata", "spec"]
    assert list(out["metadata"]) == ["name", "labels"]
    assert list(out["spec"]) == ["replicas", "selector", "template"]
    assert list(out["spec"]["template"]["spec"]["containers"][0]) == ["name", "image"]
    assert list(out["spec"]["template"]["metadata"]["labels"]) == ["b", "a"]  # maps as written


def test_decode_keeps_only_what_was_sent_and_never_mutates():
    body = yaml.safe_load(POD_YAML)
    before = copy.deepcopy(body)
    out = decode(POD, body)
    assert body == before
    assert out == body  # nothing added: defaults are not decoding's job
    assert "status" not in out and "restartPolicy" not in out["spec"]


def test_quantities_and_int_or_strings_keep_their_spelling():
    body = yaml.safe_load(POD_YAML)
    body["spec"]["containers"][0]["resources"] = {"limits": {"cpu": 0.5, "memory": 1073741824},
                                                  "requests": {"cpu": "250m"}}
    body["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] = "http"
    out = decode(POD, body)
    container = out["spec"]["containers"][0]
    assert container["resources"] == {"limits": {"cpu": 0.5, "memory": 1073741824},
                                      "requests": {"cpu": "250m"}}
    assert container["livenessProbe"]["httpGet"]["port"] == "http"


def test_whole_floats_become_ints_as_after_kubectls_yaml_to_json():
    body = yaml.safe_load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\n"
                          "spec: {replicas: 3.0}\n")
    out = decode(DEPLOYMENT, body)
    assert out["spec"]["replicas"] == 3 and type(out["spec"]["replicas"]) is int


def test_null_means_unset_and_null_map_values_are_empty_strings():
    body = yaml.safe_load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n"
                          "    app:\n  creationTimestamp:\nspec:\n  nodeName:\n"
                          "  containers:\n  - name: c\n    image: nginx\n    args: [a, null]\n")
    out = decode(POD, body)
    assert out["metadata"] == {"name": "p", "labels": {"app": ""}}
    assert "nodeName" not in out["spec"]
    assert out["spec"]["containers"][0]["args"] == ["a", ""]


def test_null_list_item_decodes_to_an_empty_struct():
    body = yaml.safe_load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                          "spec:\n  containers:\n  -\n")
    assert decode(POD, body)["spec"]["containers"] == [{}]


def test_every_kind_of_the_registry_has_a_model():
    for kind in ("Namespace", "Node", "Pod", "Service", "Endpoints", "ConfigMap", "Secret",
                 "ServiceAccount", "PersistentVolume", "PersistentVolumeClaim", "Event",
                 "Deployment", "ReplicaSet", "DaemonSet", "StorageClass"):
        assert MODELS[kind].__name__ == kind


def test_node_status_written_by_the_simulator_is_accepted():
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
            "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"],
                     "taints": [{"key": "k", "effect": "NoSchedule"}]},
            "status": {"capacity": {"cpu": "2", "memory": "8128380Ki", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True",
                                       "lastHeartbeatTime": "2025-06-02T09:00:00Z"}],
                       "addresses": [{"address": "192.168.49.2", "type": "InternalIP"}],
                       "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                       "nodeInfo": {"kubeletVersion": "v1.32.0", "osImage": "Ubuntu"}}}
    assert decode(kind_info("Node"), node) == node


# --- strict decoding: unknown fields -------------------------------------------------------

def test_misspelled_field_is_an_unknown_field_with_its_json_path():
    body = yaml.safe_load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                          "spec:\n  template:\n    spec:\n      containers:\n"
                          "      - name: web\n        imagee: nginx\n")
    assert refused(DEPLOYMENT, body) == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.template.spec.containers[0].imagee"')


def test_several_unknown_fields_are_joined_in_sorted_document_order():
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"template": {"spec": {"serviceAccountName": "x", "containers": [
                {"name": "a", "zeta": 1, "alpha": 2}]}},
                     "serviceAccountName": "x", "serviceAccount": "y"}}
    assert refused(DEPLOYMENT, body) == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.serviceAccount", unknown field "spec.serviceAccountName", '
        'unknown field "spec.template.spec.containers[0].alpha", '
        'unknown field "spec.template.spec.containers[0].zeta"')


def test_keys_are_case_sensitive():
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"Replicas": 2}}
    assert refused(DEPLOYMENT, body).endswith('strict decoding error: unknown field '
                                              '"spec.Replicas"')


# --- type errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("path, value, message", [
    (("spec", "replicas"), "3",
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
    (("spec", "replicas"), 1.5, "json: cannot unmarshal number 1.5 into Go struct field "
                                "DeploymentSpec.spec.replicas of type int32"),
    (("spec", "replicas"), 3000000000, "json: cannot unmarshal number 3000000000 into Go struct "
                                       "field DeploymentSpec.spec.replicas of type int32"),
    (("spec", "paused"), "yes", "json: cannot unmarshal string into Go struct field "
                                "DeploymentSpec.spec.paused of type bool"),
    (("spec",), "web", "json: cannot unmarshal string into Go struct field Deployment.spec of "
                       "type v1.DeploymentSpec"),
    (("metadata", "labels", "version"), 1.0, "json: cannot unmarshal number into Go struct field "
                                             "ObjectMeta.metadata.labels of type string"),
    (("spec", "template", "spec", "containers"), {"name": "x"},
     "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of "
     "type []v1.Container"),
    (("spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"), "80",
     "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec."
     "containers.ports.containerPort of type int32"),
    (("spec", "template", "spec", "containers", 0, "env", 0, "value"), 5,
     "json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env."
     "value of type string"),
    (("spec", "template", "spec", "containers", 0, "ports", 0, "protocol"), 6,
     "json: cannot unmarshal number into Go struct field ContainerPort.spec.template.spec."
     "containers.ports.protocol of type v1.Protocol"),
    (("spec", "strategy", "rollingUpdate", "maxSurge"), True,
     "json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy."
     "rollingUpdate.maxSurge of type int32"),
    (("spec", "template", "spec", "containers", 0, "resources", "limits", "memory"), "1mi",
     "unable to parse quantity's suffix"),
    (("spec", "template", "spec", "containers", 0, "resources", "limits", "memory"), "1Gb",
     "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    (("spec", "template", "spec", "containers", 0, "resources", "limits", "cpu"), "one",
     "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
])
def test_type_errors_use_the_go_json_wording(path, value, message):
    body = yaml.safe_load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                          "  replicas: 1\n  template:\n    spec:\n      containers:\n"
                          "      - name: web\n        image: nginx\n        ports:\n"
                          "        - containerPort: 80\n        env:\n        - name: A\n"
                          "          value: b\n        resources: {limits: {cpu: 1}}\n")
    target = body
    for step in path[:-1]:
        target = target.setdefault(step, {}) if isinstance(step, str) else target[step]
    target[path[-1]] = value
    assert refused(DEPLOYMENT, body) == (
        f'Deployment in version "v1" cannot be handled as a Deployment: {message}')


def test_yaml_string_replicas_is_refused_like_the_api_server():
    body = yaml.safe_load('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n'
                          'spec:\n  replicas: "3"\n')
    assert refused(DEPLOYMENT, body) == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
        'string into Go struct field DeploymentSpec.spec.replicas of type int32')


def test_service_port_as_string_is_refused():
    body = yaml.safe_load('apiVersion: v1\nkind: Service\nmetadata: {name: web}\n'
                          'spec:\n  ports:\n  - port: "80"\n')
    assert refused(SERVICE, body) == (
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string '
        'into Go struct field ServicePort.spec.ports.port of type int32')


def test_first_type_error_in_document_order_wins_over_unknown_fields():
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"aaa": 1, "containers": [{"name": 1, "image": 2}]}}
    assert refused(POD, body) == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go '
        'struct field Container.spec.containers.image of type string')


def test_unmarshaler_errors_stop_decoding_and_win():
    body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
            "spec": {"ports": [{"port": "80", "targetPort": 1.5}]}}
    assert refused(SERVICE, body) == (
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number '
        '1.5 into Go struct field ServicePort.spec.ports.targetPort of type int32')


def test_secret_data_must_be_base64_as_go_decodes_it():
    secret = kind_info("Secret")
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"password": "secret123"}}
    assert refused(secret, body) == ('Secret in version "v1" cannot be handled as a Secret: '
                                     'illegal base64 data at input byte 8')
    body["data"] = {"password": "c2VjcmV0MTIz", "n": 5}
    assert refused(secret, body) == (
        'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal number '
        'into Go struct field Secret.data of type []uint8')
    body["data"] = {"password": "c2VjcmV0MTIz"}
    assert decode(secret, body)["data"] == {"password": "c2VjcmV0MTIz"}


def test_configmap_number_value_message_matches_a_real_cluster():
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
            "data": {"port": 8080}}
    assert refused(kind_info("ConfigMap"), body) == (
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal '
        'number into Go struct field ConfigMap.data of type string')


# --- speed ---------------------------------------------------------------------------------

def test_decoding_a_pod_takes_well_under_a_millisecond():
    body = yaml.safe_load(POD_YAML)
    for _ in range(50):
        decode(POD, body)
    runs = 500
    start = time.perf_counter()
    for _ in range(runs):
        decode(POD, body)
    per_call = (time.perf_counter() - start) / runs
    assert per_call < 0.0005, f"{per_call * 1e6:.0f} us per Pod decode"


def test_yaml_keys_that_are_not_strings_become_strings_as_in_kubectl():
    body = yaml.safe_load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
                          "data:\n  2: two\n  true: t\n  1.5: x\n")
    assert decode(kind_info("ConfigMap"), body)["data"] == {"2": "two", "true": "t",
                                                            "1.5": "x"}
    body = yaml.safe_load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, 5: x}\n")
    assert refused(kind_info("ConfigMap"), body).endswith(
        'strict decoding error: unknown field "metadata.5"')
