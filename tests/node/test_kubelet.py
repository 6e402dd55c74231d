"""Tests for kubelearn.node.kubelet (with runtime and podstatus): pods as a kubelet runs them."""

import re

import pytest

from kubelearn import Cluster
from kubelearn.clock import parse_rfc3339
from kubelearn.node.kubelet import KubeletManager, kubelet_for
from kubelearn.node.runtime import IPAllocator, go_duration

CONDITION_ORDER = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                   "PodScheduled"]


def pod(name, image="nginx:1.25", container="nginx", **spec):
    containers = [{"name": container, "image": image, **spec.pop("container_extra", {})}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": containers, **spec}}


def events(c, name, namespace="default"):
    found = [e for e in c.api.list("Event", namespace) if e["involvedObject"]["name"] == name]
    found.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return found


def reasons(c, name):
    return [(e["reason"], e["message"]) for e in events(c, name)]


def run(c, obj):
    created = c.api.create(obj)
    c.run_now()
    return created


@pytest.fixture
def cluster():
    return Cluster()


def test_a_new_pod_waits_in_container_creating(cluster):
    run(cluster, pod("web"))
    p = cluster.api.get("Pod", "web", "default")
    status = p["status"]
    assert status["phase"] == "Pending"
    node = p["spec"]["nodeName"]
    assert status["hostIP"] == {"worker-1": "192.168.49.3", "worker-2": "192.168.49.4"}[node]
    assert status["hostIPs"] == [{"ip": status["hostIP"]}]
    assert "podIP" not in status
    assert [c["type"] for c in status["conditions"]] == CONDITION_ORDER
    ready = status["conditions"][2]
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False", "ContainersNotReady", "containers with unready status: [nginx]")
    cs = status["containerStatuses"][0]
    assert cs["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert cs["image"] == "nginx:1.25" and cs["imageID"] == "" and cs["started"] is False
    assert "containerID" not in cs


def test_a_pod_runs_with_kubelet_shaped_status(cluster):
    run(cluster, pod("web"))
    assert cluster.settle().settled
    p = cluster.api.get("Pod", "web", "default")
    status = p["status"]
    assert status["phase"] == "Running"
    assert [(c["type"], c["status"]) for c in status["conditions"]] == \
        [(t, "True") for t in CONDITION_ORDER]
    assert all(c["lastProbeTime"] is None for c in status["conditions"])
    cs = status["containerStatuses"][0]
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", cs["containerID"])
    assert cs["image"] == "docker.io/library/nginx:1.25"
    assert cs["imageID"] == cluster.registry.resolve("nginx:1.25").digest.join(
        ["docker.io/library/nginx@", ""])
    assert (cs["ready"], cs["started"], cs["restartCount"], cs["lastState"]) == (True, True, 0, {})
    assert set(cs["state"]) == {"running"}
    node = p["spec"]["nodeName"]
    cidr = {"worker-1": "10.244.1.", "worker-2": "10.244.2."}[node]
    assert status["podIP"].startswith(cidr)
    assert status["podIPs"] == [{"ip": status["podIP"]}]
    assert status["qosClass"] == "BestEffort"
    assert parse_rfc3339(status["startTime"]) <= parse_rfc3339(cs["state"]["running"]["startedAt"])


def test_events_of_a_first_pull(cluster):
    run(cluster, pod("web"))
    cluster.settle()
    got = events(cluster, "web")
    assert [e["reason"] for e in got] == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    node = cluster.api.get("Pod", "web", "default")["spec"]["nodeName"]
    assert got[0]["message"] == f"Successfully assigned default/web to {node}"
    assert got[1]["message"] == 'Pulling image "nginx:1.25"'
    assert re.fullmatch(r'Successfully pulled image "nginx:1\.25" in (\d+(\.\d+)?s|\d+ms) '
                        r'\((\d+(\.\d+)?s|\d+ms) including waiting\)\. '
                        r'Image size: 72950530 bytes\.',
                        got[2]["message"]), got[2]["message"]
    assert got[3]["message"] == "Created container: nginx"
    assert got[4]["message"] == "Started container nginx"
    for e in got[1:]:
        assert e["source"] == {"component": "kubelet", "host": node}
        assert e["involvedObject"]["fieldPath"] == "spec.containers{nginx}"
        assert e["type"] == "Normal"


def test_pull_time_includes_waiting_behind_another_pull(cluster):
    run(cluster, pod("a", nodeName="worker-1"))
    run(cluster, pod("b", nodeName="worker-1"))
    cluster.settle()

    def seconds(text):
        return float(text[:-2]) / 1000 if text.endswith("ms") else float(text[:-1])

    pulls = []
    for name in ("a", "b"):
        pulled = [e["message"] for e in events(cluster, name) if e["reason"] == "Pulled"][0]
        took, waited = re.search(r"in ([\d.]+m?s) \(([\d.]+m?s) including", pulled).groups()
        pulls.append((seconds(took), seconds(waited)))
    first, second = sorted(pulls, key=lambda p: p[1])
    assert first[0] == first[1] and first[0] > 3.5     # a full pull, nothing to wait for
    assert second[0] < 1                               # the layers were there by then...
    assert second[1] > first[0]                        # ...after waiting for the first pull


def test_if_not_present_reuses_an_image_already_on_the_node(cluster):
    run(cluster, pod("a", nodeName="worker-1"))
    cluster.settle()
    run(cluster, pod("b", nodeName="worker-1"))
    cluster.settle()
    assert reasons(cluster, "b") == [
        ("Pulled", 'Container image "nginx:1.25" already present on machine'),
        ("Created", "Created container: nginx"), ("Started", "Started container nginx")]


def test_always_pulls_even_when_present(cluster):
    run(cluster, pod("a", nodeName="worker-1"))
    cluster.settle()
    run(cluster, pod("b", nodeName="worker-1", container_extra={"imagePullPolicy": "Always"}))
    cluster.settle()
    assert [r for r, _ in reasons(cluster, "b")] == ["Pulling", "Pulled", "Created", "Started"]


def test_control_plane_images_are_pre_pulled(cluster):
    run(cluster, pod("cp", image="registry.k8s.io/pause:3.10", container="pause",
                     nodeName="control-plane"))
    cluster.settle()
    assert reasons(cluster, "cp")[0] == (
        "Pulled", 'Container image "registry.k8s.io/pause:3.10" already present on machine')


def test_never_without_the_image(cluster):
    run(cluster, pod("n", container_extra={"imagePullPolicy": "Never"}))
    cluster.settle()
    status = cluster.api.get("Pod", "n", "default")["status"]
    waiting = status["containerStatuses"][0]["state"]["waiting"]
    msg = 'Container image "nginx:1.25" is not present with pull policy of Never'
    assert waiting == {"message": msg, "reason": "ErrImageNeverPull"}
    assert ("ErrImageNeverPull", msg) in reasons(cluster, "n")
    assert ("Failed", "Error: ErrImageNeverPull") in reasons(cluster, "n")


def test_a_missing_image_backs_off(cluster):
    run(cluster, pod("bad", image="nginx:doesnotexist"))
    assert cluster.settle().settled        # retries are background work
    status = cluster.api.get("Pod", "bad", "default")["status"]
    assert status["phase"] == "Pending"
    assert "podIP" in status                # the sandbox exists; only the image is missing
    assert status["containerStatuses"][0]["state"] == {"waiting": {
        "message": 'Back-off pulling image "nginx:doesnotexist"', "reason": "ImagePullBackOff"}}
    full = "docker.io/library/nginx:doesnotexist"
    assert reasons(cluster, "bad")[1:] == [
        ("Pulling", 'Pulling image "nginx:doesnotexist"'),
        ("Failed", f'Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound desc = '
                   f'failed to pull and unpack image "{full}": failed to resolve reference '
                   f'"{full}": {full}: not found'),
        ("Failed", "Error: ErrImagePull"),
        ("BackOff", 'Back-off pulling image "nginx:doesnotexist"'),
        ("Failed", "Error: ImagePullBackOff"),
    ]
    cluster.advance(200)                    # pulls again after 10s, 20s, 40s, 80s of back-off
    pulling = [e for e in events(cluster, "bad") if e["reason"] == "Pulling"][0]
    assert pulling["count"] == 5
    assert cluster.api.get("Pod", "bad", "default")["status"]["phase"] == "Pending"


def test_an_unknown_repository_is_pull_access_denied(cluster):
    run(cluster, pod("x", image="repo/does-not-exist"))
    cluster.settle()
    failed = [m for r, m in reasons(cluster, "x") if m.startswith("Failed to pull")][0]
    assert failed.endswith('failed to resolve reference "docker.io/repo/does-not-exist:latest": '
                           "pull access denied, repository does not exist or may require "
                           "authorization: server message: insufficient_scope: authorization "
                           "failed")


def test_an_invalid_image_name(cluster):
    run(cluster, pod("x", image="Nginx"))
    cluster.settle()
    waiting = cluster.api.get("Pod", "x", "default")["status"]["containerStatuses"][0][
        "state"]["waiting"]
    assert waiting["reason"] == "InvalidImageName"
    assert ("InspectFailed", 'Failed to apply default image tag "Nginx": couldn\'t parse image '
            'name "Nginx": invalid reference format: repository name (library/Nginx) must be '
            "lowercase") in reasons(cluster, "x")


def test_docker_runtime_on_minikube():
    c = Cluster.minikube()
    run(c, pod("web"))
    c.settle()
    cs = c.api.get("Pod", "web", "default")["status"]["containerStatuses"][0]
    assert re.fullmatch(r"docker://[0-9a-f]{64}", cs["containerID"])
    assert cs["image"] == "nginx:1.25"
    assert cs["imageID"] == "docker-pullable://nginx@" + c.registry.resolve("nginx:1.25").digest
    run(c, pod("bad", image="nginx:nope"))
    c.settle()
    failed = [m for r, m in reasons(c, "bad") if m.startswith("Failed to pull")][0]
    assert failed == ('Failed to pull image "nginx:nope": rpc error: code = Unknown desc = Error '
                      "response from daemon: manifest for nginx:nope not found: manifest unknown: "
                      "manifest unknown")


def test_host_network_pods_use_the_node_ip(cluster):
    run(cluster, pod("h", hostNetwork=True, nodeName="worker-2"))
    cluster.settle()
    status = cluster.api.get("Pod", "h", "default")["status"]
    assert status["podIP"] == status["hostIP"] == "192.168.49.4"


def test_pod_ips_are_handed_out_in_order_and_reused():
    ipam = IPAllocator("10.244.1.0/24")
    assert [ipam.allocate() for _ in range(3)] == ["10.244.1.2", "10.244.1.3", "10.244.1.4"]
    ipam.release("10.244.1.3")
    assert ipam.allocate() == "10.244.1.5"      # host-local keeps going after the last one
    small = IPAllocator("10.0.0.0/30")
    assert small.allocate() == "10.0.0.2" and small.allocate() is None


def test_deleting_a_pod_stops_its_containers(cluster):
    run(cluster, pod("web"))
    cluster.settle()
    cluster.api.delete("Pod", "web", "default")
    cluster.run_now()
    p = cluster.api.get("Pod", "web", "default")
    assert p["metadata"]["deletionTimestamp"]       # Terminating while it stops
    assert reasons(cluster, "web")[-1] == ("Killing", "Stopping container nginx")
    start = cluster.now
    assert cluster.settle().settled
    assert cluster.api.store.get("Pod", "default", "web") is None
    assert cluster.now - start < 1              # nginx exits on SIGTERM at once


def last_status_before_removal(cluster, name):
    seen = []
    cluster.store.watch(lambda e: seen.append(e) if e.kind == "Pod"
                        and e.obj["metadata"]["name"] == name else None)
    return seen


def test_the_final_status_is_terminal(cluster):
    run(cluster, pod("web"))
    cluster.settle()
    seen = last_status_before_removal(cluster, "web")
    cluster.api.delete("Pod", "web", "default")
    cluster.run_now()
    cluster.settle()
    assert [e.type for e in seen][-1] == "DELETED"
    final = seen[-1].obj["status"]
    assert final["phase"] == "Succeeded"
    terminated = final["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (0, "Completed")
    ready = [c for c in final["conditions"] if c["type"] == "Ready"][0]
    assert (ready["status"], ready["reason"]) == ("False", "PodCompleted")


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_period(cluster):
    run(cluster, pod("bb", image="busybox:1.36", container="bb",
                     container_extra={"command": ["sleep", "3600"]}))
    cluster.settle()
    seen = last_status_before_removal(cluster, "bb")
    start = cluster.now
    cluster.api.delete("Pod", "bb", "default")
    cluster.run_now()
    cluster.advance(29)
    assert cluster.api.store.get("Pod", "default", "bb") is not None
    cluster.settle()
    assert cluster.api.store.get("Pod", "default", "bb") is None
    assert cluster.now - start == pytest.approx(30)
    final = seen[-1].obj["status"]
    assert final["phase"] == "Failed"
    terminated = final["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (137, "Error")


def test_grace_period_override(cluster):
    run(cluster, pod("bb", image="busybox:1.36", container="bb",
                     container_extra={"command": ["sleep", "3600"]}))
    cluster.settle()
    start = cluster.now
    cluster.api.delete("Pod", "bb", "default", grace_period=5)
    cluster.run_now()
    cluster.settle()
    assert cluster.now - start == pytest.approx(5)


def test_a_pod_deleted_while_pulling_goes_at_once(cluster):
    run(cluster, pod("web"))
    cluster.advance(1.5)                     # sandbox ready, image still pulling
    cluster.api.delete("Pod", "web", "default")
    cluster.run_now()
    assert cluster.api.store.get("Pod", "default", "web") is None
    assert "Killing" not in [r for r, _ in reasons(cluster, "web")]


def test_static_pods_run_as_mirror_pods(cluster):
    p = cluster.api.get("Pod", "kube-apiserver-control-plane", "kube-system")
    annotations = p["metadata"]["annotations"]
    assert annotations["kubernetes.io/config.source"] == "file"
    assert re.fullmatch(r"[0-9a-f]{32}", annotations["kubernetes.io/config.hash"])
    assert annotations["kubernetes.io/config.mirror"] == annotations["kubernetes.io/config.hash"]
    assert re.fullmatch(r"2025-06-02T09:00:00\.\d{9}Z", annotations["kubernetes.io/config.seen"])
    node = cluster.api.get("Node", "control-plane")
    assert p["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "controller": True,
                                                 "kind": "Node", "name": "control-plane",
                                                 "uid": node["metadata"]["uid"]}]
    assert p["status"]["phase"] == "Running"
    assert p["status"]["podIP"] == "192.168.49.2"
    assert events(cluster, "kube-apiserver-control-plane", "kube-system") == []


def test_a_deleted_mirror_pod_comes_back(cluster):
    old = cluster.api.get("Pod", "kube-scheduler-control-plane", "kube-system")
    cluster.api.delete("Pod", "kube-scheduler-control-plane", "kube-system")
    cluster.run_now()
    new = cluster.api.get("Pod", "kube-scheduler-control-plane", "kube-system")
    assert new["metadata"]["uid"] != old["metadata"]["uid"]
    assert new["status"]["phase"] == "Running"
    old_cs, new_cs = old["status"]["containerStatuses"][0], new["status"]["containerStatuses"][0]
    assert new_cs["containerID"] == old_cs["containerID"]      # the static pod kept running
    assert new_cs["state"] == old_cs["state"]
    assert new["metadata"]["annotations"] == old["metadata"]["annotations"]


def test_a_node_registered_later_gets_a_kubelet(cluster):
    from kubelearn.bootstrap import NodeProfile
    from kubelearn.bootstrap_objects import node

    cluster.api.create(node(cluster.profile, NodeProfile("worker-3", "192.168.49.5",
                                                         "10.244.3.0/24", False)))
    cluster.run_now()
    assert kubelet_for(cluster, "worker-3").name == "worker-3"
    run(cluster, pod("late", nodeName="worker-3"))
    cluster.settle()
    status = cluster.api.get("Pod", "late", "default")["status"]
    assert status["phase"] == "Running" and status["podIP"] == "10.244.3.2"


def test_one_kubelet_per_node(cluster):
    manager = next(x for x in cluster.controllers if isinstance(x, KubeletManager))
    assert sorted(manager.kubelets) == ["control-plane", "worker-1", "worker-2"]
    kubelet = kubelet_for(cluster, "control-plane")
    assert sorted(kubelet.workers) == sorted(
        (p["metadata"]["namespace"], p["metadata"]["name"])
        for p in cluster.api.list("Pod") if p["spec"].get("nodeName") == "control-plane")


def test_same_seed_same_timings():
    def timeline(seed):
        c = Cluster(seed=seed)
        run(c, pod("web"))
        c.settle()
        return [(e["reason"], e["message"], e["firstTimestamp"]) for e in events(c, "web")]

    assert timeline(3) == timeline(3)


@pytest.mark.parametrize("seconds, text", [
    (0, "0s"), (0.0004, "0s"), (0.912, "912ms"), (4.1, "4.1s"), (4.123, "4.123s"),
    (4.0, "4s"), (62.5, "1m2.5s"), (3600, "1h0m0s"), (3723.25, "1h2m3.25s")])
def test_go_duration_strings(seconds, text):
    assert go_duration(seconds) == text


def test_fired_kubelet_steps_leave_no_reference_cycles(cluster):
    """A timer's callback must not hold its own timer: such cycles are freed only by the
    cyclic collector, whose full collections the engine holds off while it runs
    (``full_collections_paused``), so every pod would leave garbage behind."""
    import gc

    from kubelearn.clock import Timer

    gc.collect()
    gc.disable()
    try:
        run(cluster, pod("web"))
        cluster.settle()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        cyclic = [o for o in gc.garbage if isinstance(o, Timer)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert cluster.api.get("Pod", "web", "default")["status"]["phase"] == "Running"
    assert cyclic == []
