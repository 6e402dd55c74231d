"""Golden tests of ``kubectl describe`` (``kubelearn.kubectl.describe``).

The pod, deployment and service texts are the examples of kubectl-reference.md
§3 (with concrete ids where the reference elides them); the others follow
describe.go (v1.32). Alignment is Go's tabwriter with describe's settings:
a column lines up across a run of consecutive lines that have a tab in it.
"""
from __future__ import annotations

import pytest

from kubelearn.api.kinds import kind_info
from kubelearn.apiserver.store import Store
from kubelearn.clock import rfc3339
from kubelearn.kubectl.describe import describe
from kubelearn.kubectl.describe.writer import PrefixWriter, print_annotations_multiline

HOUR, DAY = 3600, 86400
NODE_UID = "1b0c6a52-4a4f-4c36-9bd6-2f0c1b7d9e01"


class FakeAPI:
    """The read side of the API server over a real Store: enough for describe."""

    def __init__(self, *objects: dict):
        self.store = Store()
        for obj in objects:
            self.store.put(obj["kind"], obj)

    def list(self, kind, namespace=None, selector=None):
        info = kind_info(kind)
        return self.store.list(info.kind, namespace if info.namespaced else None, selector)


def meta(name, created=0.0, namespace="default", uid=None, **extra):
    m = {"name": name, "uid": uid or f"uid-{name}", "creationTimestamp": rfc3339(created), **extra}
    if namespace:
        m["namespace"] = namespace
    return m


def event(obj, n, reason, message, component, first, last=None, count=1, type_="Normal",
          uid=None):
    m = obj["metadata"]
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{m['name']}.{n:04d}", "namespace": m.get("namespace", "default"),
                         "creationTimestamp": rfc3339(first)},
            "involvedObject": {"apiVersion": obj["apiVersion"], "kind": obj["kind"],
                               "name": m["name"], "namespace": m.get("namespace", ""),
                               "uid": uid or m["uid"]},
            "reason": reason, "message": message, "source": {"component": component},
            "firstTimestamp": rfc3339(first), "lastTimestamp": rfc3339(last or first),
            "count": count, "type": type_, "eventTime": None, "reportingComponent": component,
            "reportingInstance": ""}


# --- Pod (reference §3.2) ---------------------------------------------------------------------

T0 = HOUR  # Mon, 02 Jun 2025 10:00:00 +0000

RS_OWNER = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9c6b8f5d",
            "uid": "uid-web-7d9c6b8f5d", "controller": True, "blockOwnerDeletion": True}
TOLERATIONS = [
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
     "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
     "tolerationSeconds": 300},
]


