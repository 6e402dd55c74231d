"""Check builders: exact wording (state; what the task asks), expected/actual, and safety.

Most tests run against a fake API server with exact states (see conftest);
the last ones run the same checks against a real ``Cluster``.
"""
import pytest

from kubelearn import Cluster
from kubelearn.grading.checks import (absent, all_of, answers_http, applied_field_equals, count,
                                      endpoints_ready, exists, field_equals, field_in,
                                      field_satisfies, label_equals, no_restarts, parse_path,
                                      pod_running, pods_ready, rollout_complete)
from kubelearn.grading.model import Check, Outcome


def test_exists(make_cluster, objects):
    cluster = make_cluster(objects.deployment())
    assert exists("Deployment", "web")(cluster) == \
        Outcome(True, "Deployment web exists", "exists", 'Deployment "web" exists.')
    assert exists("deploy", "db")(cluster) == Outcome(
        False, "Deployment db exists", "not found",
        'Deployment "db" was not found in namespace "default"; the task asks for it to exist.')


def test_not_found_says_where_the_object_is_instead(make_cluster, objects):
    cluster = make_cluster(objects.deployment(namespace="shop"), objects.deployment(namespace="dev"))
    assert exists("Deployment", "web")(cluster).message == (
        'Deployment "web" was not found in namespace "default" (there is one in namespace '
        '"dev", "shop"); the task asks for it to exist.')
    assert exists("Deployment", "web", namespace="shop")(cluster).message == \
        'Deployment "web" in namespace "shop" exists.'


def test_cluster_scoped_kinds_ignore_the_namespace(make_cluster):
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-1"}}
    cluster = make_cluster(node)
    assert exists("Node", "worker-1", namespace="shop")(cluster).message == 'Node "worker-1" exists.'
    assert exists("nodes", "worker-9")(cluster).message == \
        'Node "worker-9" was not found; the task asks for it to exist.'


def test_absent(make_cluster, objects):
    cluster = make_cluster(objects.deployment(), objects.pod("old", deleting=True))
    assert absent("Deployment", "db")(cluster) == \
        Outcome(True, "absent", "absent", 'Deployment "db" is gone.')
    assert absent("Deployment", "web")(cluster) == Outcome(
        False, "absent", "exists",
        'Deployment "web" still exists; the task asks for it to be deleted.')
    assert absent("Pod", "old")(cluster) == \
        Outcome(True, "absent", "terminating", 'Pod "old" is being deleted.')


@pytest.mark.parametrize("path, tokens", [
    ("spec.replicas", ("spec", "replicas")),
    ("metadata.labels.app", ("metadata", "labels", "app")),
    ("spec.template.spec.containers[0].image",
     ("spec", "template", "spec", "containers", 0, "image")),
    ('metadata.labels["app.kubernetes.io/name"]', ("metadata", "labels", "app.kubernetes.io/name")),
    ("data['a.b']", ("data", "a.b")),
    ("spec.ports[0][1]", ("spec", "ports", 0, 1)),
])
def test_parse_path(path, tokens):
    assert parse_path(path) == tokens


@pytest.mark.parametrize("bad", ["", ".spec", "spec..replicas", "spec replicas", "spec[x]",
                                 "spec[0", "specreplicas]"])
def test_parse_path_refuses_what_it_cannot_read(bad):
    with pytest.raises(ValueError):
        parse_path(bad)


def test_field_equals_replicas_wording(make_cluster, objects):
    fn = field_equals("Deployment", "web", "spec.replicas", 3)
    assert fn(make_cluster(objects.deployment(replicas=2))) == Outcome(
        False, "3", "2", 'Deployment "web" has 2 replicas; the task asks for 3.')
    assert fn(make_cluster(objects.deployment(replicas=3))) == \
        Outcome(True, "3", "3", 'Deployment "web" has 3 replicas.')


