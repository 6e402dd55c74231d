"""Chapter 3 exercises: where data lives (emptyDir, hostPath, PersistentVolumes) and
where configuration comes from (ConfigMaps, Secrets, env).

Each exercise judges the cluster's state on the chapter's ``Cluster.minikube()``
(one node, ``minikube``), never the commands typed. Some checks look past the API
objects into what the node holds, as a learner would with ``kubectl exec``: the
file a *running* container reads at a path (through its mounts), a file on the
node's disk (``cluster.storage.disk``), or the environment the running container
started with (``kubelearn.node.env.container_env``). Reading changes nothing.

Every exercise has objects of its own, so each can be graded on the notebook's
final state: Deployment ``story`` (3.1), ``story-a`` and ``story-b`` (3.2), PV
``exercise-pv``, claim ``exercise-claim`` (3.3), claim ``data`` and Deployment
``notes`` (3.4, or the learner's own names and size: 3.4 is a variant exercise),
ConfigMap ``story-config``, Secret ``story-secret`` and Deployment
``story-env`` (3.5).

The reference solutions are kubectl steps only. kubectl cannot send the story app
its ``GET /error``, so 3.1's reference solution restarts the container with a
liveness probe that fails once instead (the notebook's solution crashes it through
the app, as the task says); the checks accept any restart.
"""
from __future__ import annotations

from kubelearn.api.quantity import parse_quantity
from kubelearn.api.selector import selector_from_label_selector
from kubelearn.grading.checks import all_of, exists, field_equals, rollout_complete
from kubelearn.grading.misconceptions import claim_class_mismatch, claim_pending
from kubelearn.grading.model import Check, Exercise, Outcome
from kubelearn.grading.variants import variant_exercise

STORY_IMAGE = "kubelearn/story:1"
STORY_FILE = "/app/story/text.txt"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
MINIKUBE_PROVISIONER = "k8s.io/minikube-hostpath"

STORY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: story
        image: kubelearn/story:1
        ports:
        - containerPort: 3000
{extra}        volumeMounts:
        - name: story-volume
          mountPath: /app/story
      volumes:
      - name: story-volume
{volume}"""

EMPTY_DIR = "        emptyDir: {}\n"
SHARED_HOST_PATH = """\
        hostPath:
          path: /data/shared
          type: DirectoryOrCreate
"""
DATA_CLAIM = """\
        persistentVolumeClaim:
          claimName: data
"""

# kubectl cannot call the app's /error, so the reference solution of 3.1 lets a liveness
# probe restart the container once: the first probe stores a line in the emptyDir and
# fails; the restarted container finds the line there, so every later probe passes.
ONCE_PROBE = """\
        # kubectl cannot send the app GET /error: this probe makes the kubelet restart the
        # container once. Its first run stores a line in the emptyDir and fails; after the
        # restart the line is still there, so the probe passes from then on.
        livenessProbe:
          exec:
            command:
            - sh
            - -c
            - if [ -f /app/story/text.txt ]; then true; else echo "Once upon a time" > /app/story/text.txt; exit 1; fi
          initialDelaySeconds: 3
          periodSeconds: 5
          failureThreshold: 1
        readinessProbe:
          exec:
            command: [cat, /app/story/text.txt]
          initialDelaySeconds: 10
"""


def story(name: str, volume: str, extra: str = "") -> str:
    """A one-replica Deployment of the story app with ``volume`` at /app/story."""
    return STORY.format(name=name, volume=volume, extra=extra)


EXERCISE_PV = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: exercise-pv
spec:
  capacity:
    storage: 1Gi
  volumeMode: Filesystem
  storageClassName: manual
  accessModes:
  - ReadWriteOnce
  hostPath:
    path: /data/exercise
    type: DirectoryOrCreate
"""

EXERCISE_CLAIM = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: exercise-claim
spec:
  volumeName: exercise-pv
  storageClassName: manual
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 1Gi
"""

EXERCISE_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: exercise-pod
spec:
  containers:
  - name: story
    image: kubelearn/story:1
    volumeMounts:
    - name: data
      mountPath: /app/story
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: exercise-claim
"""

DATA = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: standard
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 2Gi
"""

STORY_CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: story-config
data:
  folder: {folder}
"""

STORY_ENV = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: story-env
spec:
  replicas: 1
  selector:
    matchLabels:
      app: story-env
  template:
    metadata:
      labels:
        app: story-env
    spec:
      containers:
      - name: story
        image: kubelearn/story:1
        env:
        - name: STORY_FOLDER
          valueFrom:
            configMapKeyRef:
              name: story-config
              key: folder
        - name: API_KEY
          valueFrom:
            secretKeyRef:
              name: story-secret
              key: api-key
