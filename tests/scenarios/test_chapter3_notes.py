"""Section 3.1-3.2 of the course notes with the story app (``kubelearn/story:1``).

The notes' claims about where data lives, proved the way a learner would:
store a line of story through the app's HTTP API, then crash the container
(``GET /error``), delete the pod, or look from another pod or node, and read
the story again. Without a volume the text is gone after a crash; with an
emptyDir it survives the crash but not the pod; a hostPath directory is shared
by pods on one node and invisible from another; a PersistentVolumeClaim keeps
it across pod deletion.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.network.http import EmptyReply

STORY_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: story-deployment
spec:
  replicas: 1
  selector:
    matchLabels:
      app: story
  template:
    metadata:
      labels:
        app: story
    spec:
      containers:
        - name: story
          image: kubelearn/story:1
MOUNTS
VOLUMES
---
apiVersion: v1
kind: Service
metadata:
  name: story-service
spec:
  type: LoadBalancer
  selector:
    app: story
  ports:
    - protocol: TCP
      port: 80
      targetPort: 3000
"""

MOUNT = """\
          volumeMounts:
            - mountPath: /app/story
              name: story-volume"""

EMPTY_DIR = """\
      volumes:
        - name: story-volume
          emptyDir: {}"""

HOST_PATH = """\
      volumes:
        - name: story-volume
          hostPath:
            path: /data
            type: DirectoryOrCreate"""

CLAIM = """\
      volumes:
        - name: story-volume
          persistentVolumeClaim:
            claimName: host-pvc"""

PV_AND_CLAIM = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: host-pv
spec:
  capacity:
    storage: 1Gi
  volumeMode: Filesystem
  storageClassName: standard
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: /data
    type: DirectoryOrCreate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: host-pvc
spec:
  volumeName: host-pv
  accessModes:
    - ReadWriteOnce
  storageClassName: standard
  resources:
    requests:
      storage: 1Gi
