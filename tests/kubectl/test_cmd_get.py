"""``kubectl get`` (``kubelearn.kubectl.cmd_get``) on a real simulated cluster.

Table layouts follow kubectl-reference.md §1.1/§2; the rules on kind prefixes,
blank lines between tables, single objects versus Lists and "No resources
found" follow upstream pkg/cmd/get/get.go (``multipleGVKsRequested``,
``separatorWriterWrapper``, ``printGeneric``).
"""
from __future__ import annotations

import json

import pytest
import yaml

PODS = """\
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels:
    app: web
    tier: frontend
spec:
  containers:
  - name: nginx
    image: nginx:1.25
---
apiVersion: v1
kind: Pod
metadata:
  name: db-1
  labels:
    app: db
spec:
  containers:
  - name: hello
    image: kubelearn/hello:1
"""


@pytest.fixture
def app(cluster):
    """Two bare pods and a ConfigMap in ``default``, 30 s old (the cluster booted 60 s ago)."""
    assert cluster.kubectl("apply -f -", stdin=PODS).exit_code == 0
    assert cluster.kubectl("create configmap app-config --from-literal=color=blue").exit_code == 0
    cluster.advance(30)
    return cluster


def out(cluster, line):
    result = cluster.kubectl(line)
    assert result.stderr == "" and result.exit_code == 0, result
    return result.stdout


# --- tables -----------------------------------------------------------------------------

def test_one_kind(app):
    # needs the kubelet: both pods Running after 30 s
    assert out(app, "get pods") == (
        "NAME    READY   STATUS    RESTARTS   AGE\n"
        "db-1    1/1     Running   0          30s\n"
        "web-1   1/1     Running   0          30s\n")


def test_short_names_and_plural_forms_are_the_same_request(app):
    assert out(app, "get po") == out(app, "get pod") == out(app, "get pods") == out(app, "get Pod")


def test_several_kinds_one_table_each_with_kind_prefix_and_a_blank_line(app):
    assert out(app, "get pods,cm") == (
        "NAME        READY   STATUS    RESTARTS   AGE\n"
        "pod/db-1    1/1     Running   0          30s\n"
        "pod/web-1   1/1     Running   0          30s\n"
        "\n"
        "NAME                         DATA   AGE\n"
        "configmap/app-config         1      30s\n"
        "configmap/kube-root-ca.crt   1      90s\n")


def test_several_kinds_without_headers_have_no_blank_line(app):
    assert out(app, "get pods,cm --no-headers") == (
        "pod/db-1    1/1   Running   0     30s\n"
        "pod/web-1   1/1   Running   0     30s\n"
        "configmap/app-config         1     30s\n"
        "configmap/kube-root-ca.crt   1     90s\n")


