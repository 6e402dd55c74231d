"""Fixtures for the kubectl front-end tests: a fresh cluster, a working directory
for ``-f`` files, and a snapshot of everything the API server stores.

Golden strings in these tests come from real kubectl 1.32 where kubectl can
produce them without a cluster (flag errors, ``--dry-run=client``, usage
errors); the rest follow the upstream source (pkg/cmd/get, apply, delete,
label, create, config, util/helpers.go) and kubectl-reference.md.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster

WEB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
"""

WEB_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
"""

APP_CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  color: blue
"""


@pytest.fixture
def cluster():
    """A fresh kubeadm-like cluster (control-plane, worker-1, worker-2; seed 0)."""
    return Cluster()


@pytest.fixture
def files(tmp_path, monkeypatch):
    """``files("web.yaml", text)`` writes a file in a fresh current directory,
    where kubectl reads ``-f`` paths from."""
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    write.dir = tmp_path
    return write


def _snapshot(cluster) -> tuple:
    """Everything a failed command must leave alone: every stored object (as
    ``get -o yaml`` shows it) and the store's resourceVersion counter."""
    everything = cluster.kubectl(
        "get all,configmaps,secrets,namespaces,serviceaccounts,endpoints,"
        "persistentvolumes,persistentvolumeclaims,storageclasses,nodes -A -o yaml")
    assert everything.exit_code == 0, everything.stderr
    return (cluster.kubectl("get all -A -o yaml").stdout, everything.stdout,
            cluster.store.resource_version)


@pytest.fixture
def snapshot():
    """``snapshot(cluster)``: compare before/after to prove a command changed nothing."""
    return _snapshot


@pytest.fixture
def manifests():
    """The sample manifests: ``manifests.WEB_DEPLOYMENT``, ``WEB_SERVICE``, ``APP_CONFIG``."""
    from types import SimpleNamespace

    return SimpleNamespace(WEB_DEPLOYMENT=WEB_DEPLOYMENT, WEB_SERVICE=WEB_SERVICE,
                           APP_CONFIG=APP_CONFIG)