def reference_pod() -> dict:
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": meta("web-7d9c6b8f5d-4xkqz", T0, labels={
            "pod-template-hash": "7d9c6b8f5d", "app": "web"}, ownerReferences=[RS_OWNER]),
        "spec": {
            "containers": [{
                "name": "nginx", "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "livenessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
                                  "initialDelaySeconds": 5, "timeoutSeconds": 1,
                                  "periodSeconds": 10, "successThreshold": 1,
                                  "failureThreshold": 3},
                "volumeMounts": [{"name": "kube-api-access-8xk2p", "readOnly": True,
                                  "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
            "volumes": [{"name": "kube-api-access-8xk2p", "projected": {"sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt",
                               "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                    "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
            "nodeName": "minikube", "serviceAccountName": "default", "priority": 0,
            "tolerations": TOLERATIONS,
        },
        "status": {
            "phase": "Running", "hostIP": "192.168.49.2", "podIP": "10.244.0.5",
            "podIPs": [{"ip": "10.244.0.5"}], "startTime": rfc3339(T0), "qosClass": "BestEffort",
            "conditions": [{"type": t, "status": "True"} for t in (
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                "PodScheduled")],
            "containerStatuses": [{
                "name": "nginx", "ready": True, "restartCount": 0, "started": True,
                "image": "nginx:1.25",
                "containerID": "docker://3f2a9c1b7e4d",
                "imageID": "docker-pullable://nginx@sha256:a484819eb602",
                "state": {"running": {"startedAt": rfc3339(T0 + 5)}}}],
        },
    }


def reference_pod_events(pod):
    return [
        event(pod, 1, "Scheduled", "Successfully assigned default/web-7d9c6b8f5d-4xkqz to "
              "minikube", "default-scheduler", T0),
        event(pod, 2, "Pulling", 'Pulling image "nginx:1.25"', "kubelet", T0 + 1),
        event(pod, 3, "Pulled", 'Successfully pulled image "nginx:1.25" in 4.1s (4.1s including '
              "waiting). Image size: 72950530 bytes.", "kubelet", T0 + 5),
        event(pod, 4, "Created", "Created container: nginx", "kubelet", T0 + 5),
        event(pod, 5, "Started", "Started container nginx", "kubelet", T0 + 5),
    ]


REFERENCE_POD = """\
Name:             web-7d9c6b8f5d-4xkqz
Namespace:        default
Priority:         0
Service Account:  default
Node:             minikube/192.168.49.2
Start Time:       Mon, 02 Jun 2025 10:00:00 +0000
Labels:           app=web
                  pod-template-hash=7d9c6b8f5d
Annotations:      <none>
Status:           Running
IP:               10.244.0.5
IPs:
  IP:           10.244.0.5
Controlled By:  ReplicaSet/web-7d9c6b8f5d
Containers:
  nginx:
    Container ID:   docker://3f2a9c1b7e4d
    Image:          nginx:1.25
    Image ID:       docker-pullable://nginx@sha256:a484819eb602
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Mon, 02 Jun 2025 10:00:05 +0000
    Ready:          True
    Restart Count:  0
    Liveness:       http-get http://:80/ delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-8xk2p (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-8xk2p:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  30s   default-scheduler  Successfully assigned default/web-7d9c6b8f5d-4xkqz to minikube
  Normal  Pulling    29s   kubelet            Pulling image "nginx:1.25"
  Normal  Pulled     25s   kubelet            Successfully pulled image "nginx:1.25" in 4.1s (4.1s including waiting). Image size: 72950530 bytes.
  Normal  Created    25s   kubelet            Created container: nginx
  Normal  Started    25s   kubelet            Started container nginx
"""


def test_pod_matches_reference():
    pod = reference_pod()
    api = FakeAPI(pod, *reference_pod_events(pod))
    assert describe(api, "Pod", pod, T0 + 30) == REFERENCE_POD


def test_pod_without_events_and_with_show_events_false():
    pod = reference_pod()
    api = FakeAPI(pod)
    text = describe(api, "Pod", pod, T0 + 30)
    assert text.endswith("                             node.kubernetes.io/unreachable:NoExecute "
                         "op=Exists for 300s\nEvents:                      <none>\n")
    assert "Events" not in describe(api, "Pod", pod, T0 + 30, show_events=False)


def test_pod_events_count_and_sort_by_last_timestamp():
    pod = reference_pod()
    backoff = event(pod, 9, "BackOff", "Back-off restarting failed container nginx in pod "
                    "web-7d9c6b8f5d-4xkqz_default(uid)", "kubelet", T0, last=T0 + 180, count=5,
                    type_="Warning")
    early = event(pod, 1, "Scheduled", "Successfully assigned x", "default-scheduler", T0 + 10)
    api = FakeAPI(pod, backoff, early)
    events = describe(api, "Pod", pod, T0 + 360).split("Events:\n")[1]
    assert events == (
        "  Type     Reason     Age              From               Message\n"
        "  ----     ------     ----             ----               -------\n"
        "  Normal   Scheduled  5m50s            default-scheduler  Successfully assigned x\n"
        "  Warning  BackOff    3m (x5 over 6m)  kubelet            Back-off restarting failed "
        "container nginx in pod web-7d9c6b8f5d-4xkqz_default(uid)\n")


def test_pod_crashloop_container_block():
    pod = reference_pod()
    pod["metadata"]["annotations"] = {"kubectl.kubernetes.io/restartedAt": "2025-06-02T09:59:00Z",
                                      "kubectl.kubernetes.io/last-applied-configuration": "{}"}
    c = pod["spec"]["containers"][0]
    c.update(command=["sh", "-c"], args=["echo hi\nsleep 1"],
             env=[{"name": "MODE", "value": "prod"},
                  {"name": "DB_HOST", "valueFrom": {"configMapKeyRef": {"name": "cfg",
                                                                        "key": "db"}}},
                  {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw",
                                                                      "optional": True}}},
                  {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
             envFrom=[{"configMapRef": {"name": "app-config"}},
                      {"prefix": "S_", "secretRef": {"name": "extra"}}],
             resources={"limits": {"memory": "128Mi", "cpu": "500m"},
                        "requests": {"cpu": "250m", "memory": "64Mi"}},
             ports=[{"containerPort": 8080, "protocol": "TCP"},
                    {"containerPort": 9090, "protocol": "UDP", "hostPort": 9090}])
    c["volumeMounts"].append({"name": "data", "mountPath": "/data", "subPath": "web"})
    del c["livenessProbe"]
    c["readinessProbe"] = {"exec": {"command": ["cat", "/tmp/healthy"]}}
    pod["status"]["containerStatuses"][0].update(
        ready=False, restartCount=3, state={"waiting": {"reason": "CrashLoopBackOff"}},
        lastState={"terminated": {"exitCode": 1, "reason": "Error", "startedAt": rfc3339(T0 + 60),
                                  "finishedAt": rfc3339(T0 + 62)}})
    text = describe(FakeAPI(pod), "Pod", pod, T0 + 120, show_events=False)
    assert "Annotations:      kubectl.kubernetes.io/restartedAt: 2025-06-02T09:59:00Z\n" in text
    block = text.split("Containers:\n")[1].split("Conditions:\n")[0]
    assert block == """\
  nginx:
    Container ID:  docker://3f2a9c1b7e4d
    Image:         nginx:1.25
    Image ID:      docker-pullable://nginx@sha256:a484819eb602
    Ports:         8080/TCP, 9090/UDP
    Host Ports:    0/TCP, 9090/UDP
    Command:
      sh
      -c
    Args:
      echo hi
      sleep 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Mon, 02 Jun 2025 10:01:00 +0000
      Finished:     Mon, 02 Jun 2025 10:01:02 +0000
    Ready:          False
    Restart Count:  3
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:      250m
      memory:   64Mi
    Readiness:  exec [cat /tmp/healthy] delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment Variables from:
      app-config  ConfigMap                Optional: false
      extra       Secret with prefix 'S_'  Optional: false
    Environment:
      MODE:      prod
      DB_HOST:   <set to the key 'db' of config map 'cfg'>  Optional: false
      PASSWORD:  <set to the key 'pw' in secret 'db'>       Optional: true
      POD_NAME:  web-7d9c6b8f5d-4xkqz (v1:metadata.name)
    Mounts:
      /data from data (rw,path="web")
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-8xk2p (ro)
"""


def test_pending_unscheduled_pod_and_terminating_pod():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta("lonely", T0),
           "spec": {"containers": [{"name": "app", "image": "nope:1"}]},
           "status": {"phase": "Pending", "qosClass": "BestEffort"}}
    assert describe(FakeAPI(pod), "Pod", pod, T0 + 5) == """\
Name:         lonely
Namespace:    default
Node:         <none>
Labels:       <none>
Annotations:  <none>
Status:       Pending
IP:           
IPs:          <none>
Containers:
  app:
    Image:        nope:1
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Volumes:          <none>
QoS Class:        BestEffort
Node-Selectors:   <none>
Tolerations:      <none>
Events:           <none>
"""
    running = reference_pod()
    running["metadata"].update(deletionTimestamp=rfc3339(T0 + 60), deletionGracePeriodSeconds=30)
    text = describe(FakeAPI(running), "Pod", running, T0 + 30, show_events=False)
    assert "Status:                    Terminating (lasts <invalid>)\n" \
           "Termination Grace Period:  30s\n" in text


def test_pod_volume_types():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta("vols"),
           "spec": {"containers": [], "volumes": [
               {"name": "cache", "emptyDir": {}},
               {"name": "host", "hostPath": {"path": "/data", "type": "DirectoryOrCreate"}},
               {"name": "cfg", "configMap": {"name": "app-config"}},
               {"name": "sec", "secret": {"secretName": "db"}},
               {"name": "claim", "persistentVolumeClaim": {"claimName": "data-pvc"}}]},
           "status": {"phase": "Pending"}}
    text = describe(FakeAPI(pod), "Pod", pod, 0, show_events=False)
    assert text.split("Volumes:\n")[1].split("QoS Class")[0] == """\
  cache:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  host:
    Type:          HostPath (bare host directory volume)
    Path:          /data
    HostPathType:  DirectoryOrCreate
  cfg:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      app-config
    Optional:  false
  sec:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  db
    Optional:    false
  claim:
    Type:        PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:   data-pvc
    ReadOnly:    false
"""
    assert "Containers: <none>\n" in text


def test_unmodelled_volume_source_is_not_printed():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta("gce"),
           "spec": {"containers": [], "volumes": [{"name": "d", "gcePersistentDisk": {
               "pdName": "disk"}}]}, "status": {}}
    with pytest.raises(NotImplementedError, match="gcePersistentDisk"):
        describe(FakeAPI(pod), "Pod", pod, 0)


# --- Deployment and ReplicaSet (reference §3.1) -------------------------------------------------

def pod_template(hash_=None, image="nginx:1.25"):
    labels = {"app": "web", **({"pod-template-hash": hash_} if hash_ else {})}
    return {"metadata": {"labels": labels}, "spec": {"containers": [{
        "name": "nginx", "image": image, "ports": [{"containerPort": 80, "protocol": "TCP"}],
        "resources": {}, "imagePullPolicy": "IfNotPresent"}], "restartPolicy": "Always"}}


def deployment() -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": meta("web", T0, labels={"app": "web"},
                             annotations={"deployment.kubernetes.io/revision": "2"}),
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                     "template": pod_template(),
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                     "minReadySeconds": 0, "revisionHistoryLimit": 10},
            "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
                       "availableReplicas": 3,
                       "conditions": [{"type": "Available", "status": "True",
                                       "reason": "MinimumReplicasAvailable"},
                                      {"type": "Progressing", "status": "True",
                                       "reason": "NewReplicaSetAvailable"}]}}


