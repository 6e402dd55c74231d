"""Fixtures for the widget tests: clusters, and a learner home of the test's own.

Widgets are built in-process, with no kernel and no browser: traits are set,
``button.click()`` runs the click handlers, and the tests look at the widget
models (their ``value`` HTML) and at the cluster. No asyncio loop runs unless
a test starts one, so refreshes happen only when a widget or the test flushes
the cluster's refresh hub: deterministic.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.grading import feedback, store, variants


@pytest.fixture(autouse=True)
def learner_home(tmp_path_factory, monkeypatch):
    """``check``/``solve`` write progress into a fresh folder, never the real home."""
    home = tmp_path_factory.mktemp("kubelearn-home")
    monkeypatch.setenv(store.ENV_HOME, str(home))
    monkeypatch.delenv(variants.ENV_LEARNER, raising=False)
    monkeypatch.delenv(variants.ENV_GRADING, raising=False)
    monkeypatch.setitem(variants._state, "learner", None)
    feedback.RECORD.__init__()
    store.take_notices()
    yield home
    feedback.RECORD.__init__()
    store.take_notices()


@pytest.fixture
def minikube():
    return Cluster.minikube()


@pytest.fixture
def web(minikube):
    """minikube with a settled Deployment ``web`` of 2 nginx replicas."""
    result = minikube.kubectl("create deployment web --image=nginx --replicas=2")
    assert result.exit_code == 0, result.stderr
    minikube.advance(30)
    return minikube