def test_field_equals_on_a_list_element_and_a_label(make_cluster, objects):
    cluster = make_cluster(objects.deployment(image="nginx:1.25", namespace="shop"))
    image = field_equals("Deployment", "web", "spec.template.spec.containers[0].image",
                         "nginx:1.27", namespace="shop")
    assert image(cluster) == Outcome(
        False, "nginx:1.27", "nginx:1.25",
        'Deployment "web" in namespace "shop" has image "nginx:1.25"; the task asks for '
        '"nginx:1.27".')
    app = field_equals("Deployment", "web", "metadata.labels.app", "web", namespace="shop")
    assert app(cluster).message == 'Deployment "web" in namespace "shop" has metadata.labels.app = "web".'


def test_field_equals_missing_field_object_and_index(make_cluster, objects):
    cluster = make_cluster(objects.deployment())
    paused = field_equals("Deployment", "web", "spec.paused", True)
    assert paused(cluster) == Outcome(
        False, "true", "(not set)", 'Deployment "web" has no spec.paused; the task asks for true.')
    second = field_equals("Deployment", "web", "spec.template.spec.containers[1].image", "redis")
    assert second(cluster).actual == "(not set)"
    gone = field_equals("Deployment", "db", "spec.replicas", 3)
    assert gone(cluster) == Outcome(
        False, "3", "Deployment not found",
        'Deployment "db" was not found in namespace "default", so spec.replicas could not be '
        "compared; the task asks for 3.")


def test_field_equals_does_not_take_true_for_one(make_cluster, objects):
    cluster = make_cluster(objects.deployment(replicas=1))
    assert not field_equals("Deployment", "web", "spec.replicas", True)(cluster).passed
    assert field_equals("Deployment", "web", "spec.replicas", 1)(cluster).passed


def test_field_equals_shows_structured_values_as_compact_json(make_cluster, objects):
    cluster = make_cluster(objects.deployment())
    outcome = field_equals("Deployment", "web", "spec.selector", {"matchLabels": {"app": "db"}})(cluster)
    assert (outcome.expected, outcome.actual) == ('{"matchLabels":{"app":"db"}}',
                                                  '{"matchLabels":{"app":"web"}}')


def test_label_equals(make_cluster, objects):
    cluster = make_cluster(objects.deployment(labels={"app": "web", "tier": "backend"}))
    assert label_equals("Deployment", "web", "tier", "frontend")(cluster) == Outcome(
        False, "tier=frontend", "tier=backend",
        'Deployment "web" has the label tier=backend; the task asks for tier=frontend.')
    assert label_equals("Deployment", "web", "env", "prod")(cluster) == Outcome(
        False, "env=prod", "(no such label)",
        'Deployment "web" has no label "env"; the task asks for env=prod.')
    assert label_equals("Deployment", "web", "app", "web")(cluster) == \
        Outcome(True, "app=web", "app=web", 'Deployment "web" has the label app=web.')
    assert label_equals("Deployment", "db", "app", "db")(cluster).message == (
        'Deployment "db" was not found in namespace "default", so its labels could not be read; '
        "the task asks for the label app=db.")


def test_count_by_selector_and_phase(make_cluster, objects):
    cluster = make_cluster(objects.pod("web-1"), objects.pod("web-2", phase="Pending"),
                           objects.pod("web-3", deleting=True), objects.pod("db-1", labels={"app": "db"}),
                           objects.pod("web-x", namespace="shop"))
    assert count("Pod", "app=web", 3)(cluster) == Outcome(
        False, "3", "2", '2 pods match app=web in namespace "default"; the task asks for 3.')
    assert count("pods", "app = web", 2)(cluster) == Outcome(
        True, "2", "2", '2 pods match app=web in namespace "default".')
    assert count("Pod", "app=web", 2, phase="Running")(cluster).message == \
        '1 Running pod matches app=web in namespace "default"; the task asks for 2.'
    assert count("Pod", "", 3)(cluster).message == '3 pods exist in namespace "default".'
    assert count("Pod", "app in (web,db)", 1, namespace="shop")(cluster).message == \
        '1 pod matches app in (db,web) in namespace "shop".'