"""


# -- reading a Deployment's template and its pods --------------------------------------------

def _deployment(cluster, name: str) -> dict | None:
    from kubelearn.apiserver.errors import StatusError
    try:
        return cluster.api.get("Deployment", name, "default")
    except StatusError as err:
        if err.reason == "NotFound":
            return None
        raise


def _missing(name: str) -> str:
    return f'Deployment "{name}" was not found in namespace "default"'


def _pods(cluster, deployment: dict) -> list[dict]:
    """The Deployment's pods (its selector's), leaving out those being deleted."""
    selector = selector_from_label_selector(deployment["spec"].get("selector"))
    return sorted((p for p in cluster.api.list("Pod", "default", selector)
                   if not p["metadata"].get("deletionTimestamp")),
                  key=lambda p: p["metadata"]["name"])


def _mounting(spec: dict, mount_path: str) -> tuple[dict | None, dict | None]:
    """(container, volume) of the pod spec that mounts something at ``mount_path``."""
    for container in spec.get("containers") or []:
        for mount in container.get("volumeMounts") or []:
            if mount.get("mountPath", "").rstrip("/") == mount_path.rstrip("/"):
                volume = next((v for v in spec.get("volumes") or []
                               if v.get("name") == mount.get("name")), None)
                return container, volume
    return None, None


def _source(volume: dict | None) -> str:
    if not volume:
        return "nothing"
    kinds = [k for k in volume if k != "name"]
    return kinds[0] if kinds else "nothing"


def mounts(deployment: str, mount_path: str, test, wanted: str):
    """Passes when the Deployment's pod template mounts, at ``mount_path``, a volume
    for which ``test(volume)`` is true; ``wanted`` says what the task asks for."""
    def check(cluster) -> Outcome:
        obj = _deployment(cluster, deployment)
        if obj is None:
            return Outcome(False, wanted, "not found",
                           f"{_missing(deployment)}; the task asks for it to mount {wanted} at "
                           f"{mount_path}.")
        container, volume = _mounting(obj["spec"]["template"].get("spec") or {}, mount_path)
        ref = f'Deployment "{deployment}"'
        if container is None:
            return Outcome(False, wanted, "no mount",
                           f"{ref} mounts nothing at {mount_path}, so what the app writes there "
                           f"stays in the container's own filesystem; the task asks for "
                           f"{wanted} there.")
        if not test(volume or {}):
            return Outcome(False, wanted, _source(volume),
                           f"{ref} mounts a {_source(volume)} volume at {mount_path}; the task "
                           f"asks for {wanted}.")
        return Outcome(True, wanted, _source(volume),
                       f"{ref} mounts {wanted} at {mount_path}.")
    check.description = f'Deployment "{deployment}" mounts {wanted} at {mount_path}'
    return check


def _pod_running(pod: dict) -> bool:
    status = pod.get("status") or {}
    return status.get("phase") == "Running" and all(
        "running" in (cs.get("state") or {}) for cs in status.get("containerStatuses") or [])


def _read(cluster, pod: dict, container: str, path: str) -> tuple[bool, str]:
    """What the running container reads at ``path`` now: (found, text or why not)."""
    from kubelearn.node.filesystem import FsError
    from kubelearn.node.kubelet import container_runs, running_container

    name = pod["metadata"]["name"]
    if running_container(cluster, "default", name, container) is None:
        return False, f"container {container} of pod {name} is not running"
    run = container_runs(cluster, "default", name, container)[0]
    run.sync(cluster.clock.now)
    try:
        return True, run.fs.read(path)
    except FsError as err:
        return False, f"{path} in pod {name}: {err.reason}"


def reads_text(deployment: str, path: str = STORY_FILE):
    """Passes when a running pod of the Deployment has a container that reads text
    (not empty) at ``path`` now: what ``kubectl exec ... -- cat PATH`` would print."""
    want = f"text in {path}"

    def check(cluster) -> Outcome:
        obj = _deployment(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing(deployment)}; the task asks "
                                                     f"for its app to keep a story in {path}.")
        spec = obj["spec"]["template"].get("spec") or {}
        container, _ = _mounting(spec, path.rsplit("/", 1)[0])
        container = container or (spec.get("containers") or [{}])[0]
        running = [p for p in _pods(cluster, obj) if _pod_running(p)]
        if not running:
            return Outcome(False, want, "no running pod",
                           f'No pod of Deployment "{deployment}" is running, so nothing could '
                           f"be read from {path}; the task asks for a running app that has "
                           "kept the story.")
        why = []
        for pod in running:
            found, text = _read(cluster, pod, container.get("name", ""), path)
            if found and text.strip():
                line = text.strip().splitlines()[0]
                return Outcome(True, want, line,
                               f'Pod {pod["metadata"]["name"]} reads {path}: "{line}"'
                               + (" ..." if text.strip().count("\n") else "") + ".")
            why.append(f"{path} in pod {pod['metadata']['name']} is empty" if found else text)
        return Outcome(False, want, "no text",
                       f"{'; '.join(why)}; the task asks for the story you stored to be "
                       "there.")
    check.description = f'a pod of Deployment "{deployment}" reads text in {path}'
    return check


def restarted(deployment: str):
    """Passes when a pod of the Deployment is running again after its container
    restarted (restartCount of 1 or more)."""
    want = "running, restarted at least once"

    def check(cluster) -> Outcome:
        obj = _deployment(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found",
                           f"{_missing(deployment)}; the task asks for its container to crash "
                           "and restart.")
        pods = _pods(cluster, obj)
        if not pods:
            return Outcome(False, want, "no pods", f'Deployment "{deployment}" has no pods; the '
                           "task asks for its container to crash and restart.")
        counts = {p["metadata"]["name"]: sum(cs.get("restartCount", 0) for cs in (
            p.get("status") or {}).get("containerStatuses") or []) for p in pods}
        for pod in pods:
            name = pod["metadata"]["name"]
            if counts[name] and _pod_running(pod):
                return Outcome(True, want, f"{counts[name]} restarts",
                               f"The container of pod {name} has restarted {counts[name]} "
                               f"time{'s' if counts[name] != 1 else ''} and runs again.")
        if any(counts.values()):
            return Outcome(False, want, "not running",
                           f'The pods of Deployment "{deployment}" restarted but none runs now; '
                           "let time pass (c.advance(30)) so the container starts again.")
        listed = ", ".join(counts)
        return Outcome(False, want, "0 restarts",
                       f"The container of pod {listed} has not restarted; the task asks you to "
                       "crash it (GET /error on the app) so the kubelet restarts it. A deleted "
                       "pod does not count: its replacement starts with nothing.")
    check.description = f'a pod of Deployment "{deployment}" restarted and runs again'
    return check


def same_node(*deployments: str):
    """Passes when every Deployment has running pods, all on one node."""
    want = "running pods on one node"

    def check(cluster) -> Outcome:
        nodes, missing = {}, []
        for name in deployments:
            obj = _deployment(cluster, name)
            running = [p for p in _pods(cluster, obj) if _pod_running(p)] if obj else []
            if not running:
                missing.append(name)
            for pod in running:
                nodes[pod["metadata"]["name"]] = pod["spec"].get("nodeName")
        if missing:
            return Outcome(False, want, "not running",
                           f"No pod of Deployment {', '.join(missing)} is running; the task "
                           "asks for both apps to run.")
        if len(set(nodes.values())) != 1:
            where = ", ".join(f"{pod} on {node}" for pod, node in nodes.items())
            return Outcome(False, want, "several nodes", f"The pods run on different nodes "
                           f"({where}); a hostPath is only shared on one node.")
        node = next(iter(nodes.values()))
        return Outcome(True, want, node, f"The pods {', '.join(nodes)} run on node {node}.")
    check.description = f"the pods of {' and '.join(deployments)} run on one node"
    return check


def node_file(path: str):
    """Passes when a node's disk (``cluster.storage.disk(node)``) holds text at
    ``path``."""
    want = f"text in {path} on the node"

    def check(cluster) -> Outcome:
        for node in sorted(n["metadata"]["name"] for n in cluster.api.list("Node")):
            disk = cluster.storage.disk(node)
            if disk.kind(path) == "file" and disk.read(path).strip():
                line = disk.read(path).strip().splitlines()[0]
                return Outcome(True, want, line, f'Node {node} has {path}: "{line}".')
        return Outcome(False, want, "no text", f"No node has text in {path}; the task asks for "
                       "a story stored through the shared hostPath directory.")
    check.description = f"a node's disk has text in {path}"
    return check


def claim_bound(claim: str, volume: str | None = None):
    """Passes when the claim is Bound (to ``volume``, if given) and the PV's claimRef
    points back at it."""
    want = f"Bound to {volume}" if volume else "Bound"

    def check(cluster) -> Outcome:
        from kubelearn.apiserver.errors import StatusError
        try:
            pvc = cluster.api.get("PersistentVolumeClaim", claim, "default")
        except StatusError:
            return Outcome(False, want, "not found",
                           f'PersistentVolumeClaim "{claim}" was not found in namespace '
                           f'"default"; the task asks for it to be {want}.')
        phase = (pvc.get("status") or {}).get("phase", "Pending")
        bound_to = (pvc.get("spec") or {}).get("volumeName") or ""
        ref = f'PersistentVolumeClaim "{claim}"'
        if phase != "Bound":
            return Outcome(False, want, phase, f"{ref} is {phase}; the task asks for it to be "
                           f"{want} (kubectl describe pvc {claim} shows why it waits).")
        if volume and bound_to != volume:
            return Outcome(False, want, f"Bound to {bound_to}",
                           f"{ref} is bound to {bound_to}; the task asks for it to be bound to "
                           f"{volume}.")
        try:
            pv = cluster.api.get("PersistentVolume", bound_to, "")
        except StatusError:
            return Outcome(False, want, "no volume", f"{ref} names volume {bound_to}, which "
                           "does not exist.")
        ref_ = (pv.get("spec") or {}).get("claimRef") or {}
        if (ref_.get("namespace"), ref_.get("name")) != ("default", claim) or \
                (pv.get("status") or {}).get("phase") != "Bound":
            return Outcome(False, want, "not bound back",
                           f'{ref} names volume {bound_to}, but the volume is not Bound to it.')
        return Outcome(True, want, f"Bound to {bound_to}",
                       f"{ref} is Bound to PersistentVolume {bound_to}, whose claimRef is "
                       f"default/{claim}.")
    check.description = f'PersistentVolumeClaim "{claim}" is {want}'
    return check


def pod_uses_claim(claim: str, mount_path: str | None = None):
    """Passes when a Running pod has the claim as a volume (mounted at ``mount_path``,
    if given)."""
    want = f"a Running pod using claim {claim}"

    def check(cluster) -> Outcome:
        users, states = [], []
        for pod in cluster.api.list("Pod", "default"):
            if pod["metadata"].get("deletionTimestamp"):
                continue
            spec = pod.get("spec") or {}
            names = {v["name"] for v in spec.get("volumes") or []
                     if (v.get("persistentVolumeClaim") or {}).get("claimName") == claim}
            if not names:
                continue
            if mount_path is not None:
                _, volume = _mounting(spec, mount_path)
                if (volume or {}).get("name") not in names:
                    states.append(f"pod {pod['metadata']['name']} does not mount it at "
                                  f"{mount_path}")
                    continue
            users.append(pod["metadata"]["name"])
            if _pod_running(pod):
                return Outcome(True, want, "Running", f"Pod {pod['metadata']['name']} uses "
                               f"claim {claim} and is Running.")
            states.append(f"pod {pod['metadata']['name']} is "
                          f"{(pod.get('status') or {}).get('phase', 'Pending')}")
        if not users and not states:
            return Outcome(False, want, "no pod", f"No pod uses claim {claim}; the task asks "
                           "for a running pod with the claim as a volume.")
        return Outcome(False, want, "not running", f"{'; '.join(states)}; the task asks for a "
                       f"Running pod using claim {claim}" +
                       (f" at {mount_path}." if mount_path else "."))
    check.description = f"a Running pod uses claim {claim}" + (
        f" at {mount_path}" if mount_path else "")
    return check


def provisioned(claim: str, provisioner: str = MINIKUBE_PROVISIONER):
    """Passes when the claim's volume was made by ``provisioner`` (dynamic provisioning)."""
    want = f"provisioned by {provisioner}"

    def check(cluster) -> Outcome:
        for pv in cluster.api.list("PersistentVolume"):
            ref = (pv.get("spec") or {}).get("claimRef") or {}
            if (ref.get("namespace"), ref.get("name")) != ("default", claim):
                continue
            by = (pv["metadata"].get("annotations") or {}).get(PROVISIONED_BY)
            name = pv["metadata"]["name"]
            if by != provisioner:
                return Outcome(False, want, by or "made by hand",
                               f"PersistentVolume {name} holds claim {claim}, but no provisioner "
                               f"made it; the task asks for a volume that {provisioner} "
                               "provisions for the claim.")
            return Outcome(True, want, by, f"PersistentVolume {name} was provisioned for claim "
                           f"{claim} by {by}.")
        return Outcome(False, want, "no volume", f"No PersistentVolume holds claim {claim}; the "
                       "task asks for the default StorageClass to provision one.")
    check.description = f"the volume of claim {claim} was {want}"
    return check