"""


def deployment(mounts: str = "", volumes: str = "") -> str:
    return STORY_DEPLOYMENT.replace("MOUNTS\n", mounts + "\n" if mounts else "").replace(
        "VOLUMES\n", volumes + "\n" if volumes else "")


class Story:
    """The story app behind ``story-service`` on a minikube cluster, as the notes use it."""

    def __init__(self, c: Cluster):
        self.c = c
        self.url = c.minikube("service story-service --url").stdout.strip() + "/story"

    def add(self, text: str) -> str:
        response = self.c.http_post(self.url, {"text": text})
        assert response.status == 201, response.text
        return response.text

    def read(self):
        response = self.c.http_get(self.url)
        return response.status, response.json()

    def crash(self) -> None:
        with pytest.raises(EmptyReply):
            self.c.http_get(self.url.replace("/story", "/error"))
        self.c.settle()

    def pods(self) -> list[str]:
        return sorted(p["metadata"]["name"] for p in self.c.api.list("Pod", "default")
                      if (p["metadata"].get("labels") or {}).get("app") == "story")


def story_cluster(manifest: str, *extra: str) -> tuple[Cluster, Story]:
    c = Cluster.minikube()
    for text in extra:
        c.apply(text)
    assert c.apply(manifest).exit_code == 0
    c.settle()
    return c, Story(c)


def test_without_a_volume_the_story_is_lost_when_the_container_restarts():
    c, story = story_cluster(deployment())
    assert story.add("Once upon a time") == '{"message":"Text was stored!"}'
    assert story.read() == (200, {"story": "Once upon a time\n"})
    story.crash()
    restarts = c.api.list("Pod", "default")[0]["status"]["containerStatuses"][0]["restartCount"]
    assert restarts == 1
    assert story.read() == (200, {"story": ""})           # the image's empty text.txt again


def test_empty_dir_survives_a_crash_but_not_the_pod():
    c, story = story_cluster(deployment(MOUNT, EMPTY_DIR))
    assert story.read() == (500, {"message": "Failed to open file."})   # an empty volume
    story.add("Once upon a time")
    story.crash()
    assert story.read() == (200, {"story": "Once upon a time\n"})
    [first] = story.pods()
    assert c.kubectl(f"delete pod {first}").exit_code == 0
    c.settle()
    [second] = story.pods()
    assert second != first
    assert story.read() == (500, {"message": "Failed to open file."})


def test_host_path_is_shared_on_a_node_and_not_seen_from_another():
    c = Cluster()
    node_one = deployment(MOUNT, HOST_PATH).split("---")[0].replace(
        "      containers:", "      nodeSelector:\n        kubernetes.io/hostname: worker-1\n"
        "      containers:").replace("replicas: 1", "replicas: 2")
    c.apply(node_one)
    c.apply(deployment(MOUNT, HOST_PATH).split("---")[0].replace(
        "story-deployment", "other-node").replace("app: story", "app: other").replace(
        "      containers:", "      nodeSelector:\n        kubernetes.io/hostname: worker-2\n"
        "      containers:"))
    c.settle()
    pods = {p["metadata"]["name"]: p for p in c.api.list("Pod", "default")}
    on_one = sorted(n for n, p in pods.items() if p["spec"]["nodeName"] == "worker-1")
    on_two = [n for n, p in pods.items() if p["spec"]["nodeName"] == "worker-2"]
    assert len(on_one) == 2 and len(on_two) == 1

    def url(name: str) -> str:
        return f"http://{pods[name]['status']['podIP']}:3000/story"

    assert c.http_post(url(on_one[0]), {"text": "written on worker-1"}).status == 201
    assert c.http_get(url(on_one[1])).json() == {"story": "written on worker-1\n"}
    assert c.http_get(url(on_two[0])).json() == {"message": "Failed to open file."}
    assert c.kubectl(f"exec {on_two[0]} -- ls /app/story").stdout == ""


def test_a_persistent_volume_claim_keeps_the_story_across_pod_deletion():
    c, story = story_cluster(deployment(MOUNT, CLAIM), PV_AND_CLAIM)
    assert c.kubectl("get pvc host-pvc").stdout.split("\n")[1].split()[1] == "Bound"
    story.add("Once upon a time")
    story.add("there was a cluster")
    [first] = story.pods()
    c.kubectl(f"delete pod {first}")
    c.settle()
    assert story.pods() != [first]
    assert story.read() == (200, {"story": "Once upon a time\nthere was a cluster\n"})
    c.kubectl("delete deployment story-deployment")
    c.settle()
    c.apply(deployment(MOUNT, CLAIM))
    c.settle()
    assert story.read() == (200, {"story": "Once upon a time\nthere was a cluster\n"})
    assert c.storage.disk("minikube").files["/data/text.txt"].count("\n") == 2


def test_story_folder_chooses_where_the_app_writes():
    manifest = deployment(MOUNT.replace("/app/story", "/app/tales"), EMPTY_DIR).replace(
        "          image: kubelearn/story:1",
        "          image: kubelearn/story:1\n          env:\n            - name: STORY_FOLDER\n"
        "              value: tales")
    c, story = story_cluster(manifest)
    story.add("in the tales folder")
    [pod] = story.pods()
    assert c.kubectl(f"exec {pod} -- cat /app/tales/text.txt").stdout == "in the tales folder\n"
    assert c.kubectl(f"exec {pod} -- cat /app/story/text.txt").stdout == ""


def test_the_app_answers_as_express_does():
    c, story = story_cluster(deployment())
    empty = c.http_post(story.url, {"text": "   "})
    assert (empty.status, empty.text) == (422, '{"message":"Text must not be empty!"}')
    wrong = c.http_post(story.url.replace("/story", "/error"), {"text": "x"})
    assert wrong.status == 404 and "<pre>Cannot POST /error</pre>" in wrong.text
    assert c.http_post(story.url, "a plain line").status == 201
    assert story.read()[1] == {"story": "a plain line\n"}


def transcript() -> str:
    c, story = story_cluster(deployment(MOUNT, EMPTY_DIR))
    story.add("one")
    story.crash()
    lines = [str(story.read()), c.kubectl("get pods -o wide").stdout,
             c.kubectl("describe pods").stdout]
    [pod] = story.pods()
    lines.append(c.kubectl(f"exec {pod} -- sh -c 'ls /app; cat /app/story/text.txt; env'").stdout)
    return "\n".join(lines)


def test_two_runs_are_byte_identical():
    assert transcript() == transcript()