def replica_set(name, hash_, replicas, created, image="nginx:1.25", owner_uid="uid-web"):
    owner = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": owner_uid,
             "controller": True}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": meta(name, created, labels={"app": "web", "pod-template-hash": hash_},
                             ownerReferences=[owner]),
            "spec": {"replicas": replicas, "selector": {"matchLabels": {
                "app": "web", "pod-template-hash": hash_}}, "template": pod_template(hash_, image)},
            "status": {"replicas": replicas}}


REFERENCE_DEPLOYMENT = """\
Name:                   web
Namespace:              default
CreationTimestamp:      Mon, 02 Jun 2025 10:00:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.25
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  web-5b8f7c9d4 (0/0 replicas created)
NewReplicaSet:   web-7d9c6b8f5d (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  2m    deployment-controller  Scaled up replica set web-7d9c6b8f5d to 3
"""


def test_deployment_matches_reference():
    """The reference's header and Conditions blocks exactly; its pod-template block is
    "approximate" there (§3.1 note): upstream aligns ``Image:`` ... ``Tolerations:`` as one
    block, so the widest label (``  Node-Selectors:``) sets the column for all of them."""
    d = deployment()
    old = replica_set("web-5b8f7c9d4", "5b8f7c9d4", 0, T0, image="nginx:1.24")
    new = replica_set("web-7d9c6b8f5d", "7d9c6b8f5d", 3, T0 + 600)
    other = replica_set("web-unowned", "zzz", 1, T0, owner_uid="someone-else")
    scaled = event(d, 1, "ScalingReplicaSet", "Scaled up replica set web-7d9c6b8f5d to 3",
                   "deployment-controller", T0 + 600)
    api = FakeAPI(d, new, old, other, scaled)
    assert describe(api, "Deployment", d, T0 + 720) == REFERENCE_DEPLOYMENT


