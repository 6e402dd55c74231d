"""Tests for kubelearn.node.registry (and the image catalogue in kubelearn.node.images)."""

import hashlib
import json

import pytest

from kubelearn.node.images import KUBEADM_PRELOADED, MINIKUBE_PRELOADED
from kubelearn.node.registry import InvalidReference, Registry, normalize, parse_reference


@pytest.fixture(scope="module")
def registry():
    return Registry()


@pytest.mark.parametrize("ref, full", [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.25", "docker.io/library/nginx:1.25"),
    ("library/nginx:1.25", "docker.io/library/nginx:1.25"),
    ("docker.io/nginx:1.25", "docker.io/library/nginx:1.25"),
    ("index.docker.io/library/nginx", "docker.io/library/nginx:latest"),
    ("repo/my-docker-image", "docker.io/repo/my-docker-image:latest"),
    ("kubelearn/hello:2", "docker.io/kubelearn/hello:2"),
    ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
    ("registry.k8s.io/coredns/coredns:v1.11.3", "registry.k8s.io/coredns/coredns:v1.11.3"),
    ("localhost:5000/app", "localhost:5000/app:latest"),
])
def test_references_normalise_as_docker_does(ref, full):
    assert normalize(ref) == full


def test_familiar_name_drops_default_registry_and_library():
    assert parse_reference("docker.io/library/nginx:1.25").familiar_repository == "nginx"
    assert parse_reference("repo/app").familiar_repository == "repo/app"
    assert parse_reference("gcr.io/k8s-minikube/storage-provisioner:v5").familiar_repository \
        == "gcr.io/k8s-minikube/storage-provisioner"


@pytest.mark.parametrize("ref, message", [
    ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
    ("repo/App:1", "invalid reference format: repository name (repo/App) must be lowercase"),
    ("nginx:", "invalid reference format"),
    ("a" * 64, f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal "
               "strings"),
])
def test_invalid_references_are_refused_with_distribution_wording(ref, message):
    with pytest.raises(InvalidReference) as err:
        parse_reference(ref)
    assert str(err.value) == message


def test_resolve_any_spelling_of_a_reference(registry):
    image = registry.resolve("nginx:1.25")
    assert image is not None
    assert image.reference == "docker.io/library/nginx:1.25"
    assert image.size == 72950530
    assert image.familiar == "nginx:1.25"
    assert registry.resolve("docker.io/library/nginx:1.25") is image
    assert registry.resolve(f"nginx@{image.digest}") is image


def test_digest_is_sha256_of_the_name(registry):
    image = registry.resolve("busybox:1.36")
    expected = hashlib.sha256(b"docker.io/library/busybox:1.36").hexdigest()
    assert image.digest == "sha256:" + expected


def test_unknown_tags_and_repositories(registry):
    assert registry.resolve("nginx:doesnotexist") is None
    assert registry.has_repository("nginx:doesnotexist")
    assert registry.resolve("no-such-image") is None
    assert not registry.has_repository("no-such-image")
    assert registry.resolve("Nginx") is None
    assert "nginx:1.26" in registry
    assert "nginx:1.24" not in registry


def test_course_images_and_tags(registry):
    assert registry.tags("nginx") == ["1.25", "1.26", "1.27", "latest"]
    assert registry.tags("busybox") == ["1.36", "latest"]
    assert registry.tags("kubelearn/hello") == ["1", "2", "3"]
    for ref in ("repo/my-docker-image", "repo/new-image-name", "repo/my-image-name:latest",
                "gcr.io/k8s-minikube/storage-provisioner:v5"):
        assert registry.resolve(ref) is not None, ref


def test_system_images_are_the_ones_the_bootstrap_runs(registry):
    from kubelearn.bootstrap_objects import (CONTROL_PLANE_COMPONENTS, COREDNS_IMAGE,
                                             KUBE_PROXY_IMAGE, STORAGE_PROVISIONER_IMAGE)

    for _, image in CONTROL_PLANE_COMPONENTS:
        assert registry.resolve(image) is not None
        assert normalize(image) in KUBEADM_PRELOADED
    for image in (COREDNS_IMAGE, KUBE_PROXY_IMAGE, STORAGE_PROVISIONER_IMAGE):
        assert normalize(image) in MINIKUBE_PRELOADED
    assert normalize(STORAGE_PROVISIONER_IMAGE) not in KUBEADM_PRELOADED


def test_apps_are_plain_data(registry):
    for image in registry.images():
        json.dumps(image.app)          # no code, no objects: plain data only
    nginx = registry.resolve("nginx").app
    assert nginx["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert "Welcome to nginx!" in nginx["http"]["routes"]["/"]["body"]
    hello = registry.resolve("kubelearn/hello:2").app
    assert hello["http"]["port"] == 8080
    assert hello["version"] == "2"
    assert hello["http"]["routes"]["/healthz"]["status"] == 200
    assert hello["http"]["routes"]["/error"]["crash"] is True
    assert "{hostname}" in hello["http"]["routes"]["/"]["body"]
    assert registry.resolve("busybox").app["on_sigterm"] == "ignore"


def test_push_adds_an_image():
    registry = Registry()
    assert registry.resolve("myteam/api:0.1") is None
    image = registry.push("myteam/api", "0.1", size=12_345_678,
                          app={"ports": [{"containerPort": 3000, "protocol": "TCP"}]})
    assert registry.resolve("docker.io/myteam/api:0.1") is image
    assert image.pull_seconds == pytest.approx(0.5 + 12_345_678 / 20_000_000, abs=1e-3)
    assert image.app["ports"][0]["containerPort"] == 3000
    assert registry.tags("myteam/api") == ["0.1"]


def test_registries_are_independent():
    a, b = Registry(), Registry()
    a.push("only/here")
    assert a.resolve("only/here") is not None
    assert b.resolve("only/here") is None