def not_pre_bound(claim: str):
    """Passes when the claim was bound by its own ``volumeName`` (the PV controller
    did not choose the volume: no bound-by-controller annotation)."""
    want = "bound by volumeName"

    def check(cluster) -> Outcome:
        pvc = cluster.api.get("PersistentVolumeClaim", claim, "default")
        if not (pvc.get("spec") or {}).get("volumeName"):
            return Outcome(False, want, "not bound", f"Claim {claim} is not bound to a volume.")
        if (pvc["metadata"].get("annotations") or {}).get(BOUND_BY_CONTROLLER):
            return Outcome(False, want, "chosen by the controller",
                           f"Claim {claim} was bound by the PV controller, which chose a "
                           "matching volume; the task asks for the claim to name its volume "
                           "(spec.volumeName).")
        return Outcome(True, want, want, f"Claim {claim} names its volume itself.")
    check.description = f"claim {claim} names its volume (spec.volumeName)"
    return check


def _quantity(value: str):
    return lambda found: parse_quantity(found) == parse_quantity(value)


def pv_spec(name: str):
    """PV ``name``: hostPath, 1Gi, ReadWriteOnce."""
    def check(cluster) -> Outcome:
        from kubelearn.apiserver.errors import StatusError
        want = "hostPath, 1Gi, ReadWriteOnce"
        try:
            pv = cluster.api.get("PersistentVolume", name, "")
        except StatusError:
            return Outcome(False, want, "not found", f'PersistentVolume "{name}" was not found; '
                           "the task asks for it to exist.")
        spec = pv.get("spec") or {}
        found = (f"{'hostPath' if spec.get('hostPath') else _source(spec)}, "
                 f"{(spec.get('capacity') or {}).get('storage')}, "
                 f"{','.join(spec.get('accessModes') or [])}")
        ok = (spec.get("hostPath") and _quantity("1Gi")((spec.get("capacity") or {})
                                                        .get("storage", "0"))
              and spec.get("accessModes") == ["ReadWriteOnce"])
        if not ok:
            return Outcome(False, want, found, f'PersistentVolume "{name}" is {found}; the task '
                           f"asks for {want}.")
        return Outcome(True, want, found, f'PersistentVolume "{name}" is {found}.')
    check.description = f'PersistentVolume "{name}" is hostPath, 1Gi, ReadWriteOnce'
    return check


