"""Cluster: the public entry point and its simulated-time loop."""
import pytest

from kubelearn import Cluster
from kubelearn import clock as clock_module
from kubelearn import cluster as cluster_module
from kubelearn.api.view import ObjectView
from kubelearn.apiserver.errors import StatusError
from kubelearn.cluster import SettleReport
from kubelearn.controllers.base import Controller

POD = """
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx}]
"""


@pytest.fixture(scope="module")
def booted():
    """One booted cluster for read-only tests."""
    return Cluster()


@pytest.fixture
def c():
    return Cluster()


def test_a_default_cluster_is_kubeadm_like(booted):
    assert booted.name == "kubernetes" and booted.flavour == "kubeadm" and booted.seed == 0
    assert [n["metadata"]["name"] for n in booted.api.list("Node")] == [
        "control-plane", "worker-1", "worker-2"]


def test_boot_leaves_the_clock_at_one_minute(booted):
    assert booted.now == booted.clock.now == 60


def test_repr(booted):
    pods = booted.store.count("Pod")
    assert repr(booted) == f"<Cluster 'kubernetes': 3 nodes, {pods} pods, t=60s>"


def test_minikube_flavour():
    m = Cluster.minikube()
    assert (m.name, m.flavour) == ("minikube", "minikube")
    assert [n["metadata"]["name"] for n in m.api.list("Node")] == ["minikube"]
    assert repr(m).startswith("<Cluster 'minikube': 1 nodes, ")


def test_workers_and_name_shape_the_cluster():
    c = Cluster(workers=1, name="lab", boot=False)
    assert c.name == "lab"
    assert [n.name for n in c.profile.nodes] == ["control-plane", "worker-1"]
    assert c.store.count("Node") == 0 and c.now == 0        # boot=False: nothing created


def test_get_returns_a_read_only_view(c):
    svc = c.get("service", "kubernetes")
    assert isinstance(svc, ObjectView)
    assert svc.spec.clusterIP == "10.96.0.1"
    assert svc["metadata"]["namespace"] == "default"
    with pytest.raises(AttributeError, match="read-only"):
        svc.spec = {}
    with pytest.raises(TypeError):
        svc["spec"] = {}


def test_get_returns_a_copy(c):
    view = c.get("svc", "kubernetes")
    c.api.patch("Service", "kubernetes", "default", {"metadata": {"labels": {"new": "yes"}}})
    assert "new" not in view.metadata.labels                 # a snapshot, not the live object
    data = view.to_dict()
    data["spec"]["clusterIP"] = "1.2.3.4"
    assert view.spec.clusterIP == "10.96.0.1"
    assert c.api.get("Service", "kubernetes", "default")["spec"]["clusterIP"] == "10.96.0.1"


def test_get_with_a_namespace_and_for_cluster_scoped_kinds(c):
    assert c.get("deploy", "coredns", "kube-system").metadata.name == "coredns"
    assert c.get("node", "worker-1", "ignored").kind == "Node"


def test_get_missing_is_not_found(c):
    with pytest.raises(StatusError) as info:
        c.get("deployment", "web")
    assert info.value.message == 'deployments.apps "web" not found'


def test_get_unknown_resource_type(c):
    with pytest.raises(StatusError) as info:
        c.get("widgets", "x")
    assert info.value.message == 'the server doesn\'t have a resource type "widgets"'


def test_run_now_lets_controllers_catch_up_without_moving_time(c):
    c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert c.store.get("ServiceAccount", "dev", "default") is None
    c.run_now()
    assert c.store.get("ServiceAccount", "dev", "default") is not None
    assert c.now == 60


def test_kubectl_runs_the_controllers_after_the_command(c):
    c.kubectl("create namespace dev")
    assert c.store.get("ConfigMap", "dev", "kube-root-ca.crt") is not None


def test_advance_moves_time_and_fires_what_is_due(c):
    fired = []
    c.clock.call_later(5, lambda: fired.append(c.now))
    c.clock.call_later(50, lambda: fired.append(c.now))
    c.advance(10)
    assert fired == [65] and c.now == 70
    c.advance(40)
    assert fired == [65, 110] and c.now == 110


def test_advance_runs_controllers_after_each_timer(c):
    c.clock.call_later(1, lambda: c.api.create(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "later"}}))
    c.advance(2)
    assert c.store.get("ServiceAccount", "later", "default") is not None


def test_settle_runs_until_only_background_work_is_left(c):
    c.apply(POD)
    report = c.settle()
    assert report.settled and report.pending == []
    assert report.seconds == c.now - 60 > 0
    assert c.api.get("Pod", "web", "default")["status"]["phase"] == "Running"
    assert repr(report) == f"settled after {report.seconds:g}s of simulated time"


def test_settle_when_nothing_is_pending_takes_no_time(c):
    c.settle()
    before = c.now
    report = c.settle()
    assert (report.seconds, report.settled, c.now) == (0, True, before)


def test_settle_reports_what_is_still_pending(c):
    c.clock.call_later(1000, lambda: None, label="slow job")
    report = c.settle(max_seconds=100)
    assert not report.settled
    assert report.seconds == 100 and c.now == 160
    assert report.pending == ["slow job at 1060s"]
    assert repr(report) == ("not settled after 100s of simulated time; still pending: "
                            "slow job at 1060s")


def test_settle_report_repr():
    assert repr(SettleReport(2.5, True)) == "settled after 2.5s of simulated time"
    assert repr(SettleReport(600, False, ["a at 1s", "b at 2s"])) == (
        "not settled after 600s of simulated time; still pending: a at 1s, b at 2s")


