"""Common wrong end states, each with a stable id and the hint that fixes it.

"Expected 2, found 0" says *what* is wrong; a learner who made a classic
mistake learns more from a sentence about *that* mistake: "Your Service has 0
endpoints: compare spec.selector with the pod labels". Each builder here
returns a :class:`~kubelearn.grading.model.Misconception` for one exercise's
objects; exercises attach them to the check whose failure they explain::

    Check("endpoints", ..., endpoints_ready("web", 2),
          misconceptions=(selector_matches_no_pod("web"),))

A misconception's test runs only after its check failed, reads state through
``cluster.api`` (and, for environment variables, what the kubelet started a
container with), and changes nothing. The ids are stable: instructors count
them per exercise ("38% of the class hit selector-matches-no-pod on 4.1"),
so a new wording keeps its id, and a new mistake gets a new id.

None of these fires on an exercise's untouched starting state: a misconception
is something a learner did (tests/grading check this for every exercise).
"""
from __future__ import annotations

from kubelearn.api.selector import selector_from_label_selector
from kubelearn.apiserver.errors import StatusError
from kubelearn.grading.model import Misconception

__all__ = ["SELECTOR_MATCHES_NO_POD", "IMAGE_PULL_ERROR", "WRONG_NAMESPACE",
           "PODS_STARTED_BEFORE_SERVICE", "CLAIM_PENDING", "CLAIM_CLASS_MISMATCH",
           "PORT_VS_TARGET_PORT", "selector_matches_no_pod", "image_pull_error",
           "wrong_namespace", "pods_started_before_service", "claim_pending",
           "claim_class_mismatch", "port_vs_target_port"]

SELECTOR_MATCHES_NO_POD = "selector-matches-no-pod"
IMAGE_PULL_ERROR = "image-pull-error"
WRONG_NAMESPACE = "wrong-namespace"
PODS_STARTED_BEFORE_SERVICE = "pods-started-before-service"
CLAIM_PENDING = "claim-pending"
CLAIM_CLASS_MISMATCH = "claim-class-mismatch"
PORT_VS_TARGET_PORT = "port-vs-targetport"

PULL_ERRORS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName")


def _get(cluster, kind: str, name: str, namespace: str = "default") -> dict | None:
    try:
        return cluster.api.get(kind, name, namespace)
    except StatusError as err:
        if err.reason == "NotFound":
            return None
        raise


def _live(objs) -> list[dict]:
    return [o for o in objs if not o["metadata"].get("deletionTimestamp")]


def _deployment_pods(cluster, name: str, namespace: str) -> list[dict]:
    deployment = _get(cluster, "Deployment", name, namespace)
    if deployment is None:
        return []
    selector = selector_from_label_selector(deployment["spec"].get("selector"))
    return _live(cluster.api.list("Pod", namespace, selector))


# -- Services ------------------------------------------------------------------------------------

def selector_matches_no_pod(service: str, namespace: str = "default") -> Misconception:
    """The Service has a selector, and no pod of its namespace carries those labels."""
    def test(cluster, outcome) -> bool:
        svc = _get(cluster, "Service", service, namespace)
        selector = ((svc or {}).get("spec") or {}).get("selector") or {}
        if not selector:
            return False
        return not any(all((p["metadata"].get("labels") or {}).get(k) == v
                           for k, v in selector.items())
                       for p in _live(cluster.api.list("Pod", namespace)))
    return Misconception(SELECTOR_MATCHES_NO_POD,
                         "Your Service has 0 endpoints: compare spec.selector with the pod labels",
                         test)


def port_vs_target_port(service: str, target_port: int,
                        namespace: str = "default") -> Misconception:
    """The Service forwards to a targetPort other than the one the app listens on
    (``kubectl expose --port=80`` alone makes targetPort 80 too)."""
    def test(cluster, outcome) -> bool:
        svc = _get(cluster, "Service", service, namespace)
        ports = ((svc or {}).get("spec") or {}).get("ports") or []
        return bool(ports) and ports[0].get("targetPort", ports[0].get("port")) != target_port
    return Misconception(
        PORT_VS_TARGET_PORT,
        f"port is where the Service listens; targetPort is where it sends the traffic, the "
        f"container's port ({target_port}). Without --target-port, kubectl expose uses the "
        "same number for both", test)