def test_deployment_without_replica_sets_or_events():
    d = deployment()
    d["spec"]["strategy"] = {"type": "Recreate"}
    del d["status"]["conditions"]
    text = describe(FakeAPI(d), "Deployment", d, T0)
    assert "RollingUpdateStrategy" not in text and "ReplicaSet" not in text
    assert text.endswith("  Tolerations:     <none>\nEvents:            <none>\n")


def test_replica_set():
    rs = replica_set("web-7d9c6b8f5d", "7d9c6b8f5d", 3, T0)
    pods = []
    for i, phase in enumerate(["Running", "Running", "Pending", "Failed"]):
        pods.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta(
            f"web-7d9c6b8f5d-{i}", T0, labels={"app": "web", "pod-template-hash": "7d9c6b8f5d"},
            ownerReferences=[{**RS_OWNER}]), "spec": {}, "status": {"phase": phase}})
    pods[3]["metadata"]["ownerReferences"][0]["uid"] = "other"
    rs["metadata"]["annotations"] = {"deployment.kubernetes.io/desired-replicas": "3",
                                     "deployment.kubernetes.io/max-replicas": "4",
                                     "deployment.kubernetes.io/revision": "1"}
    assert describe(FakeAPI(rs, *pods), "ReplicaSet", rs, T0 + 60) == """\
Name:           web-7d9c6b8f5d
Namespace:      default
Selector:       app=web,pod-template-hash=7d9c6b8f5d
Labels:         app=web
                pod-template-hash=7d9c6b8f5d
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/web
Replicas:       3 current / 3 desired
Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=web
           pod-template-hash=7d9c6b8f5d
  Containers:
   nginx:
    Image:         nginx:1.25
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
"""