class Restless(Controller):
    """A broken controller that always finds more to do."""
    name = "restless"
    watches = ()

    def reconcile(self, key):
        self.enqueue(key)


def test_a_controller_that_never_settles_is_reported_not_hung(c, monkeypatch):
    monkeypatch.setattr(cluster_module, "MAX_STEPS_PER_INSTANT", 50)
    restless = Restless(c)
    c.controllers.append(restless)
    restless.enqueue("again")
    with pytest.raises(RuntimeError, match="controllers did not settle: more than 50 "
                                           "reconciles at one instant"):
        c.run_now()


def test_a_timer_that_keeps_re_arming_itself_is_reported_not_hung(c, monkeypatch):
    monkeypatch.setattr(clock_module, "MAX_FIRES_PER_INSTANT", 50)

    def again():
        c.clock.call_later(0, again, label="broken: retry forever")

    c.clock.call_later(5, again, label="broken: retry forever")
    start = c.now
    with pytest.raises(RuntimeError, match="timer 'broken: retry forever' fired more than 50 "
                                           "times at .*: it keeps re-arming itself"):
        c.advance(60)
    assert c.now == start + 5
    c.clock.call_later(5, again, label="broken: retry forever")
    with pytest.raises(RuntimeError, match="broken: retry forever"):
        c.settle()          # settle() reports it the same way


def test_apply_is_kubectl_apply_from_stdin(c):
    result = c.apply(POD)
    assert (result.stdout, result.stderr, result.exit_code) == ("pod/web created\n", "", 0)
    assert c.api.get("Pod", "web", "default")["metadata"]["annotations"][
        "kubectl.kubernetes.io/last-applied-configuration"].startswith('{"apiVersion":"v1"')


def test_diagram_describes_the_cluster(booted):
    pods = booted.store.count("Pod")
    assert repr(booted.diagram()) == f"Cluster kubernetes: 3 nodes, {pods} pods"


def test_a_cluster_becomes_the_current_context(c):
    assert c.kubeconfig.cluster() is c
    assert c.kubeconfig.context_of(c).name == "kubernetes-admin@kubernetes"


class GcProbe(Controller):
    """Records the garbage collector's thresholds while it reconciles."""
    name = "gc-probe"
    watches = ()

    def __init__(self, cluster):
        super().__init__(cluster)
        self.seen = []

    def reconcile(self, key):
        import gc

        self.seen.append(gc.get_threshold())


def test_full_collections_are_held_off_while_controllers_run_and_restored_after(c):
    import gc

    probe = GcProbe(c)
    c.controllers.append(probe)
    before = gc.get_threshold()
    probe.enqueue("now")
    c.run_now()
    c.clock.call_later(1, lambda: probe.enqueue("later"))
    c.advance(2)
    c.clock.call_later(1, lambda: probe.enqueue("settle"))
    c.settle()
    paused = (before[0], before[1], cluster_module.NO_FULL_COLLECTIONS)
    assert probe.seen == [paused, paused, paused]     # young collections go on
    assert gc.get_threshold() == before and gc.isenabled()


def test_nested_bursts_restore_the_callers_thresholds():
    import gc

    before = gc.get_threshold()
    gc.set_threshold(500, 5, 7)
    try:
        with cluster_module.full_collections_paused():
            with cluster_module.full_collections_paused():
                assert gc.get_threshold() == (500, 5, cluster_module.NO_FULL_COLLECTIONS)
            assert gc.get_threshold() == (500, 5, cluster_module.NO_FULL_COLLECTIONS)
        assert gc.get_threshold() == (500, 5, 7)
    finally:
        gc.set_threshold(*before)


def test_the_thresholds_come_back_when_a_burst_fails():
    import gc

    before = gc.get_threshold()
    with pytest.raises(ZeroDivisionError):
        with cluster_module.full_collections_paused():
            1 / 0
    assert gc.get_threshold() == before


def test_run_controllers_takes_one_key_per_controller_in_turn(c):
    order = []

    class Named(Controller):
        watches = ()

        def reconcile(self, key):
            order.append((self.name, key))

    first, second = Named(c), Named(c)
    first.name, second.name = "first", "second"
    for key in ("a", "b", "a"):          # "a" twice before it is processed: once
        first.enqueue(key)
    second.enqueue("x")
    cluster_module.run_controllers([first, second])
    assert order == [("first", "a"), ("second", "x"), ("first", "b")]
    assert not first.queue.waiting and not second.queue.waiting


def test_http_get_from_a_pod_resolves_service_names_in_its_namespace():
    c = Cluster.minikube()
    c.kubectl("create namespace shop")
    c.kubectl("run client --image=kubelearn/hello:1")
    c.kubectl("run client -n shop --image=kubelearn/hello:1")
    c.kubectl("create deployment web --image=nginx")
    c.kubectl("expose deployment web --port=80")
    c.settle()
    assert c.http_get("http://web", from_pod="client").status == 200
    assert c.http_get("http://web.default", from_pod="shop/client").status == 200
    assert c.http_get("http://web.default", from_pod=("shop", "client")).pod.startswith(
        "default/web-")
    with pytest.raises(ConnectionError, match="Could not resolve host: web"):
        c.http_get("http://web", from_pod="shop/client")
    with pytest.raises(StatusError, match='pods "nobody" not found'):
        c.http_get("http://web", from_pod="nobody")