def test_kind_prefix_even_when_only_one_requested_kind_has_objects(cluster):
    # the empty pods table still counts as a second kind
    assert out(cluster, "get pods,svc") == (
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   60s\n")


def test_get_all_in_a_fresh_cluster(cluster):
    assert out(cluster, "get all") == (
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   60s\n")


def test_get_all_order_pods_services_deployments_replicasets(cluster, manifests):
    assert cluster.kubectl("apply -f -", stdin=manifests.WEB_DEPLOYMENT).exit_code == 0
    cluster.advance(30)
    [rs] = cluster.api.list("ReplicaSet", "default")
    pods = sorted(p["metadata"]["name"] for p in cluster.api.list("Pod", "default"))
    rs_name, w = rs["metadata"]["name"], len(pods[0]) + 4 + 3
    assert out(cluster, "get all") == (
        f"{'NAME':<{w}}READY   STATUS    RESTARTS   AGE\n"
        + "".join(f"{'pod/' + p:<{w}}1/1     Running   0          30s\n" for p in pods)
        + "\nNAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   90s\n"
        "\nNAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/web   2/2     2            2           30s\n"
        f"\n{'NAME':<{len(rs_name) + 19}}DESIRED   CURRENT   READY   AGE\n"
        f"replicaset.apps/{rs_name}   2         2         2       30s\n")


def test_all_namespaces_adds_a_namespace_column(app):
    assert out(app, "get cm -A") == (
        "NAMESPACE         NAME               DATA   AGE\n"
        "default           app-config         1      30s\n"
        "default           kube-root-ca.crt   1      90s\n"
        "kube-node-lease   kube-root-ca.crt   1      90s\n"
        "kube-public       kube-root-ca.crt   1      90s\n"
        "kube-system       kube-root-ca.crt   1      90s\n")
    assert out(app, "get cm --all-namespaces") == out(app, "get cm -A")


def test_cluster_scoped_kinds_never_get_a_namespace_column(cluster):
    assert out(cluster, "get nodes -A") == (
        "NAME            STATUS   ROLES           AGE   VERSION\n"
        "control-plane   Ready    control-plane   60s   v1.32.0\n"
        "worker-1        Ready    <none>          60s   v1.32.0\n"
        "worker-2        Ready    <none>          60s   v1.32.0\n")


def test_names(app):
    assert out(app, "get ns default kube-system") == (
        "NAME          STATUS   AGE\n"
        "default       Active   90s\n"
        "kube-system   Active   90s\n")


def test_type_slash_name_of_two_kinds(app):
    assert out(app, "get ns/default svc/kubernetes") == (
        "NAME                STATUS   AGE\n"
        "namespace/default   Active   90s\n"
        "\n"
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   90s\n")


def test_type_slash_name_of_one_kind_has_no_prefix(app):
    assert out(app, "get pod/web-1 po/db-1") == (
        "NAME    READY   STATUS    RESTARTS   AGE\n"
        "web-1   1/1     Running   0          30s\n"
        "db-1    1/1     Running   0          30s\n")


def test_label_selector(app):
    assert out(app, "get pods -l app=web") == (
        "NAME    READY   STATUS    RESTARTS   AGE\n"
        "web-1   1/1     Running   0          30s\n")
    assert out(app, "get pods -l 'app in (web,db),tier!=frontend'") == (
        "NAME   READY   STATUS    RESTARTS   AGE\n"
        "db-1   1/1     Running   0          30s\n")
    assert out(app, "get pods --selector=tier") == out(app, "get pods -l app=web")


def test_bad_label_selector_is_a_bad_request(app):
    result = app.kubectl("get pods -l 'app in (web'")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
            'selector "app in (web", field selector "": unable to parse requirement: found \'\', '
            "expected: ',' or ')'\n", 1)


def test_field_selector_filters_on_the_fields_a_kind_can_select(app):
    app.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: stuck}\nspec:\n"
                "  nodeSelector: {disk: ssd}\n  containers: [{name: c, image: nginx}]\n")
    assert out(app, "get pods --field-selector status.phase=Pending") == (
        "NAME    READY   STATUS    RESTARTS   AGE\n"
        "stuck   0/1     Pending   0          0s\n")
    assert out(app, "get pods --field-selector status.phase!=Pending,metadata.name!=db-1") == (
        "NAME    READY   STATUS    RESTARTS   AGE\n"
        "web-1   1/1     Running   0          30s\n")
    assert out(app, "get pods --field-selector spec.nodeName= -o name") == "pod/stuck\n"
    assert out(app, "get pods -l app --field-selector status.phase==Running -o name") == \
        "pod/db-1\npod/web-1\n"
    warnings = out(app, "get events --field-selector type=Warning,involvedObject.name=stuck")
    assert warnings.splitlines()[1].split()[1:4] == ["Warning", "FailedScheduling", "pod/stuck"]
    assert len(warnings.splitlines()) == 2
    result = app.kubectl("get pods --field-selector status.phase=Unknown")
    assert (result.stdout, result.stderr) == ("", "No resources found in default namespace.\n")


def test_field_selector_errors_are_the_servers_bad_request(app):
    def error(line):
        result = app.kubectl(line)
        assert (result.stdout, result.exit_code) == ("", 1)
        return result.stderr
    assert error("get pods --field-selector foo=bar") == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
        'selector "", field selector "foo=bar": field label not supported: foo\n')
    assert error("get deploy -l app=web --field-selector spec.replicas=2") == (
        'Error from server (BadRequest): Unable to find "apps/v1, Resource=deployments" that '
        'match label selector "app=web", field selector "spec.replicas=2": "spec.replicas" is '
        'not a known field selector: only "metadata.name", "metadata.namespace"\n')
    assert error("get pods --field-selector status.phase").endswith(
        "invalid selector: 'status.phase'; can't understand 'status.phase'\n")


def test_show_labels(app):
    assert out(app, "get pods --show-labels") == (
        "NAME    READY   STATUS    RESTARTS   AGE   LABELS\n"
        "db-1    1/1     Running   0          30s   app=db\n"
        "web-1   1/1     Running   0          30s   app=web,tier=frontend\n")
    assert out(app, "get cm app-config --show-labels") == (
        "NAME         DATA   AGE   LABELS\n"
        "app-config   1      30s   <none>\n")