def test_daemon_set():
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet",
          "metadata": meta("kube-proxy", 0, "kube-system", labels={"k8s-app": "kube-proxy"},
                           annotations={"deprecated.daemonset.template.generation": "1"}),
          "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
                   "template": {"metadata": {"labels": {"k8s-app": "kube-proxy"}}, "spec": {
                       "priorityClassName": "system-node-critical",
                       "nodeSelector": {"kubernetes.io/os": "linux"},
                       "containers": [{"name": "kube-proxy", "image": "registry.k8s.io/kube-proxy:v1.32.0",
                                       "command": ["/usr/local/bin/kube-proxy"]}],
                       "tolerations": [{"operator": "Exists"}]}}},
          "status": {"desiredNumberScheduled": 1, "currentNumberScheduled": 1,
                     "updatedNumberScheduled": 1, "numberAvailable": 1, "numberReady": 1}}
    assert describe(FakeAPI(ds), "DaemonSet", ds, 100) == """\
Name:           kube-proxy
Namespace:      kube-system
Selector:       k8s-app=kube-proxy
Node-Selector:  kubernetes.io/os=linux
Labels:         k8s-app=kube-proxy
Annotations:    deprecated.daemonset.template.generation: 1
Desired Number of Nodes Scheduled: 1
Current Number of Nodes Scheduled: 1
Number of Nodes Scheduled with Up-to-date Pods: 1
Number of Nodes Scheduled with Available Pods: 1
Number of Nodes Misscheduled: 0
Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  k8s-app=kube-proxy
  Containers:
   kube-proxy:
    Image:      registry.k8s.io/kube-proxy:v1.32.0
    Port:       <none>
    Host Port:  <none>
    Command:
      /usr/local/bin/kube-proxy
    Environment:        <none>
    Mounts:             <none>
  Volumes:              <none>
  Priority Class Name:  system-node-critical
  Node-Selectors:       kubernetes.io/os=linux
  Tolerations:          op=Exists
Events:                 <none>
"""


# --- Service and Endpoints (reference §3.3) ------------------------------------------------------

def web_service():
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta("web", T0, labels={"app": "web"}),
            "spec": {"type": "NodePort", "selector": {"app": "web"}, "clusterIP": "10.105.12.34",
                     "clusterIPs": ["10.105.12.34"], "ipFamilies": ["IPv4"],
                     "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None",
                     "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster",
                     "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080,
                                "nodePort": 31000}]},
            "status": {"loadBalancer": {}}}


def web_endpoints(ready, not_ready=()):
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("web", T0),
            "subsets": [{"addresses": [{"ip": ip} for ip in ready],
                         "notReadyAddresses": [{"ip": ip} for ip in not_ready],
                         "ports": [{"port": 8080, "protocol": "TCP"}]}]}


REFERENCE_SERVICE = """\
Name:                     web
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.105.12.34
IPs:                      10.105.12.34
Port:                     <unset>  80/TCP
TargetPort:               8080/TCP
NodePort:                 <unset>  31000/TCP
Endpoints:                10.244.0.5:8080,10.244.0.6:8080
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
"""


def test_service_matches_reference():
    svc = web_service()
    api = FakeAPI(svc, web_endpoints(["10.244.0.5", "10.244.0.6"], ["10.244.0.9"]))
    assert describe(api, "Service", svc, T0 + 60) == REFERENCE_SERVICE