def pods_started_before_service(deployment: str, service: str,
                                namespace: str = "default") -> Misconception:
    """The Service exists now, but a running container of the Deployment started
    before it, so the kubelet gave it no ``<SERVICE>_SERVICE_HOST``."""
    from kubelearn.node.env import container_env

    variable = service.upper().replace("-", "_") + "_SERVICE_HOST"

    def test(cluster, outcome) -> bool:
        svc = _get(cluster, "Service", service, namespace)
        if svc is None or (svc.get("spec") or {}).get("clusterIP") in (None, "", "None"):
            return False
        for pod in _deployment_pods(cluster, deployment, namespace):
            if (pod.get("status") or {}).get("phase") != "Running":
                continue
            for container in (pod.get("spec") or {}).get("containers") or []:
                env = container_env(cluster, namespace, pod["metadata"]["name"],
                                    container.get("name", ""))
                if env is not None and variable not in dict(env):
                    return True
        return False
    return Misconception(
        PODS_STARTED_BEFORE_SERVICE,
        f'The {deployment} pods started before Service "{service}" existed, and the kubelet '
        f"sets {variable} only when a container starts: restart the pods (kubectl rollout "
        f"restart deployment {deployment})", test)


# -- workloads -----------------------------------------------------------------------------------

def image_pull_error(deployment: str, namespace: str = "default") -> Misconception:
    """A pod of the Deployment waits in ErrImagePull / ImagePullBackOff: most often a
    typo in the image name or tag."""
    def test(cluster, outcome) -> bool:
        return any(((cs.get("state") or {}).get("waiting") or {}).get("reason") in PULL_ERRORS
                   for pod in _deployment_pods(cluster, deployment, namespace)
                   for cs in (pod.get("status") or {}).get("containerStatuses") or [])
    return Misconception(
        IMAGE_PULL_ERROR,
        "A pod cannot pull its image (ErrImagePull, then ImagePullBackOff): look for a typo in "
        "the image name or tag; kubectl describe pod shows the image it tried", test)


def wrong_namespace(kind: str, name: str, namespace: str, wanted=None) -> Misconception:
    """The object is not in ``namespace`` but one of that kind and name is in
    another; or, with ``wanted(obj) -> bool``, the one in ``namespace`` is not as
    wanted while one elsewhere is (scaled or changed in the wrong namespace)."""
    def test(cluster, outcome) -> bool:
        here = _get(cluster, kind, name, namespace)
        others = [o for o in cluster.api.list(kind)
                  if o["metadata"]["name"] == name
                  and o["metadata"].get("namespace", "") != namespace]
        if here is None:
            return bool(others)
        return wanted is not None and not wanted(here) and any(wanted(o) for o in others)
    return Misconception(
        WRONG_NAMESPACE,
        f'kubectl works in the namespace "default" unless told otherwise: add -n {namespace} to '
        f"kubectl commands, or namespace: {namespace} under the manifest's metadata", test)


# -- storage -------------------------------------------------------------------------------------

def claim_pending(claim: str, namespace: str = "default") -> Misconception:
    """The claim stays Pending: no volume matches it and its class provisions none."""
    def test(cluster, outcome) -> bool:
        pvc = _get(cluster, "PersistentVolumeClaim", claim, namespace)
        return pvc is not None and (pvc.get("status") or {}).get("phase", "Pending") == "Pending"
    return Misconception(
        CLAIM_PENDING,
        "The claim is Pending: no PersistentVolume matches it (storage class, access modes, "
        "size) and its storage class has no provisioner to make one; kubectl describe pvc says "
        "which, and kubectl get pv shows what there is", test)


def claim_class_mismatch(claim: str, volume: str, namespace: str = "default") -> Misconception:
    """The claim's storage class differs from the volume it should bind: a claim
    without ``storageClassName`` gets the default class, and its provisioner makes
    a new volume instead."""
    def test(cluster, outcome) -> bool:
        pvc = _get(cluster, "PersistentVolumeClaim", claim, namespace)
        pv = _get(cluster, "PersistentVolume", volume, "")
        if pvc is None or pv is None:
            return False
        return (pvc.get("spec") or {}).get("storageClassName") != \
            (pv.get("spec") or {}).get("storageClassName")
    return Misconception(
        CLAIM_CLASS_MISMATCH,
        f"The claim's storageClassName differs from the volume's: a claim binds only a volume "
        f"of its own class, and a claim without one gets the default class (standard), whose "
        f"provisioner makes a new volume instead of {volume}", test)