def claim_request(claim: str, size: str, storage_class: str):
    want = f"{size} of class {storage_class}"

    def check(cluster) -> Outcome:
        from kubelearn.apiserver.errors import StatusError
        try:
            pvc = cluster.api.get("PersistentVolumeClaim", claim, "default")
        except StatusError:
            return Outcome(False, want, "not found", f'PersistentVolumeClaim "{claim}" was not '
                           f'found in namespace "default"; the task asks for it to exist.')
        spec = pvc.get("spec") or {}
        request = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "")
        cls = spec.get("storageClassName")
        found = f"{request} of class {cls if cls is not None else '(none)'}"
        try:
            ok = parse_quantity(request) == parse_quantity(size) and cls == storage_class
        except (ValueError, TypeError):
            ok = False
        if not ok:
            return Outcome(False, want, found, f'PersistentVolumeClaim "{claim}" asks for '
                           f"{found}; the task asks for {want}.")
        return Outcome(True, want, found, f'PersistentVolumeClaim "{claim}" asks for {found}.')
    check.description = f'PersistentVolumeClaim "{claim}" asks for {want}'
    return check


def env_refs(deployment: str, refs: dict):
    """Passes when the Deployment's first container takes each variable of ``refs``
    ({"NAME": ("configMapKeyRef", object, key)}) from that reference."""
    want = ", ".join(f"{var} from {kind[:-6]} {obj}/{key}" for var, (kind, obj, key)
                     in refs.items())

    def check(cluster) -> Outcome:
        obj = _deployment(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing(deployment)}; the task asks for "
                           f"{want}.")
        containers = (obj["spec"]["template"].get("spec") or {}).get("containers") or [{}]
        env = {e.get("name"): e for e in containers[0].get("env") or []}
        wrong = []
        for var, (kind, name, key) in refs.items():
            entry = env.get(var)
            if entry is None:
                wrong.append(f"{var} is not set")
                continue
            ref = (entry.get("valueFrom") or {}).get(kind) or {}
            if (ref.get("name"), ref.get("key")) != (name, key):
                wrong.append(f"{var} is not taken from {kind} {name}/{key}"
                             + (f' (it is the value "{entry["value"]}")' if "value" in entry
                                else ""))
        if wrong:
            return Outcome(False, want, "; ".join(wrong), f'In Deployment "{deployment}", '
                           f"{'; '.join(wrong)}; the task asks for {want}.")
        return Outcome(True, want, want, f'Deployment "{deployment}" takes {want}.')
    check.description = f'Deployment "{deployment}" takes {want}'
    return check