def test_count_refuses_a_bad_selector_when_built():
    with pytest.raises(ValueError):
        count("Pod", "app in web", 1)


def test_pod_running_by_name(make_cluster, objects):
    cluster = make_cluster(objects.pod("ok"), objects.pod("pull", phase="Pending", waiting="ImagePullBackOff"),
                           objects.pod("bye", deleting=True))
    assert pod_running("ok")(cluster) == Outcome(True, "Running", "Running", 'Pod "ok" is Running.')
    assert pod_running("pull")(cluster) == Outcome(
        False, "Running", "Pending (ImagePullBackOff)",
        'Pod "pull" is Pending (ImagePullBackOff); the task asks for it to be Running.')
    assert pod_running("bye")(cluster).message == \
        'Pod "bye" is terminating; the task asks for it to be Running.'
    assert pod_running("nope")(cluster).message == \
        'Pod "nope" was not found in namespace "default"; the task asks for it to be Running.'


def test_pod_running_by_selector(make_cluster, objects):
    two = make_cluster(objects.pod("web-1"), objects.pod("web-2"))
    assert pod_running("app=web")(two).message == "All 2 pods matching app=web are Running."
    one = make_cluster(objects.pod("web-1"))
    assert pod_running("app=web")(one).message == "The pod matching app=web is Running."
    mixed = make_cluster(objects.pod("web-1"), objects.pod("web-2", phase="Pending", waiting="ErrImagePull"))
    assert pod_running("app=web")(mixed) == Outcome(
        False, "Running", "1 of 2 Running",
        "1 of 2 pods matching app=web are Running; the task asks for all of them to be Running. "
        "Not yet: web-2 is Pending (ErrImagePull).")
    many = make_cluster(*[objects.pod(f"web-{i}", phase="Pending") for i in range(7)])
    assert pod_running("app=web")(many).message.endswith(
        "Not yet: web-0 is Pending; web-1 is Pending; web-2 is Pending; web-3 is Pending; "
        "web-4 is Pending; 2 more.")
    none = make_cluster(objects.pod("db-1", labels={"app": "db"}))
    assert pod_running("app=web")(none).message == \
        'No pods match app=web in namespace "default"; the task asks for at least one Running pod.'


def test_field_in(make_cluster):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
           "spec": {"type": "ClusterIP"}}
    fn = field_in("Service", "web", "spec.type", ("NodePort", "LoadBalancer"))
    assert fn(make_cluster(svc)) == Outcome(
        False, "NodePort or LoadBalancer", "ClusterIP",
        'Service "web" has type "ClusterIP"; the task asks for "NodePort" or "LoadBalancer".')
    svc["spec"]["type"] = "LoadBalancer"
    assert fn(make_cluster(svc)) == Outcome(True, "NodePort or LoadBalancer", "LoadBalancer",
                                            'Service "web" has type "LoadBalancer".')
    assert not field_in("Deployment", "web", "spec.paused", (1,))(
        make_cluster({**svc, "kind": "Deployment", "spec": {"paused": True}})).passed
    with pytest.raises(ValueError):
        field_in("Service", "web", "spec.type", ())


def test_field_satisfies(make_cluster, objects):
    cluster = make_cluster(objects.deployment(replicas=2))
    at_least_3 = field_satisfies("Deployment", "web", "spec.replicas", lambda n: n >= 3,
                                 "3 or more replicas")
    assert at_least_3(cluster) == Outcome(
        False, "3 or more replicas", "2",
        'Deployment "web" has 2 replicas; the task asks for 3 or more replicas.')
    assert field_satisfies("Deployment", "web", "spec.replicas", lambda n: n >= 2, "2 or more")(
        cluster).passed
    # a value the test cannot read does not pass, and is no "could not check"
    broken = field_satisfies("Deployment", "web", "spec.replicas", lambda n: n.upper(), "text")
    assert broken(cluster).actual == "2" and not broken(cluster).passed
    assert at_least_3.description == 'Deployment "web" has spec.replicas: 3 or more replicas'


