"""``kubelearn.cloud.dashboard_addon``: what ``minikube dashboard`` applies."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.cloud import dashboard_addon
from kubelearn.cloud.minikube import enable_dashboard


def test_objects_come_in_apply_order_with_the_addon_labels():
    objects = dashboard_addon.objects()
    assert [(o["kind"], o["metadata"]["name"]) for o in objects] == [
        ("Namespace", "kubernetes-dashboard"),
        ("ServiceAccount", "kubernetes-dashboard"),
        ("Service", "kubernetes-dashboard"),
        ("Service", "dashboard-metrics-scraper"),
        ("Deployment", "kubernetes-dashboard"),
        ("Deployment", "dashboard-metrics-scraper")]
    for obj in objects:
        labels = obj["metadata"]["labels"]
        assert labels["addonmanager.kubernetes.io/mode"] == "Reconcile"
        assert labels["kubernetes.io/minikube-addons"] == "dashboard"


def test_the_images_are_the_ones_minikube_prints():
    assert [i["ref"] for i in dashboard_addon.images()] == [
        "docker.io/kubernetesui/dashboard:v2.7.0",
        "docker.io/kubernetesui/metrics-scraper:v1.0.8"]


def test_enabling_twice_creates_each_object_once_and_the_pods_run():
    c = Cluster.minikube()
    enable_dashboard(c)
    enable_dashboard(c)
    c.settle()
    assert "kubernetesui/dashboard:v2.7.0" in c.registry
    pods = c.kubectl("get pods -n kubernetes-dashboard").stdout.splitlines()[1:]
    assert len(pods) == 2 and all(" Running " in line for line in pods)
    svc = c.kubectl("get svc kubernetes-dashboard -n kubernetes-dashboard").stdout
    assert "ClusterIP" in svc and "80/TCP" in svc
    endpoints = c.api.store.get("Endpoints", "kubernetes-dashboard", "kubernetes-dashboard")
    assert endpoints["subsets"][0]["ports"][0]["port"] == 9090