def test_label_columns(app):
    expected = ("NAME    READY   STATUS    RESTARTS   AGE   APP   TIER\n"
                "db-1    1/1     Running   0          30s   db    \n"
                "web-1   1/1     Running   0          30s   web   frontend\n")
    assert out(app, "get pods -L app,tier") == expected
    assert out(app, "get pods -L app -L tier") == expected
    assert out(app, "get pods -L example.com/app").splitlines()[0].endswith("AGE   APP")


def test_no_headers(app):
    assert out(app, "get pods --no-headers") == (
        "db-1    1/1   Running   0     30s\n"
        "web-1   1/1   Running   0     30s\n")


def test_wide(app):
    text = out(app, "get pods -o wide")
    assert text.splitlines()[0] == ("NAME    READY   STATUS    RESTARTS   AGE   IP           NODE  "
                                    "     NOMINATED NODE   READINESS GATES")
    for pod in app.api.list("Pod", "default"):
        name, ip = pod["metadata"]["name"], pod["status"]["podIP"]
        node = pod["spec"]["nodeName"]
        assert f"{name:<8}1/1     Running   0          30s   {ip}   {node}   <none>           " \
               "<none>\n" in text


def test_sort_by(app):
    assert out(app, "get pods --sort-by=.metadata.name -o name") == "pod/db-1\npod/web-1\n"
    assert out(app, "get pods --sort-by={.metadata.labels.app} -o name") == (
        "pod/db-1\npod/web-1\n")


# --- other printers ---------------------------------------------------------------------

def test_yaml_of_one_named_object_is_the_object(app):
    obj = yaml.safe_load(out(app, "get cm app-config -o yaml"))
    assert (obj["kind"], obj["metadata"]["name"], obj["data"]) == (
        "ConfigMap", "app-config", {"color": "blue"})
    assert out(app, "get configmap/app-config -o yaml") == out(app, "get cm app-config -o yaml")


def test_yaml_of_a_list_request_is_a_list_even_with_one_item(app):
    text = out(app, "get pods -l app=web -o yaml")
    assert text.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n")
    assert text.endswith("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
    assert [i["metadata"]["name"] for i in yaml.safe_load(text)["items"]] == ["web-1"]


def test_json_single_and_list(app):
    single = json.loads(out(app, "get cm app-config -o json"))
    assert single["kind"] == "ConfigMap"
    several = json.loads(out(app, "get cm app-config kube-root-ca.crt -o json"))
    assert several["kind"] == "List"
    assert [i["metadata"]["name"] for i in several["items"]] == ["app-config", "kube-root-ca.crt"]
    assert out(app, "get cm app-config -o json").startswith('{\n    "apiVersion": "v1",\n')


def test_empty_list_as_yaml_and_json(cluster):
    assert out(cluster, "get pods -o yaml") == (
        'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n')
    assert out(cluster, "get pods -o json") == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n'
        '        "resourceVersion": ""\n    }\n}\n')


def test_name_output(app):
    assert out(app, "get pods -o name") == "pod/db-1\npod/web-1\n"
    assert out(app, "get po,cm -o name") == (
        "pod/db-1\npod/web-1\nconfigmap/app-config\nconfigmap/kube-root-ca.crt\n")
    assert out(app, "get deploy,svc -o name") == "service/kubernetes\n"


def test_jsonpath(app):
    assert out(app, "get pods -o jsonpath={.items[*].metadata.name}") == "db-1 web-1"
    assert out(app, "get cm app-config -o jsonpath={.data.color}") == "blue"
    assert out(app, "get pods -o 'jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}'") == (
        "db-1\nweb-1\n")


def test_custom_columns(app):
    assert out(app, "get pods -o custom-columns=NAME:.metadata.name,APP:.metadata.labels.app") == (
        "NAME    APP\n"
        "db-1    db\n"
        "web-1   web\n")
    assert out(app, "get pods -o custom-columns=NAME:.metadata.name --no-headers") == (
        "db-1\nweb-1\n")


def test_show_labels_needs_a_table(app):
    for fmt in ("yaml", "name", "json"):
        result = app.kubectl(f"get pods --show-labels -o {fmt}")
        assert (result.stdout, result.stderr, result.exit_code) == (
            "", f"error: --show-labels option cannot be used with {fmt} printer\n", 1)
    assert app.kubectl("get pods --show-labels -o wide").exit_code == 0