def running_env(deployment: str, expected: dict):
    """Passes when every running pod of the Deployment has a first container that
    *started* with the variables ``expected`` ({"NAME": value, or a function of the
    cluster giving the value}): what ``kubectl exec ... -- env`` prints."""
    from kubelearn.node.env import container_env

    def check(cluster) -> Outcome:
        wanted = {k: (v(cluster) if callable(v) else v) for k, v in expected.items()}
        want = ", ".join(f"{k}={v}" for k, v in wanted.items())
        obj = _deployment(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing(deployment)}; the task asks for "
                           f"its container to run with {want}.")
        containers = (obj["spec"]["template"].get("spec") or {}).get("containers") or [{}]
        pods = [p for p in _pods(cluster, obj) if _pod_running(p)]
        if not pods:
            return Outcome(False, want, "no running pod", f'No pod of Deployment "{deployment}" '
                           f"is running; the task asks for it to run with {want}.")
        for pod in pods:
            env = dict(container_env(cluster, "default", pod["metadata"]["name"],
                                     containers[0].get("name", "")) or [])
            got = ", ".join(f"{k}={env[k]}" if k in env else f"no {k}" for k in wanted)
            if any(env.get(k) != v for k, v in wanted.items()):
                return Outcome(False, want, got,
                               f"The container of pod {pod['metadata']['name']} started with "
                               f"{got}: a container keeps the environment it started with, so "
                               "a changed ConfigMap reaches only containers created after the "
                               f"change; the task asks for {want}.")
        return Outcome(True, want, want, f"Every running pod of Deployment \"{deployment}\" "
                       f"started with {want}.")
    check.description = f'the running pods of Deployment "{deployment}" have ' + \
        ", ".join(f"{k}={v}" for k, v in expected.items() if not callable(v))
    return check


def replaced(deployment: str):
    """Passes when the Deployment's ReplicaSets have created more than one pod (their
    SuccessfulCreate events): a pod was replaced, by a deletion or a rollout."""
    want = "2 or more pods created"

    def check(cluster) -> Outcome:
        sets = {rs["metadata"]["name"] for rs in cluster.api.list("ReplicaSet", "default")
                if any(ref.get("kind") == "Deployment" and ref.get("name") == deployment
                       for ref in rs["metadata"].get("ownerReferences") or [])}
        created = sum(e.get("count") or 1 for e in cluster.api.list("Event", "default")
                      if e.get("reason") == "SuccessfulCreate"
                      and (e.get("involvedObject") or {}).get("kind") == "ReplicaSet"
                      and (e.get("involvedObject") or {}).get("name") in sets)
        if created < 2:
            return Outcome(False, want, f"{created} created",
                           f'Deployment "{deployment}" has created {created} pod'
                           f"{'s' if created != 1 else ''}; the task asks you to delete its pod "
                           "so a new one replaces it.")
        return Outcome(True, want, f"{created} created", f'Deployment "{deployment}" has '
                       f"created {created} pods: its pod was replaced.")
    check.description = f'a pod of Deployment "{deployment}" was replaced'
    return check


def _secret_key(cluster) -> str | None:
    import base64
    secret = cluster.api.get("Secret", "story-secret", "default")
    value = (secret.get("data") or {}).get("api-key")
    return None if value is None else base64.b64decode(value).decode("utf-8", "replace")


def _has_key(kind: str, name: str, key: str):
    def check(cluster) -> Outcome:
        from kubelearn.apiserver.errors import StatusError
        try:
            obj = cluster.api.get(kind, name, "default")
        except StatusError:
            return Outcome(False, f"key {key}", "not found", f'{kind} "{name}" was not found in '
                           f'namespace "default"; the task asks for it, with a key {key}.')
        keys = sorted({*(obj.get("data") or {}), *(obj.get("stringData") or {})})
        if key not in keys:
            return Outcome(False, f"key {key}", ", ".join(keys) or "no keys",
                           f'{kind} "{name}" has {"the keys " + ", ".join(keys) if keys else "no keys"}'
                           f"; the task asks for a key {key}.")
        return Outcome(True, f"key {key}", f"key {key}", f'{kind} "{name}" has the key {key}.')
    check.description = f'{kind} "{name}" has the key {key}'
    return check