def test_rollout_complete_follows_rollout_status(make_cluster, objects):
    def deploy(generation=2, observed=2, **status):
        d = objects.deployment(replicas=3)
        d["metadata"]["generation"] = generation
        d["status"] = {"observedGeneration": observed, **status}
        return make_cluster(d)
    done = {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 3}
    assert rollout_complete("web")(deploy(**done)) == Outcome(
        True, "rolled out", "3 of 3 updated and available",
        'Deployment "web" has rolled out: 3 of 3 replicas updated and available.')
    assert rollout_complete("web")(deploy(observed=1, **done)).message == (
        'Deployment "web" is still rolling out: its latest change has not been picked up yet; '
        "the task asks for a finished rollout.")
    assert rollout_complete("web")(deploy(replicas=3, updatedReplicas=1)).actual == \
        "1 out of 3 new replicas have been updated"
    assert rollout_complete("web")(deploy(**{**done, "replicas": 4})).actual == \
        "1 old replicas are pending termination"
    waiting = rollout_complete("web", replicas=3)(deploy(**{**done, "availableReplicas": 2}))
    assert waiting == Outcome(
        False, "3 of 3 updated and available", "2 of 3 updated replicas are available",
        'Deployment "web" is still rolling out: 2 of 3 updated replicas are available; the task '
        "asks for 3 replicas, all updated and available.")
    assert rollout_complete("web", replicas=2)(deploy(**done)) == Outcome(
        False, "2 of 2 updated and available", "3 replicas",
        'Deployment "web" has 3 replicas; the task asks for 2 replicas, all updated and '
        "available.")
    assert rollout_complete("db")(deploy(**done)).actual == "not found"


def _pod(objects, name, ready=True, restarts=0, phase="Running", waiting=None):
    pod = objects.pod(name, phase=phase, waiting=waiting)
    pod["status"]["conditions"] = [{"type": "Ready", "status": "True" if ready else "False"}]
    pod["status"].setdefault("containerStatuses", [{"name": "c", "state": {"running": {}}}])
    pod["status"]["containerStatuses"][0]["restartCount"] = restarts
    return pod


def test_pod_running_by_selector_does_not_count_a_crash_looping_pod(make_cluster, objects):
    cluster = make_cluster(_pod(objects, "web-1"),
                           _pod(objects, "web-2", ready=False, waiting="CrashLoopBackOff"))
    assert pod_running("app=web")(cluster).message.endswith("Not yet: web-2 is CrashLoopBackOff.")
    assert pod_running("web-2")(cluster).message == \
        'Pod "web-2" is CrashLoopBackOff; the task asks for it to be Running.'


def test_pods_ready_and_no_restarts(make_cluster, objects):
    cluster = make_cluster(_pod(objects, "web-1"),
                           _pod(objects, "web-2", ready=False, restarts=3, waiting="CrashLoopBackOff"))
    assert pods_ready("app=web")(cluster) == Outcome(
        False, "Ready", "1 of 2 Ready",
        "1 of 2 pods matching app=web are Ready; the task asks for all of them to be Ready. "
        "Not Ready: web-2 is CrashLoopBackOff.")
    assert no_restarts("app=web")(cluster) == Outcome(
        False, "0 restarts", "3 restarts",
        "1 of 2 pods matching app=web have restarted (web-2 restarted 3 times); the task asks "
        "for pods that run without restarting.")
    healthy = make_cluster(_pod(objects, "web-1"), _pod(objects, "web-2"))
    assert pods_ready("app=web")(healthy).message == "All 2 pods matching app=web are Ready."
    assert no_restarts("app=web")(healthy).message == "No pod matching app=web has restarted."
    assert not pods_ready("app=db")(healthy).passed
    assert no_restarts("app=db")(healthy).actual == "no pods"


