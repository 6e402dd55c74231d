"""The dashboard: tables like kubectl's, namespaces, selection, actions, coalesced refresh."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.widgets import Dashboard
from kubelearn.widgets.html import row_count


def test_cluster_dashboard_shows_the_workloads(web):
    d = web.dashboard()
    assert isinstance(d, Dashboard)
    assert "kubelearn-dashboard" in d._dom_classes
    assert repr(d) == "<Dashboard 'minikube': namespace default, t=90s>"
    assert d.namespace == "default"
    assert [s.title for s in d.sections] == ["Workloads", "Services", "Config and Storage",
                                             "Nodes", "Events"]
    assert row_count(d.pod_table.value) == 2
    assert row_count(d.table("Deployment").value) == 1
    assert row_count(d.table("ReplicaSet").value) == 1
    assert "kubelearn-pod-table" in d.pod_table._dom_classes
    assert 'class="kubelearn-ok">Running<' in d.pod_table.value


def test_first_deployment_is_selected_with_yaml_and_events(web):
    d = web.dashboard()
    assert d.workloads.selected == ("Deployment", "default", "web")
    assert d.scale_slider.value == 2
    assert d.scale_slider.layout.display is None and not d.scale_slider.disabled
    assert d.delete_pod_button.layout.display == "none"
    assert "$ kubectl get deployment web -n default -o yaml" in d.workloads.yaml.value
    assert "kind: Deployment" in d.workloads.yaml.value
    assert "ScalingReplicaSet" in d.workloads.events.value


def test_scale_slider_then_tick_shows_three_pods(web):
    d = web.dashboard()
    d.scale_slider.value = 3
    assert "$ kubectl scale deployment web --replicas=3 -n default" in d.output.value
    assert "deployment.apps/web scaled" in d.output.value
    d.clock.tick()
    assert row_count(d.pod_table.value) == 3
    assert web.api.get("Deployment", "web", "default")["spec"]["replicas"] == 3


def test_slider_follows_replicas_changed_elsewhere_without_scaling(web):
    d = web.dashboard()
    web.kubectl("scale deployment web --replicas=5")
    d.hub.flush()
    assert d.scale_slider.value == 5
    assert d.last_result is None              # syncing the slider ran no command


def test_delete_pod(web):
    d = web.dashboard()
    pod = web.api.list("Pod", "default")[0]["metadata"]["name"]
    d.workloads.choose("Pod", pod)
    assert not d.delete_pod_button.disabled
    assert d.scale_slider.layout.display == "none"
    d.delete_pod_button.click()
    assert f'pod "{pod}" deleted' in d.output.value
    assert f'data-key="default/{pod}"' not in d.pod_table.value
    assert d.workloads.selected is None       # the deleted pod is no longer selectable
    d.clock.step(30)
    assert row_count(d.pod_table.value) == 2  # the ReplicaSet made a new one


def test_restart_then_undo(web):
    d = web.dashboard()
    d.restart_button.click()
    assert "deployment.apps/web restarted" in d.output.value
    d.clock.step(60)
    d.undo_button.click()
    assert "$ kubectl rollout undo deployment/web -n default" in d.output.value
    assert "deployment.apps/web rolled back" in d.output.value


def test_undo_without_history_shows_kubectls_error(web):
    d = web.dashboard()
    d.undo_button.click()
    assert d.last_result.exit_code == 1
    assert 'class="kubelearn-pre kubelearn-stderr">error: no rollout history found' \
        in d.output.value


def test_stop_and_start_a_node():
    c = Cluster()
    d = c.dashboard()
    nodes = d.show("Nodes")
    worker = [n["metadata"]["name"] for n in c.api.list("Node")][-1]
    nodes.choose("Node", worker)
    assert not d.stop_node_button.disabled
    d.stop_node_button.click()
    assert worker in c.stopped_nodes
    assert f"node {worker} stopped" in d.output.value
    d.clock.step(60)
    assert 'class="kubelearn-bad">NotReady<' in d.table("Node").value
    d.start_node_button.click()
    assert worker not in c.stopped_nodes
    d.clock.step(10)
    assert 'class="kubelearn-bad">NotReady<' not in d.table("Node").value


def test_namespace_selector(web):
    d = web.dashboard()
    labels = [label for label, _ in d.namespace_select.options]
    assert labels[0] == "All namespaces"
    assert {"default", "kube-system"} <= set(labels)
    d.namespace = "kube-system"
    assert "data-key=\"kube-system/" in d.pod_table.value
    assert "web-" not in d.pod_table.value
    d.namespace = None
    assert "<th scope=\"col\">NAMESPACE</th>" in d.pod_table.value
    assert "web-" in d.pod_table.value and "kube-system/" in d.pod_table.value
    web.kubectl("create namespace shop")
    d.hub.flush()
    assert "shop" in [label for label, _ in d.namespace_select.options]
    assert d.namespace is None                  # still all namespaces


def test_other_tabs_redraw_when_opened(web):
    d = web.dashboard()
    services = d.services
    assert services.stale and services.rebuilds == 0
    d.show("Services")
    assert services.rebuilds == 1
    assert "kubernetes" in d.table("Service").value
    assert row_count(d.table("Endpoints").value) == 1


def test_secrets_show_keys_and_sizes_never_values(web):
    web.kubectl("create secret generic db --from-literal=password=s3cret")
    d = web.dashboard()
    config = d.show("Config and Storage")
    assert row_count(d.table("Secret").value) == 1
    config.choose("Secret", "db")
    detail = config.yaml.value
    assert "password:  6 bytes" in detail
    assert "s3cret" not in detail and "czNjcmV0" not in detail
    assert "s3cret" not in d.table("Secret").value


def test_events_tab(web):
    d = web.dashboard()
    d.show("Events")
    assert "ScalingReplicaSet" in d.table("Event").value
    assert "kubelearn-event-table" in d.table("Event")._dom_classes


def test_refresh_is_coalesced(web):
    """Hundreds of watch events, one redraw per flush (tick, action, cell)."""
    d = web.dashboard()
    events = []
    web.store.watch(events.append)
    before = d.rebuilds
    web.kubectl("scale deployment web --replicas=200")
    web.advance(60)
    assert len(events) > 1000
    assert d.rebuilds == before                 # nothing redrawn per event
    d.hub.flush()
    assert d.rebuilds == before + 1
    assert row_count(d.pod_table.value) == 200
    d.hub.flush()
    assert d.rebuilds == before + 1             # nothing new, no redraw
    d.clock.tick()
    assert d.rebuilds == before + 2             # one per tick
    d.scale("web", 100)
    assert d.rebuilds == before + 3             # one per action


def test_minikube_dashboard_addon_in_all_namespaces(minikube):
    result = minikube.minikube("dashboard")
    assert result.exit_code == 0
    d = minikube.dashboard(all_namespaces=True)
    table = d.table("Deployment").value
    assert "kubernetes-dashboard/kubernetes-dashboard" in table
    assert "dashboard-metrics-scraper" in table


def test_close_unsubscribes(web):
    d = web.dashboard()
    d.close()
    before = d.rebuilds
    web.advance(10)
    d.hub.flush()
    assert d.rebuilds == before