def _is_empty_dir(volume: dict) -> bool:
    return "emptyDir" in volume


def _is_shared_host_path(volume: dict) -> bool:
    source = volume.get("hostPath") or {}
    return source.get("path", "").rstrip("/") == "/data/shared" and \
        source.get("type") == "DirectoryOrCreate"


def _is_claim(claim: str):
    return lambda volume: (volume.get("persistentVolumeClaim") or {}).get("claimName") == claim


STORE_LINE = "exec deploy/{name} -- sh -c 'echo \"{text}\" >> /app/story/text.txt'"

# 3.4 varies per learner (kubelearn.grading.variants): the claim's name and size and the
# Deployment's name. The defaults are the values the notebook's task text documents; the
# names avoid every other object of the chapter.
CLAIM_NAMES = ("data", "pages", "vault", "shelf", "notes-data")
NOTES_NAMES = ("notes", "journal", "diary", "memo", "ledger")
NOTES_DEFAULTS = {"claim": "data", "size": "2Gi", "app": "notes"}


def _draw_notes(rng) -> dict:
    return {"claim": rng.choice(CLAIM_NAMES), "size": rng.choice(("1Gi", "2Gi", "3Gi", "5Gi")),
            "app": rng.choice(NOTES_NAMES)}


def _provisioned_claim(p: dict) -> Exercise:
    claim, size, app = p["claim"], p["size"], p["app"]
    return Exercise(
        id="3.4", chapter="3", title="A claim the cluster provisions",
        task=(f"Create a PersistentVolumeClaim `{claim}` asking for {size} (`ReadWriteOnce`) of "
              "the default StorageClass, `standard`, without naming a volume: minikube's "
              f"provisioner makes one. Run a Deployment `{app}` (one replica of "
              f"`kubelearn/story:1`) that mounts the claim at `/app/story`, store a line of "
              "story through it, then delete its pod. The Deployment's new pod must still "
              "read the line."),
        checks=(
            Check("claim", f"claim {claim} asks for {size} of class standard", 1,
                  claim_request(claim, size, "standard"),
                  tip=f"resources: {{requests: {{storage: {size}}}}}; storageClassName: "
                      "standard (or none: the default class is filled in)."),
            Check("provisioned", f"claim {claim} is Bound to a volume minikube's provisioner "
                  "made", 1, all_of(claim_bound(claim), provisioned(claim)),
                  tip="leave volumeName out: the provisioner k8s.io/minikube-hostpath makes "
                      "a volume for the claim.",
                  misconceptions=(claim_pending(claim),)),
            Check("pod", f"a Running pod of {app} mounts claim {claim} at /app/story", 1,
                  all_of(mounts(app, "/app/story", _is_claim(claim), f"the claim {claim}"),
                         pod_uses_claim(claim, "/app/story")),
                  tip="volumes: [{name: story-volume, persistentVolumeClaim: {claimName: "
                      f"{claim}}}}}] in the pod template."),
            Check("kept", f"the pod of {app} reads the story in /app/story/text.txt", 2,
                  reads_text(app),
                  tip="store a line through the app (or kubectl exec), then delete the pod."),
            Check("replaced", f"the pod of {app} was deleted and replaced", 1,
                  replaced(app), hidden=True),
        ),
        hints=("A claim without `volumeName` whose class has a provisioner gets a volume made "
               "for it (dynamic provisioning); `kubectl get storageclass` shows the default.",
               "The claim is only a few lines: `accessModes: [ReadWriteOnce]`, `resources: "
               f"{{requests: {{storage: {size}}}}}`. The Deployment mounts it with a "
               f"`persistentVolumeClaim: {{claimName: {claim}}}` volume at `/app/story`.",
               f"Apply the claim and the Deployment, `kubectl rollout status deployment/{app}`, "
               f"store a line (`kubectl exec deploy/{app} -- sh -c 'echo \"Kept on the "
               f"volume\" >> /app/story/text.txt'`), `kubectl delete pod -l app={app}`, wait, "
               f"and `kubectl exec deploy/{app} -- cat /app/story/text.txt`."),
        solution=(("apply -f -", DATA.replace("name: data", f"name: {claim}")
                   .replace("storage: 2Gi", f"storage: {size}")),
                  ("apply -f -", story(app, DATA_CLAIM.replace("claimName: data",
                                                              f"claimName: {claim}"))),
                  f"rollout status deployment/{app}",
                  STORE_LINE.format(name=app, text="Kept on the volume"),
                  f"delete pod -l app={app}",
                  f"rollout status deployment/{app}",
                  f"exec deploy/{app} -- cat /app/story/text.txt"),
    )


EXERCISE_3_4 = variant_exercise(_provisioned_claim, NOTES_DEFAULTS, _draw_notes)

NOTEBOOK = "exercises/03-data-and-volumes.ipynb"