def test_applied_field_equals(make_cluster, objects):
    import json

    d = objects.deployment(replicas=3)
    cluster = make_cluster(d)
    fn = applied_field_equals("Deployment", "web", "spec.replicas", 3)
    assert fn(cluster).message == (
        'Deployment "web" was not made with kubectl apply (it has no '
        "kubectl.kubernetes.io/last-applied-configuration annotation); the task asks for 3 in "
        "the manifest you apply.")
    d["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration":
                                    json.dumps({"spec": {"replicas": 2}})}
    assert fn(cluster) == Outcome(
        False, "3", "2", 'The manifest last applied to Deployment "web" has spec.replicas = 2; '
        "the task asks for 3 in the manifest you apply.")
    d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = "{}"
    assert fn(cluster).actual == "(not set)"


def test_all_of_reports_every_failure(make_cluster, objects):
    cluster = make_cluster(objects.deployment(replicas=2, labels={"app": "web"}))
    both = all_of(field_equals("Deployment", "web", "spec.replicas", 3),
                  label_equals("Deployment", "web", "tier", "frontend"),
                  exists("Deployment", "web"))
    assert both(cluster) == Outcome(
        False, "3; tier=frontend", '2; (no such label)',
        'Deployment "web" has 2 replicas; the task asks for 3. '
        'Deployment "web" has no label "tier"; the task asks for tier=frontend.')
    fine = all_of(exists("Deployment", "web"), label_equals("Deployment", "web", "app", "web"))
    assert fine(cluster).passed
    with pytest.raises(ValueError):
        all_of()


def test_builders_refuse_unknown_kinds_when_built():
    with pytest.raises(ValueError, match="unknown kind 'Deploymnet'"):
        exists("Deploymnet", "web")


def test_builders_describe_themselves():
    assert field_equals("Deployment", "web", "spec.replicas", 3).description == \
        'Deployment "web" has spec.replicas = 3'
    assert count("Pod", "app=web", 1).description == "1 pod matching app=web"


def test_a_cluster_that_breaks_gives_could_not_check():
    class Broken:
        @property
        def api(self):
            raise ConnectionError("api server\nis gone")
    outcome = Check("x", "d", 1, exists("Deployment", "web")).evaluate(Broken())
    assert outcome == Outcome(False, "", "", "could not check: ConnectionError: api server")


def test_an_unexpected_api_error_is_not_read_as_absent(make_cluster):
    from kubelearn.apiserver.errors import forbidden

    cluster = make_cluster()
    def refuse(*args, **kwargs):
        raise forbidden("pods is forbidden")
    cluster.api.get = refuse
    outcome = Check("x", "d", 1, absent("Pod", "p")).evaluate(cluster)
    assert not outcome.passed and outcome.message == "could not check: StatusError: pods is forbidden"


# -- the same checks against a real cluster ---------------------------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.25"}]
"""
POD = """\
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {app: solo}}
spec:
  containers: [{name: c, image: nginx}]