@pytest.mark.parametrize("ready, not_ready, shown", [
    (["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"], [],
     "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more..."),
    # upstream 1.32 flags "more" before skipping a not-ready endpoint
    (["10.0.0.1", "10.0.0.2", "10.0.0.3"], ["10.0.0.4"],
     "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 0 more..."),
    ([], ["10.0.0.4"], ""),
])
def test_service_endpoints_line(ready, not_ready, shown):
    svc = web_service()
    text = describe(FakeAPI(svc, web_endpoints(ready, not_ready)), "Service", svc, T0)
    assert f"\nEndpoints:                {shown}\n" in text


def test_load_balancer_service_without_endpoints_object():
    svc = web_service()
    svc["spec"]["type"] = "LoadBalancer"
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "10.96.184.178", "ipMode": "VIP"}]}}
    text = describe(FakeAPI(svc), "Service", svc, T0)
    assert "LoadBalancer Ingress:     10.96.184.178 (VIP)\n" in text
    assert "Endpoints:                <none>\n" in text


def test_endpoints():
    ep = web_endpoints(["10.244.0.5", "10.244.0.6"], ["10.244.0.9"])
    ep["subsets"][0]["ports"][0]["name"] = "http"
    assert describe(FakeAPI(ep), "Endpoints", ep, T0) == """\
Name:         web
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          10.244.0.5,10.244.0.6
  NotReadyAddresses:  10.244.0.9
  Ports:
    Name  Port  Protocol
    ----  ----  --------
    http  8080  TCP

Events:  <none>
"""


# --- Node ---------------------------------------------------------------------------------------

def minikube_node():
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": meta("minikube", 0, None, uid=NODE_UID, labels={
            "kubernetes.io/hostname": "minikube", "kubernetes.io/os": "linux",
            "node-role.kubernetes.io/control-plane": ""},
            annotations={"node.alpha.kubernetes.io/ttl": "0"}),
        "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"],
                 "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"},
                            {"key": "dedicated", "value": "gpu", "effect": "NoExecute"}],
                 "unschedulable": True},
        "status": {
            "conditions": [
                {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
                 "message": "kubelet has sufficient memory available",
                 "lastHeartbeatTime": rfc3339(3000), "lastTransitionTime": rfc3339(0)},
                {"type": "Ready", "status": "True", "reason": "KubeletReady",
                 "message": "kubelet is posting ready status",
                 "lastHeartbeatTime": rfc3339(3000), "lastTransitionTime": rfc3339(20)}],
            "addresses": [{"address": "192.168.49.2", "type": "InternalIP"},
                          {"address": "minikube", "type": "Hostname"}],
            "capacity": {"cpu": "2", "ephemeral-storage": "102107096Ki", "hugepages-2Mi": "0",
                         "memory": "8128380Ki", "pods": "110"},
            "allocatable": {"cpu": "2", "ephemeral-storage": "102107096Ki", "hugepages-2Mi": "0",
                            "memory": "8128380Ki", "pods": "110"},
            "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "docker://27.4.1",
                         "kernelVersion": "5.15.0-1074-gcp", "kubeProxyVersion": "v1.32.0",
                         "kubeletVersion": "v1.32.0", "operatingSystem": "linux",
                         "osImage": "Ubuntu 22.04.5 LTS", "machineID": "b1c2", "bootID": "d4e5",
                         "systemUUID": "f6a7"}}}


def node_pod(name, namespace, node="minikube", phase="Running", requests=None, limits=None,
             init=None):
    container = {"name": "c", "resources": {**({"requests": requests} if requests else {}),
                                            **({"limits": limits} if limits else {})}}
    spec = {"nodeName": node, "containers": [container]}
    if init:
        spec["initContainers"] = init
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta(name, 600, namespace),
            "spec": spec, "status": {"phase": phase}}


