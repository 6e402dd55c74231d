"""A control plane with only the controllers under test.

``mini(ControllerClass, ...)`` builds a store, clock and API server and runs the
given controllers with ``Cluster``'s own dispatch, ``run_now``, ``advance`` and
``settle``, so a test sees one controller's writes and nothing else's (no
scheduler, no kubelets).
"""
from __future__ import annotations

import random

import pytest

from kubelearn.apiserver.events import EventRecorder
from kubelearn.apiserver.server import APIServer
from kubelearn.apiserver.store import Store
from kubelearn.clock import Clock
from kubelearn.cluster import Cluster

CA_BUNDLE = "-----BEGIN CERTIFICATE-----\nTUlOSQ==\n-----END CERTIFICATE-----\n"


class MiniCluster:
    _dispatch = Cluster._dispatch
    run_now = Cluster.run_now
    advance = Cluster.advance
    settle = Cluster.settle

    def __init__(self, controller_classes, namespaces=("default",)):
        self.rng = random.Random(0)
        self.clock = Clock()
        self.store = Store()
        self.api = APIServer(self.store, self.clock, self.rng)
        self.events = EventRecorder(self.api)
        self.ca_bundle = CA_BUNDLE
        self.controllers = [cls(self) for cls in controller_classes]
        self._routes = {}
        for ctrl in self.controllers:
            for kind in ctrl.watches:
                self._routes.setdefault(kind, []).append(ctrl)
        self.store.watch(self._dispatch)
        for ns in namespaces:
            self.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})

    def create(self, obj, namespace=None):
        stored = self.api.create(obj, namespace)
        self.run_now()
        return stored

    def delete(self, kind, name, namespace="", **kwargs):
        result = self.api.delete(kind, name, namespace, **kwargs)
        self.run_now()
        return result

    def exists(self, kind, name, namespace=""):
        return self.store.get(kind, namespace, name) is not None


@pytest.fixture
def mini():
    return MiniCluster