EXERCISES: list[Exercise] = [
    Exercise(
        id="3.1", chapter="3", title="Prove that an emptyDir survives a crash",
        task=("Create a Deployment `story` (one replica of `kubelearn/story:1`, the story app "
              "on port 3000) whose container mounts an `emptyDir` volume at `/app/story`, the "
              "folder where the app keeps `text.txt`. Expose it (a `NodePort` Service, as in "
              "the chapter), store a line of story through the app (`c.http_post(url + "
              '"/story", {"text": "..."})`), then crash the container with `GET /error` and '
              "let the kubelet restart it. The line must still be there: `GET /story` and "
              "`kubectl exec deploy/story -- cat /app/story/text.txt` show it."),
        checks=(
            Check("volume", "story mounts an emptyDir volume at /app/story", 1,
                  mounts("story", "/app/story", _is_empty_dir, "an emptyDir volume"),
                  tip="add volumes: [{name: story-volume, emptyDir: {}}] to the pod template "
                      "and a volumeMounts entry with mountPath: /app/story to the container."),
            Check("restarted", "the story container crashed, restarted and runs again", 1,
                  restarted("story"),
                  tip='c.http_get(url + "/error") crashes the app; c.advance(30) lets the '
                      "kubelet restart it."),
            Check("kept", "the restarted container still reads the story in "
                  "/app/story/text.txt", 2, reads_text("story"),
                  tip="store a line through the app before the crash, into the mounted "
                      "folder."),
            Check("one-pod", "story has rolled out: its pod survived the crash", 1,
                  rollout_complete("story", replicas=1), hidden=True),
        ),
        hints=("A container's own filesystem is new after every restart; a volume belongs to "
               "the pod. Which volume type lives exactly as long as the pod?",
               "In the pod template: `volumes: [{name: story-volume, emptyDir: {}}]`, and in "
               "the container `volumeMounts: [{name: story-volume, mountPath: /app/story}]`. "
               "Then `kubectl expose deployment story --type=NodePort --port=80 "
               "--target-port=3000` and `url = c.minikube(\"service story --url\").stdout"
               ".strip()`.",
               'Apply the Deployment, wait (`%kubectl rollout status deployment/story`), then '
               '`c.http_post(url + "/story", {"text": "Once upon a time"})`, `c.http_get(url + '
               '"/error")` (it answers nothing: the app died), `c.advance(30)`, and '
               '`c.http_get(url + "/story").text`.'),
        solution=(("apply -f -", story("story", EMPTY_DIR, ONCE_PROBE)),
                  "expose deployment story --type=NodePort --port=80 --target-port=3000",
                  "rollout status deployment/story",
                  "get pods -l app=story",
                  "exec deploy/story -- cat /app/story/text.txt"),
    ),
    Exercise(
        id="3.2", chapter="3", title="One hostPath directory, two pods",
        task=("Run two Deployments of `kubelearn/story:1`, `story-a` and `story-b` (one "
              "replica each), whose containers both mount the node's directory `/data/shared` "
              "(a `hostPath` volume of type `DirectoryOrCreate`) at `/app/story`. Store a line "
              "of story through `story-a` (its app, or `kubectl exec deploy/story-a -- sh -c "
              "'echo ... >> /app/story/text.txt'`) and read it back through `story-b`. "
              "The node's own disk has it too: `c.storage.disk(\"minikube\")"
              ".read(\"/data/shared/text.txt\")`."),
        checks=(
            Check("mounts", "story-a and story-b mount the hostPath /data/shared "
                  "(DirectoryOrCreate) at /app/story", 2,
                  all_of(*(mounts(name, "/app/story", _is_shared_host_path,
                                  "the hostPath /data/shared of type DirectoryOrCreate")
                           for name in ("story-a", "story-b"))),
                  tip="both pod templates need the same hostPath volume: path: /data/shared, "
                      "type: DirectoryOrCreate."),
            Check("node", "both apps run, on the same node", 1, same_node("story-a", "story-b"),
                  tip="kubectl get pods -o wide shows where each pod runs."),
            Check("disk", "the node has the story in /data/shared/text.txt", 1,
                  node_file("/data/shared/text.txt"),
                  tip="store a line through story-a: it lands in the node's directory."),
            Check("shared", "story-b reads the story story-a stored", 1,
                  reads_text("story-b"),
                  tip="kubectl exec deploy/story-b -- cat /app/story/text.txt"),
        ),
        hints=("A `hostPath` volume shows a directory of the node's own disk inside the "
               "container; every pod on that node that mounts it sees the same files.",
               "Both templates get `volumes: [{name: story-volume, hostPath: {path: "
               "/data/shared, type: DirectoryOrCreate}}]` and a mount at `/app/story`. The two "
               "Deployments need different names and labels (app=story-a, app=story-b).",
               "Apply both, `kubectl rollout status` each, then `kubectl exec deploy/story-a "
               "-- sh -c 'echo \"Shared on the node\" >> /app/story/text.txt'` and `kubectl "
               "exec deploy/story-b -- cat /app/story/text.txt`."),
        solution=(("apply -f -", story("story-a", SHARED_HOST_PATH)),
                  ("apply -f -", story("story-b", SHARED_HOST_PATH)),
                  "rollout status deployment/story-a",
                  "rollout status deployment/story-b",
                  STORE_LINE.format(name="story-a", text="Shared on the node"),
                  "exec deploy/story-b -- cat /app/story/text.txt"),
    ),
    Exercise(
        id="3.3", chapter="3", title="A volume and the claim that names it",
        task=("Create a PersistentVolume `exercise-pv`: 1Gi, access mode `ReadWriteOnce`, "
              "storage class `manual`, backed by the node's directory `/data/exercise` "
              "(`hostPath`, type `DirectoryOrCreate`). Then a PersistentVolumeClaim "
              "`exercise-claim` (1Gi, `ReadWriteOnce`, class `manual`) that binds *that* "
              "volume by naming it (`volumeName`). Finally run a pod that uses the claim as "
              "a volume, and make sure it is Running."),
        checks=(
            Check("pv", "PersistentVolume exercise-pv is hostPath, 1Gi, ReadWriteOnce", 1,
                  pv_spec("exercise-pv"),
                  tip="capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: "
                      "{path: /data/exercise, type: DirectoryOrCreate}."),
            Check("bound", "exercise-claim is Bound to exercise-pv, and the volume to it", 2,
                  claim_bound("exercise-claim", "exercise-pv"),
                  tip="kubectl get pv,pvc shows both; kubectl describe pvc exercise-claim "
                      "says why a claim waits.",
                  misconceptions=(claim_class_mismatch("exercise-claim", "exercise-pv"),
                                  claim_pending("exercise-claim"))),
            Check("pod", "a Running pod uses exercise-claim", 1, pod_uses_claim("exercise-claim"),
                  tip="volumes: [{name: data, persistentVolumeClaim: {claimName: "
                      "exercise-claim}}] plus a volumeMounts entry."),
            Check("volume-name", "the claim names its volume (spec.volumeName)", 1,
                  not_pre_bound("exercise-claim"), hidden=True),
            Check("class", "the volume has storage class manual", 1,
                  field_equals("PersistentVolume", "exercise-pv", "spec.storageClassName",
                               "manual"), hidden=True),
        ),
        hints=("A PersistentVolume is cluster-wide storage; a claim asks for storage, and "
               "`spec.volumeName` in the claim names the one volume it wants (static "
               "binding).",
               "The claim's class must match the volume's (`storageClassName: manual` in "
               "both): a claim with no class gets the default class, `standard`, and its "
               "provisioner makes a new volume instead.",
               "Apply the PV (kind: PersistentVolume, apiVersion: v1), then a claim with "
               "`volumeName: exercise-pv`, `storageClassName: manual`, accessModes "
               "[ReadWriteOnce] and requests storage 1Gi, then a pod with a "
               "persistentVolumeClaim volume; `kubectl get pv,pvc,pods`."),
        solution=(("apply -f -", EXERCISE_PV), ("apply -f -", EXERCISE_CLAIM),
                  ("apply -f -", EXERCISE_POD), "get pv,pvc"),
    ),
    EXERCISE_3_4,
    Exercise(
        id="3.5", chapter="3", title="Configuration from a ConfigMap and a Secret, changed",
        task=("Create a ConfigMap `story-config` with the key `folder` set to `story`, and a "
              "Secret `story-secret` with the key `api-key` (any value). Run a Deployment "
              "`story-env` (one replica of `kubelearn/story:1`) whose container gets "
              "`STORY_FOLDER` from the ConfigMap's `folder` (`configMapKeyRef`) and `API_KEY` "
              "from the Secret's `api-key` (`secretKeyRef`). Then change `folder` to `archive` "
              "and make the running app use the new value."),
        checks=(
            Check("config", "ConfigMap story-config has folder = archive", 1,
                  field_equals("ConfigMap", "story-config", "data.folder", "archive"),
                  tip="kubectl create configmap story-config --from-literal=folder=story; "
                      "later kubectl edit or apply it with archive."),
            Check("secret", "Secret story-secret has the key api-key", 1,
                  _has_key("Secret", "story-secret", "api-key"),
                  tip="kubectl create secret generic story-secret --from-literal=api-key=..."),
            Check("refs", "story-env takes STORY_FOLDER from the ConfigMap and API_KEY from "
                  "the Secret", 2,
                  env_refs("story-env", {
                      "STORY_FOLDER": ("configMapKeyRef", "story-config", "folder"),
                      "API_KEY": ("secretKeyRef", "story-secret", "api-key")}),
                  tip="env: [{name: STORY_FOLDER, valueFrom: {configMapKeyRef: {name: "
                      "story-config, key: folder}}}, ...] in the container."),
            Check("rolled-out", "the running container started with STORY_FOLDER=archive", 2,
                  running_env("story-env", {"STORY_FOLDER": "archive"}),
                  tip="a container reads its environment when it starts: kubectl rollout "
                      "restart deployment/story-env."),
            Check("api-key", "the running container has the Secret's api-key as API_KEY", 1,
                  running_env("story-env", {"API_KEY": _secret_key}), hidden=True),
            Check("complete", "story-env has rolled out", 1,
                  all_of(exists("Deployment", "story-env"),
                         rollout_complete("story-env", replicas=1)), hidden=True),
        ),
        hints=("`kubectl create configmap NAME --from-literal=KEY=VALUE` and `kubectl create "
               "secret generic NAME --from-literal=KEY=VALUE` make both; `valueFrom` in a "
               "container's `env` reads one key of either.",
               "A container's environment is fixed when it starts: after you change the "
               "ConfigMap, the running pod still has the old value (`kubectl exec "
               "deploy/story-env -- printenv STORY_FOLDER`).",
               "Change the value (`kubectl create configmap story-config "
               "--from-literal=folder=archive --dry-run=client -o yaml | kubectl apply -f -`, "
               "or `kubectl edit`, or apply a manifest), then `kubectl rollout restart "
               "deployment/story-env` and `kubectl rollout status deployment/story-env`."),
        solution=(("apply -f -", STORY_CONFIG.format(folder="story")),
                  "create secret generic story-secret --from-literal=api-key=s3cr3t",
                  ("apply -f -", STORY_ENV),
                  "rollout status deployment/story-env",
                  ("apply -f -", STORY_CONFIG.format(folder="archive")),
                  "rollout restart deployment/story-env",
                  "rollout status deployment/story-env",
                  "get pods -l app=story-env"),
    ),
]