def test_node():
    node = minikube_node()
    pods = [node_pod("coredns-668d6bf9bc-abcde", "kube-system",
                     requests={"cpu": "100m", "memory": "70Mi"}, limits={"memory": "170Mi"}),
            node_pod("etcd-minikube", "kube-system", requests={"cpu": "100m"}),
            node_pod("web-1", "default", requests={"cpu": "250m", "memory": "64Mi"},
                     limits={"cpu": "500m", "memory": "128Mi"},
                     init=[{"name": "setup", "resources": {"requests": {"cpu": "1"}}}]),
            node_pod("done", "default", phase="Succeeded", requests={"cpu": "1"}),
            node_pod("elsewhere", "default", node="worker-1", requests={"cpu": "1"})]
    kubelet = event(node, 1, "Starting", "Starting kubelet.", "kubelet", 10, uid="minikube")
    registered = event(node, 2, "RegisteredNode", "Node minikube event: Registered Node minikube "
                       "in Controller", "node-controller", 30)
    api = FakeAPI(node, *pods, kubelet, registered)
    assert describe(api, "Node", node, 3605) == """\
Name:               minikube
Roles:              control-plane
Labels:             kubernetes.io/hostname=minikube
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/control-plane=
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Mon, 02 Jun 2025 09:00:00 +0000
Taints:             dedicated=gpu:NoExecute
                    node.kubernetes.io/unschedulable:NoSchedule
Unschedulable:      true
Lease:
  HolderIdentity:  minikube
  AcquireTime:     <unset>
  RenewTime:       Mon, 02 Jun 2025 10:00:00 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Mon, 02 Jun 2025 09:50:00 +0000   Mon, 02 Jun 2025 09:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    Mon, 02 Jun 2025 09:50:00 +0000   Mon, 02 Jun 2025 09:00:20 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  192.168.49.2
  Hostname:    minikube
Capacity:
  cpu:                2
  ephemeral-storage:  102107096Ki
  hugepages-2Mi:      0
  memory:             8128380Ki
  pods:               110
Allocatable:
  cpu:                2
  ephemeral-storage:  102107096Ki
  hugepages-2Mi:      0
  memory:             8128380Ki
  pods:               110
System Info:
  Machine ID:                 b1c2
  System UUID:                f6a7
  Boot ID:                    d4e5
  Kernel Version:             5.15.0-1074-gcp
  OS Image:                   Ubuntu 22.04.5 LTS
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  docker://27.4.1
  Kubelet Version:            v1.32.0
  Kube-Proxy Version:         v1.32.0
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (3 in total)
  Namespace                   Name                        CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                        ------------  ----------  ---------------  -------------  ---
  default                     web-1                       1 (50%)       500m (25%)  64Mi (0%)        128Mi (1%)     50m
  kube-system                 coredns-668d6bf9bc-abcde    100m (5%)     0 (0%)      70Mi (0%)        170Mi (2%)     50m
  kube-system                 etcd-minikube               100m (5%)     0 (0%)      0 (0%)           0 (0%)         50m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests     Limits
  --------           --------     ------
  cpu                1200m (60%)  500m (25%)
  memory             134Mi (1%)   298Mi (3%)
  ephemeral-storage  0 (0%)       0 (0%)
  hugepages-2Mi      0 (0%)       0 (0%)
Events:
  Type    Reason          Age   From             Message
  ----    ------          ----  ----             -------
  Normal  Starting        59m   kubelet          Starting kubelet.
  Normal  RegisteredNode  59m   node-controller  Node minikube event: Registered Node minikube in Controller
"""


def test_not_ready_node_lease_renewed_at_last_heartbeat():
    node = minikube_node()
    node["status"]["conditions"][1].update(status="Unknown", lastHeartbeatTime=rfc3339(1200))
    text = describe(FakeAPI(node), "Node", node, 3605, show_events=False)
    assert "  RenewTime:       Mon, 02 Jun 2025 09:20:00 +0000\n" in text


# --- Namespace, ConfigMap, Secret, ServiceAccount -----------------------------------------------

def test_namespace():
    ns = {"apiVersion": "v1", "kind": "Namespace",
          "metadata": meta("default", 0, None, labels={"kubernetes.io/metadata.name": "default"}),
          "status": {"phase": "Active"}}
    assert describe(FakeAPI(ns), "Namespace", ns, 10) == """\
Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
"""


def test_config_map_sorts_keys_and_keeps_values_verbatim():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("game-demo"),
          "data": {"ui_properties_file_name": "user-interface.properties",
                   "player_initial_lives": "3", "game.properties": "enemy.types=aliens\nlives=3\n"},
          "binaryData": {"blob": "AAECAw=="}}
    assert describe(FakeAPI(cm), "ConfigMap", cm, 10) == """\
Name:         game-demo
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
game.properties:
----
enemy.types=aliens
lives=3


player_initial_lives:
----
3

ui_properties_file_name:
----
user-interface.properties


BinaryData
====
blob: 4 bytes

Events:  <none>
"""


def test_secret_shows_sizes_only():
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": meta("db-pass"), "type": "Opaque",
              "data": {"username": "YWRtaW4=", "password": "czNjcjN0LXB3"}}
    assert describe(FakeAPI(secret), "Secret", secret, 10) == """\
Name:         db-pass
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  9 bytes
username:  5 bytes
"""