"""


@pytest.fixture(scope="module")
def cluster():
    c = Cluster()
    assert c.kubectl("apply -f -", stdin=DEPLOYMENT).exit_code == 0
    assert c.kubectl("apply -f -", stdin=POD).exit_code == 0
    return c


def test_real_cluster_fields_and_labels(cluster):
    assert field_equals("Deployment", "web", "spec.replicas", 3)(cluster).message == \
        'Deployment "web" has 2 replicas; the task asks for 3.'
    assert field_equals("deployments.apps", "web", "spec.template.spec.containers[0].image",
                        "nginx:1.25")(cluster).passed
    assert label_equals("Deployment", "web", "app", "web")(cluster).passed
    assert exists("Service", "kubernetes")(cluster).passed
    assert exists("Deployment", "web", namespace="kube-system")(cluster).message == (
        'Deployment "web" was not found in namespace "kube-system" (there is one in namespace '
        '"default"); the task asks for it to exist.')
    assert absent("ConfigMap", "nothing")(cluster).passed


def test_real_cluster_counts_and_phases(cluster):
    assert count("Node", "", 3)(cluster).message == "3 nodes exist."
    assert count("Pod", "app=solo", 1)(cluster).passed
    phase = cluster.api.get("Pod", "solo", "default")["status"]["phase"]
    outcome = pod_running("solo")(cluster)
    assert outcome.passed == (phase == "Running")
    assert outcome.actual.startswith(phase)


def test_label_absent_has_annotation_and_no_controller_on_a_real_cluster():
    from kubelearn.grading.checks import has_annotation, label_absent, no_controller

    c = Cluster()
    c.kubectl("label node worker-1 workload=apps")
    assert label_absent("Node", "worker-2", "workload")(c) == Outcome(
        True, 'no label "workload"', 'no label "workload"', 'Node "worker-2" has no label "workload".')
    assert label_absent("Node", "worker-1", "workload")(c) == Outcome(
        False, 'no label "workload"', "workload=apps",
        'Node "worker-1" has the label workload=apps; the task asks to leave it without that '
        "label.")
    c.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n")
    assert has_annotation("ConfigMap", "cfg", "kubectl.kubernetes.io/last-applied-configuration")(
        c).passed
    assert not has_annotation("ConfigMap", "kube-root-ca.crt",
                              "kubectl.kubernetes.io/last-applied-configuration")(c).passed
    coredns = c.kubectl("get pods -n kube-system -l k8s-app=kube-dns "
                        "-o jsonpath={.items[0].metadata.name}").stdout
    owned = no_controller("Pod", coredns, namespace="kube-system")(c)
    assert not owned.passed and owned.actual.startswith("ReplicaSet/coredns-")
    assert no_controller("ConfigMap", "cfg")(c).passed


def test_endpoints_and_answers_from_outside_on_a_real_cluster():
    c = Cluster.minikube()
    assert endpoints_ready("web", 2)(c).message == (
        'Service "web" was not found in namespace "default", so it has no endpoints; the task '
        "asks for 2.")
    c.kubectl("create deployment web --image=kubelearn/hello:1 --replicas=2")
    c.kubectl("expose deployment web --port=80 --target-port=8080")
    assert endpoints_ready("web", 2)(c).message == (
        'Service "web" has 0 ready endpoints (its selector picks no Ready pod); the task asks '
        "for 2.")
    outside = answers_http("web", contains="Hello from kubelearn/hello")
    assert outside(c).message == (
        'Service "web" is of type ClusterIP: it opens no port on the nodes, so nothing outside '
        "the cluster can call it; the task asks for it to answer from outside.")
    c.advance(30)
    ready = endpoints_ready("web", 2)(c)
    assert ready.passed and ready.message.startswith('Service "web" has 2 ready endpoints (10.244.')
    c.kubectl("delete service web")
    c.kubectl("expose deployment web --type=NodePort --port=80 --target-port=8080")
    port = c.kubectl("get svc web -o jsonpath={.spec.ports[0].nodePort}").stdout
    assert outside(c) == Outcome(True, "HTTP 200 with 'Hello from kubelearn/hello'", "HTTP 200",
                                 f'GET http://192.168.49.2:{port}/ answered HTTP 200 from '
                                 'Service "web".')
    assert answers_http("web", "/nothing")(c).message == (
        f"GET http://192.168.49.2:{port}/nothing answered HTTP 404 '404 page not found'; the "
        "task asks for HTTP 200.")
    c.kubectl("delete service web")
    c.kubectl("expose deployment web --type=NodePort --port=80 --target-port=9999")
    port = c.kubectl("get svc web -o jsonpath={.spec.ports[0].nodePort}").stdout
    assert outside(c).message == (
        f"GET http://192.168.49.2:{port}/ got no answer (Failed to connect to 192.168.49.2 port "
        f'{port}: Connection refused); the task asks for Service "web" to answer from outside.')
