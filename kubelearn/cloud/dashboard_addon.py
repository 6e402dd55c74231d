"""minikube's dashboard addon as data: its images and the objects it applies.

From minikube's ``deploy/addons/dashboard/`` manifests, cut to what a learner
meets in ``kubectl get all -n kubernetes-dashboard``: the namespace, the two
service accounts, both Deployments (one replica each) and both Services. RBAC
objects, the secrets and the config map are left out. The dashboard's app
answers ``/`` with an abridged copy of its single-page app's ``index.html``.
"""
from __future__ import annotations

NAMESPACE = "kubernetes-dashboard"
ADDON_LABELS = {"addonmanager.kubernetes.io/mode": "Reconcile",
                "kubernetes.io/minikube-addons": "dashboard"}

DASHBOARD_INDEX = """<!--
Copyright 2017 The Kubernetes Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
-->
<!doctype html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <title>Kubernetes Dashboard</title>
  <link rel="icon" type="image/png" href="assets/images/kubernetes-logo.png">
  <meta name="viewport" content="width=device-width">
</head>
<body>
  <kd-root></kd-root>
</body>
</html>
"""


def images() -> list[dict]:
    """The addon's two images (sizes as the runtime reports them, rounded)."""
    return [
        {"ref": "docker.io/kubernetesui/dashboard:v2.7.0", "size": 74_084_559, "app": {
            "kind": "http", "version": "v2.7.0", "command": ["/dashboard"],
            "ports": [{"containerPort": 9090, "protocol": "TCP"}],
            "http": {"port": 9090, "routes": {
                "/": {"status": 200, "content_type": "text/html; charset=utf-8",
                      "body": DASHBOARD_INDEX}},
                "not_found": {"status": 404, "content_type": "text/plain; charset=utf-8",
                              "body": "404 page not found\n"}},
            "logs": {"startup": ["{time:go} Starting overwatch",
                                 "{time:go} Using namespace: kubernetes-dashboard",
                                 "{time:go} Serving insecurely on HTTP port: 9090"]},
            "on_sigterm": "exit", "stop_seconds": [0.1, 0.4]}},
        {"ref": "docker.io/kubernetesui/metrics-scraper:v1.0.8", "size": 19_746_404, "app": {
            "kind": "http", "version": "v1.0.8", "command": ["/metrics-sidecar"],
            "ports": [{"containerPort": 8000, "protocol": "TCP"}],
            "http": {"port": 8000, "routes": {
                "/": {"status": 200, "content_type": "text/plain; charset=utf-8",
                      "body": "URL: /\n"}},
                "not_found": {"status": 404, "content_type": "text/plain; charset=utf-8",
                              "body": "404 page not found\n"}},
            "logs": {"startup": ["{time:go} Kubernetes host: https://10.96.0.1:443"]},
            "on_sigterm": "exit", "stop_seconds": [0.1, 0.4]}},
    ]


def _deployment(name: str, image: str, port: int, args: list[str], probe_path: str) -> dict:
    labels = {"k8s-app": name, **ADDON_LABELS}
    container = {"name": name, "image": image, "ports": [{"containerPort": port,
                                                          "protocol": "TCP"}],
                 "livenessProbe": {"httpGet": {"path": probe_path, "port": port,
                                               "scheme": "HTTP"},
                                   "initialDelaySeconds": 30, "timeoutSeconds": 30}}
    if args:
        container["args"] = args
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": NAMESPACE, "labels": labels},
            "spec": {"replicas": 1, "revisionHistoryLimit": 10,
                     "selector": {"matchLabels": {"k8s-app": name}},
                     "template": {"metadata": {"labels": {"k8s-app": name, **ADDON_LABELS}},
                                  "spec": {"containers": [container],
                                           "nodeSelector": {"kubernetes.io/os": "linux"},
                                           "serviceAccountName": "kubernetes-dashboard"}}}}


def _service(name: str, port: int, target: int) -> dict:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": NAMESPACE,
                         "labels": {"k8s-app": name, **ADDON_LABELS}},
            "spec": {"ports": [{"port": port, "targetPort": target}],
                     "selector": {"k8s-app": name}}}


def objects() -> list[dict]:
    """In apply order: namespace, service accounts, services, deployments."""
    return [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": NAMESPACE, "labels": {**ADDON_LABELS,
                                                    "kubernetes.io/minikube-addons-endpoint":
                                                    "dashboard"}}},
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": "kubernetes-dashboard", "namespace": NAMESPACE,
                      "labels": {"k8s-app": "kubernetes-dashboard", **ADDON_LABELS}}},
        _service("kubernetes-dashboard", 80, 9090),
        _service("dashboard-metrics-scraper", 8000, 8000),
        _deployment("kubernetes-dashboard", "docker.io/kubernetesui/dashboard:v2.7.0", 9090,
                    ["--namespace=kubernetes-dashboard", "--enable-skip-login",
                     "--disable-settings-authorizer"], "/"),
        _deployment("dashboard-metrics-scraper",
                    "docker.io/kubernetesui/metrics-scraper:v1.0.8", 8000, [], "/"),
    ]