def test_unknown_output_format(app):
    result = app.kubectl("get pods -o bogus")
    assert result.stderr == (
        'error: unable to match a printer suitable for the output format "bogus", allowed formats '
        "are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
        "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n")
    assert result.exit_code == 1


# --- empty results, errors --------------------------------------------------------------

def test_no_resources_in_a_namespace_is_stderr_and_exit_0(cluster):
    result = cluster.kubectl("get pods")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", "No resources found in default namespace.\n", 0)
    result = cluster.kubectl("get deploy -n kube-public")
    assert result.stderr == "No resources found in kube-public namespace.\n"
    result = cluster.kubectl("get pods -l app=nothing")
    assert result.stderr == "No resources found in default namespace.\n"


def test_no_resources_across_namespaces_or_cluster_scoped(cluster):
    for line in ("get secrets -A", "get pv", "get pods,pv"):
        result = cluster.kubectl(line)
        assert (result.stdout, result.stderr, result.exit_code) == ("", "No resources found\n", 0)


def test_no_message_for_other_printers_or_ignore_not_found(cluster):
    assert cluster.kubectl("get pods -o name").stderr == ""
    assert cluster.kubectl("get pods -o jsonpath={.items}").stdout == "[]"
    result = cluster.kubectl("get pods --ignore-not-found")
    assert (result.stdout, result.stderr, result.exit_code) == ("", "", 0)


def test_not_found(cluster):
    result = cluster.kubectl("get deploy web")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'Error from server (NotFound): deployments.apps "web" not found\n', 1)
    result = cluster.kubectl("get pod web -o yaml")       # no empty List for a single name
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'Error from server (NotFound): pods "web" not found\n', 1)


def test_not_found_mixed_with_found(app):
    result = app.kubectl("get cm nope app-config")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "NAME         DATA   AGE\n"
        "app-config   1      30s\n",
        'Error from server (NotFound): configmaps "nope" not found\n', 1)
    result = app.kubectl("get cm app-config nope nope2 -o name")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "configmap/app-config\n",
        'Error from server (NotFound): configmaps "nope" not found\n'
        'Error from server (NotFound): configmaps "nope2" not found\n', 1)


def test_not_found_with_yaml_prints_the_found_ones_as_a_list(app):
    result = app.kubectl("get cm app-config nope -o yaml")
    assert result.exit_code == 1
    assert result.stderr == 'Error from server (NotFound): configmaps "nope" not found\n'
    assert [i["metadata"]["name"] for i in yaml.safe_load(result.stdout)["items"]] == [
        "app-config"]


def test_several_kinds_and_a_name(app):
    # upstream normalizes "cm,pods web-1" to "cm/web-1 pods/web-1"
    result = app.kubectl("get cm,pods web-1")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "NAME    READY   STATUS    RESTARTS   AGE\n"
        "web-1   1/1     Running   0          30s\n",
        'Error from server (NotFound): configmaps "web-1" not found\n', 1)


def test_ignore_not_found(app):
    result = app.kubectl("get cm nope app-config --ignore-not-found -o name")
    assert (result.stdout, result.stderr, result.exit_code) == ("configmap/app-config\n", "", 0)


def test_unknown_resource_type(cluster):
    result = cluster.kubectl("get deploymentz")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'error: the server doesn\'t have a resource type "deploymentz"\n', 1)
    assert cluster.kubectl("get pods,foo").stderr == (
        'error: the server doesn\'t have a resource type "foo"\n')


def test_no_resource_type_real_kubectl_text(cluster):
    result = cluster.kubectl("get")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "",
        'You must specify the type of resource to get. Use "kubectl api-resources" for a complete '
        "list of supported resources.\n\nerror: Required resource not specified.\n"
        'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. '
        "kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n", 1)


def test_name_and_selector_together(app):
    result = app.kubectl("get pods web-1 -l app=web")
    assert (result.stderr, result.exit_code) == (
        "error: name cannot be provided when a selector is specified\n", 1)


def test_watch_is_refused_on_simulated_time(cluster):
    result = cluster.kubectl("get pods -w")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: kubelearn runs on simulated time")


def test_namespace_flag(app):
    assert "coredns-" in out(app, "get pods -n kube-system")
    assert out(app, "get cm -n kube-public") == (
        "NAME               DATA   AGE\n"
        "kube-root-ca.crt   1      90s\n")


def test_get_changes_nothing(app, snapshot):
    before = snapshot(app)
    for line in ("get all -A", "get pods -o yaml", "get nope", "get pods nope"):
        app.kubectl(line)
    assert snapshot(app) == before
