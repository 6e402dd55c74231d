"""Section 2 of the course notes, typed as written, on ``Cluster.minikube()``.

The notes' command sequence for 2.1–2.2 runs as a learner would type it (the
``- -image`` and ``old-image-name`` placeholders included, then corrected) and
must print what kubectl 1.32 and minikube print: the transcript is compared
line by line with ``notes_2_1_to_2_2.txt``, which was checked against real
kubectl (flag errors, ``--dry-run=client``) and the upstream printers. The
other tests are the chapter's promises about what a Deployment does for you:
replacements for deleted pods, rescheduling off a stopped node, image pull
failures and liveness restarts, seen through ``kubectl get pods``.
"""
from __future__ import annotations

import re
from pathlib import Path

from kubelearn import Cluster

GOLDEN = Path(__file__).with_name("notes_2_1_to_2_2.txt")

NOTES_2_1_TO_2_2 = [
    ("kubectl", "create deployment my-first-kube - -image=repo/my-docker-image"),
    ("kubectl", "create deployment my-first-kube --image=repo/my-docker-image"),
    ("kubectl", "get deployments"),
    ("kubectl", "get pods"),
    ("advance", 30),
    ("kubectl", "get deployments"),
    ("kubectl", "get pods"),
    ("minikube", "dashboard"),
    ("kubectl", "expose deployment my-first-kube --type=LoadBalancer --port=8080"),
    ("kubectl", "get services"),
    ("minikube", "service my-first-kube"),
    ("kubectl", "scale deployment/my-first-kube --replicas=3"),
    ("advance", 20),
    ("kubectl", "get pods"),
    ("kubectl", "set image deployments/my-first-kube old-image-name=repo/new-image-name"),
    ("kubectl", "set image deployments/my-first-kube my-docker-image=repo/new-image-name"),
    ("kubectl", "rollout status deployment/my-first-kube"),
    ("kubectl", "rollout undo deployment/my-first-kube"),
    ("kubectl", "rollout status deployment/my-first-kube"),
    ("kubectl", "rollout history deployment/my-first-kube"),
    ("kubectl", "rollout history deployment/my-first-kube --revision=2"),
    ("kubectl", "rollout undo deployment/my-first-kube - -to-revision=2"),
    ("kubectl", "rollout undo deployment/my-first-kube --to-revision=2"),
    ("kubectl", "rollout status deployment/my-first-kube"),
    ("kubectl", "rollout history deployment/my-first-kube"),
    ("kubectl", "delete deployments -l app=my-first-kube"),
    ("kubectl", "get deployments"),
]


def transcript(steps) -> str:
    c = Cluster.minikube()
    out = []
    for tool, arg in steps:
        if tool == "advance":
            c.advance(arg)
            out.append(f"# c.advance({arg})\n")
            continue
        r = c.kubectl(arg) if tool == "kubectl" else c.minikube(arg)
        out.append(f"$ {tool} {arg}\n{r.stdout}{r.stderr}[exit {r.exit_code}]\n")
    return "".join(out)


def test_the_notes_command_sequence_prints_what_kubectl_and_minikube_print():
    assert transcript(NOTES_2_1_TO_2_2) == GOLDEN.read_text()


def test_the_notes_placeholders_fail_like_kubectl():
    text = GOLDEN.read_text()
    assert ("Error: unknown shorthand flag: 'i' in -image=repo/my-docker-image\n"
            "See 'kubectl create deployment --help' for usage.\n[exit 1]") in text
    assert 'error: unable to find container named "old-image-name"\n[exit 1]' in text
    assert "Error: unknown shorthand flag: 't' in -to-revision=2\n" in text


def test_rollbacks_move_revisions_to_the_end_of_the_history():
    histories = re.findall(r"REVISION  CHANGE-CAUSE\n((?:\d+ +<none>\n)+)", GOLDEN.read_text())
    assert [h.split() for h in histories] == [["2", "<none>", "3", "<none>"],
                                             ["3", "<none>", "4", "<none>"]]