def test_service_account():
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("builder"),
          "secrets": [{"name": "builder-token"}, {"name": "gone"}],
          "imagePullSecrets": [{"name": "regcred"}]}
    token = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
             "metadata": meta("builder-token", annotations={
                 "kubernetes.io/service-account.name": "builder",
                 "kubernetes.io/service-account.uid": "uid-builder"})}
    regcred = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
               "metadata": meta("regcred")}
    assert describe(FakeAPI(sa, token, regcred), "ServiceAccount", sa, 10) == """\
Name:                builder
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred
Mountable secrets:   builder-token
                     gone (not found)
Tokens:              builder-token
Events:              <none>
"""


# --- Storage ------------------------------------------------------------------------------------

def test_persistent_volume():
    pv = {"apiVersion": "v1", "kind": "PersistentVolume",
          "metadata": meta("pv-data", 0, None, finalizers=["kubernetes.io/pv-protection"],
                           annotations={"pv.kubernetes.io/bound-by-controller": "yes"}),
          "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                   "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual",
                   "volumeMode": "Filesystem", "hostPath": {"path": "/mnt/data", "type": ""},
                   "claimRef": {"namespace": "default", "name": "data-pvc"}},
          "status": {"phase": "Bound"}}
    assert describe(FakeAPI(pv), "PersistentVolume", pv, 10) == """\
Name:            pv-data
Labels:          <none>
Annotations:     pv.kubernetes.io/bound-by-controller: yes
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    manual
Status:          Bound
Claim:           default/data-pvc
Reclaim Policy:  Retain
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        1Gi
Node Affinity:   <none>
Message:         
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /mnt/data
    HostPathType:  
Events:            <none>
"""


def test_persistent_volume_claim():
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
           "metadata": meta("data-pvc", 0, finalizers=["kubernetes.io/pvc-protection"],
                            annotations={"pv.kubernetes.io/bind-completed": "yes",
                                         "pv.kubernetes.io/bound-by-controller": "yes"}),
           "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "manual",
                    "resources": {"requests": {"storage": "500Mi"}}, "volumeName": "pv-data",
                    "volumeMode": "Filesystem"},
           "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"],
                      "capacity": {"storage": "1Gi"}}}
    users = [{"apiVersion": "v1", "kind": "Pod", "metadata": meta(name), "spec": {"volumes": [
        {"name": "d", "persistentVolumeClaim": {"claimName": claim}}]}, "status": {}}
             for name, claim in (("web-b", "data-pvc"), ("web-a", "data-pvc"), ("x", "other"))]
    assert describe(FakeAPI(pvc, *users), "PersistentVolumeClaim", pvc, 10) == """\
Name:          data-pvc
Namespace:     default
StorageClass:  manual
Status:        Bound
Volume:        pv-data
Labels:        <none>
Annotations:   pv.kubernetes.io/bind-completed: yes
               pv.kubernetes.io/bound-by-controller: yes
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      1Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       web-a
               web-b
Events:        <none>
"""


def test_storage_class():
    sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
          "metadata": meta("standard", 0, None, annotations={
              "storageclass.kubernetes.io/is-default-class": "true"}),
          "provisioner": "k8s.io/minikube-hostpath", "reclaimPolicy": "Delete",
          "volumeBindingMode": "Immediate"}
    assert describe(FakeAPI(sc), "StorageClass", sc, 10) == """\
Name:                  standard
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           k8s.io/minikube-hostpath
Parameters:            <none>
AllowVolumeExpansion:  <unset>
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     Immediate
Events:                <none>
"""


# --- shared rules -------------------------------------------------------------------------------

def test_long_and_multiline_annotations_go_on_their_own_lines():
    w = PrefixWriter()
    print_annotations_multiline(w, "Annotations", {"b": "x" * 150, "a": "one\ntwo\n", "c": "ok"})
    assert w.text() == (
        "Annotations:  a:\n"
        "                one\n"
        "                two\n"
        "              b:\n"
        "                " + "x" * 138 + "...\n"
        "              c: ok\n")


def test_unbuilt_kind_raises():
    with pytest.raises(NotImplementedError, match="describe for Event is not built yet"):
        describe(FakeAPI(), "Event", {"metadata": {"name": "e"}}, 0)
