"""Fixtures for the grading tests: a small fake API server and two sample exercises.

The fake serves plain Kubernetes-shaped dicts through the same ``get``/``list``
calls the checks make on ``cluster.api`` (NotFound as a ``StatusError``,
selectors matched by the real ``Selector``), so check wording can be tested
on exact states without running controllers. Tests that need a real cluster
use ``kubelearn.Cluster``.

Every test runs as a new learner: ``KUBELEARN_HOME`` is a fresh temporary
folder (``check`` and ``solve`` write progress there, never to the real home),
no learner id is set, and it is not a grading run.
"""
from __future__ import annotations

import pytest

from kubelearn.api.kinds import KindInfo, kind_info
from kubelearn.apiserver.errors import not_found
from kubelearn.grading import feedback, store, variants
from kubelearn.grading.checks import exists, field_equals, label_equals
from kubelearn.grading.model import Check, Exercise
from kubelearn.grading.registry import REGISTRY


@pytest.fixture(autouse=True)
def learner_home(tmp_path_factory, monkeypatch):
    """A progress folder of the test's own; no learner id; not a grading run."""
    home = tmp_path_factory.mktemp("kubelearn-home")
    monkeypatch.setenv(store.ENV_HOME, str(home))
    monkeypatch.delenv(variants.ENV_LEARNER, raising=False)
    monkeypatch.delenv(variants.ENV_GRADING, raising=False)
    monkeypatch.setitem(variants._state, "learner", None)
    store.take_notices()
    yield home
    store.take_notices()


class FakeAPI:
    def __init__(self, objects=()):
        self.objects = {}
        for obj in objects:
            self.add(obj)

    def add(self, obj: dict) -> None:
        meta = obj["metadata"]
        ns = meta.get("namespace", "default") if kind_info(obj["kind"]).namespaced else ""
        self.objects[(obj["kind"], ns, meta["name"])] = obj

    def get(self, kind, name, namespace=""):
        info = kind if isinstance(kind, KindInfo) else kind_info(kind)
        obj = self.objects.get((info.kind, namespace if info.namespaced else "", name))
        if obj is None:
            raise not_found(info.resource_ref, name)
        return obj

    def list(self, kind, namespace=None, selector=None):
        info = kind if isinstance(kind, KindInfo) else kind_info(kind)
        return [o for (k, ns, _), o in sorted(self.objects.items())
                if k == info.kind and (namespace is None or ns == namespace)
                and (selector is None or selector.matches(o["metadata"].get("labels")))]


class FakeCluster:
    def __init__(self, *objects):
        self.api = FakeAPI(objects)


def deployment(name="web", replicas=3, image="nginx", labels=None, namespace="default"):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "labels": labels or {"app": name}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "c", "image": image}]}}}}


def pod(name, phase="Running", labels=None, namespace="default", waiting=None, deleting=False):
    status = {"phase": phase}
    if waiting:
        status["containerStatuses"] = [{"name": "c", "state": {"waiting": {"reason": waiting}}}]
    meta = {"name": name, "namespace": namespace, "labels": labels or {"app": "web"}}
    if deleting:
        meta["deletionTimestamp"] = "2024-01-01T00:00:30Z"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}, "status": status}


@pytest.fixture
def make_cluster():
    return FakeCluster


@pytest.fixture
def objects():
    """Builders for Kubernetes-shaped dicts: ``objects.deployment(...)``, ``objects.pod(...)``."""
    class Objects:
        pass
    Objects.deployment = staticmethod(deployment)
    Objects.pod = staticmethod(pod)
    return Objects


WEB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
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
"""


def sample_exercises() -> tuple[Exercise, Exercise]:
    """Two exercises in a chapter (90) that no real chapter uses."""
    web = Exercise(
        id="90.1", title="Create the web Deployment",
        task="Create a Deployment `web` (image `nginx`, 3 replicas, label `tier=frontend`) "
             "and a Service `web` on port 80.",
        checks=(
            Check("exists", "the Deployment web exists", 1, exists("Deployment", "web")),
            Check("replicas", "it has 3 replicas", 2,
                  field_equals("Deployment", "web", "spec.replicas", 3),
                  tip="scale the Deployment."),
            Check("label", "it has the label tier=frontend", 1,
                  label_equals("Deployment", "web", "tier", "frontend")),
            Check("image", "it runs nginx", 1, field_equals(
                "Deployment", "web", "spec.template.spec.containers[0].image", "nginx")),
            Check("service", "a Service web exists", 1, exists("Service", "web"), hidden=True),
            Check("port", "the Service listens on port 80", 1,
                  field_equals("Service", "web", "spec.ports[0].port", 80), hidden=True),
        ),
        hints=("Which kubectl verb makes objects from a manifest?",
               "`kubectl apply -f -` reads a manifest; `kubectl label` adds labels.",
               "Apply a Deployment with replicas: 3, label it tier=frontend, then apply a "
               "Service with port 80."),
        solution=(("apply -f -", WEB_DEPLOYMENT),
                  "label deployment web tier=frontend",
                  ("apply -f -", WEB_SERVICE)),
    )
    settings = Exercise(
        id="90.2", title="A ConfigMap from a manifest",
        task="Apply a ConfigMap `settings` with `mode: fast`.",
        checks=(Check("mode", "settings has mode=fast", 1,
                      field_equals("ConfigMap", "settings", "data.mode", "fast")),),
        hints=("A ConfigMap keeps its values under `data`.",),
        solution=(("apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
                   "data:\n  mode: fast\n"),),
    )
    return web, settings


@pytest.fixture
def samples():
    """The two sample exercises, registered for one test; the kernel record starts empty."""
    feedback.RECORD.__init__()
    exercises = sample_exercises()
    with REGISTRY.temporary(*exercises):
        yield exercises
    feedback.RECORD.__init__()