def pods(c: Cluster, *flags: str) -> list[list[str]]:
    return [line.split() for line in c.kubectl(" ".join(("get pods",) + flags))
            .stdout.splitlines()[1:]]


def test_a_deleted_pod_of_a_deployment_is_replaced():
    c = Cluster.minikube()
    c.kubectl("create deployment web --image=kubelearn/hello:1 --replicas=2")
    c.advance(30)
    before = {row[0] for row in pods(c)}
    victim = sorted(before)[0]
    assert c.kubectl(f"delete pod {victim}").stdout == f'pod "{victim}" deleted\n'
    c.advance(30)
    after = {row[0]: row for row in pods(c)}
    assert victim not in after and len(after) == 2
    assert all(row[1:3] == ["1/1", "Running"] for row in after.values())


def test_a_stopped_node_loses_its_pods_after_the_toleration():
    c = Cluster()
    c.kubectl("create deployment web --image=kubelearn/hello:1 --replicas=4")
    c.advance(30)
    on = {row[0]: row[6] for row in pods(c, "-o wide")}
    stranded = sorted(name for name, node in on.items() if node == "worker-1")
    assert stranded, on
    c.stop_node("worker-1")
    c.advance(60)
    assert ["worker-1", "NotReady"] in [row.split()[:2] for row in
                                         c.kubectl("get nodes").stdout.splitlines()]
    assert {row[0] for row in pods(c)} == set(on)          # not yet: 300 s toleration
    c.advance(330)
    now = {row[0]: row for row in pods(c, "-o wide")}
    running = [row for row in now.values() if row[2] == "Running"]
    assert len(running) == 4 and all(row[6] == "worker-2" for row in running)
    assert not set(stranded) & {row[0] for row in running}


def test_a_bad_image_shows_err_image_pull_then_image_pull_back_off():
    c = Cluster.minikube()
    c.kubectl("create deployment web --image=repo/new-image-nme")
    statuses = []
    for _ in range(40):
        c.advance(1)
        statuses.append(pods(c)[0][2])
    first = statuses.index("ErrImagePull")
    assert set(statuses[:first]) <= {"ContainerCreating"}
    assert statuses[-1] == "ImagePullBackOff" and "Running" not in statuses
    events = c.kubectl("get events --field-selector involvedObject.kind=Pod").stdout
    assert 'Failed to pull image "repo/new-image-nme"' in events
    assert 'Back-off pulling image "repo/new-image-nme"' in events


LIVENESS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: live
spec:
  selector:
    matchLabels: {app: live}
  template:
    metadata:
      labels: {app: live}
    spec:
      containers:
      - name: app
        image: kubelearn/hello:1
        livenessProbe:
          httpGet: {path: /some/specific/path, port: 8080}
          periodSeconds: 10
          initialDelaySeconds: 5
"""


def test_a_failing_liveness_probe_restarts_with_back_off():
    c = Cluster.minikube()
    c.kubectl("apply -f -", LIVENESS)
    restarted_at, statuses, last = [], set(), 0
    for second in range(1, 400):
        c.advance(1)
        _, _, status, *restarts, _ = pods(c)[0]
        statuses.add(status)
        count = int(restarts[0])
        if count != last:
            restarted_at.append(second)
            last = count
            assert re.fullmatch(r"\(\d+s", restarts[1]), restarts     # like 3 (25s ago)
    assert "CrashLoopBackOff" in statuses and len(restarted_at) >= 4
    gaps = [b - a for a, b in zip(restarted_at, restarted_at[1:])]
    assert gaps == sorted(gaps) and gaps[0] < gaps[-1], gaps     # the back-off grows
    assert re.fullmatch(r"\d+ \(\d+s ago\)", " ".join(pods(c)[0][3:-1]))
    described = c.kubectl("describe pods -l app=live").stdout
    assert "Liveness probe failed: HTTP probe failed with statuscode: 404" in described
    assert "Back-off restarting failed container app" in described
