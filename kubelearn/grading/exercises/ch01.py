"""Chapter 1 exercises: meeting the cluster, its nodes, namespaces and a bare pod.

Each exercise judges the cluster's state (never the commands typed), on the
kubeadm-style ``Cluster()`` of the chapter: one control-plane node (tainted,
so ordinary pods avoid it) and two workers.
"""
from __future__ import annotations

from kubelearn.grading.checks import (absent, all_of, count, exists, field_equals, label_absent,
                                      label_equals, no_controller, pod_running)
from kubelearn.grading.model import Check, Exercise

HELLO_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: hello
  namespace: team-a
  labels:
    app: hello
spec:
  containers:
  - name: hello
    image: kubelearn/hello:1
    ports:
    - containerPort: 8080
"""

TEAM_A_NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
"""

SCRATCH_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: scratch
  labels:
    purpose: experiment
spec:
  containers:
  - name: shell
    image: busybox:1.36
    command: ["sleep", "3600"]
"""

NOTEBOOK = "exercises/01-introduction.ipynb"

EXERCISES: list[Exercise] = [
    Exercise(
        id="1.1", chapter="1", title="Mark the nodes that run your apps",
        task=("Your cluster has one control-plane node and two worker nodes. Label every node "
              "that runs ordinary application pods with `workload=apps`. Leave the "
              "control-plane node alone: its taint keeps application pods away from it."),
        checks=(
            Check("worker-1", "worker-1 has workload=apps", 1,
                  label_equals("Node", "worker-1", "workload", "apps"),
                  tip="label the node with kubectl label."),
            Check("worker-2", "worker-2 has workload=apps", 1,
                  label_equals("Node", "worker-2", "workload", "apps"),
                  tip="label the node with kubectl label."),
            Check("only-workers", "only the worker nodes are labelled", 1,
                  all_of(label_equals("Node", "worker-1", "workload", "apps"),
                         label_equals("Node", "worker-2", "workload", "apps"),
                         label_absent("Node", "control-plane", "workload")), hidden=True),
        ),
        hints=("`kubectl get nodes` lists the nodes; the ROLES column tells you which is which.",
               "`kubectl label node NAME key=value` adds a label to one node.",
               "kubectl label node worker-1 workload=apps, then the same for worker-2."),
        solution=("label node worker-1 workload=apps", "label node worker-2 workload=apps"),
    ),
    Exercise(
        id="1.2", chapter="1", title="A namespace of your own",
        task=("Create a namespace `team-a`. In it, create a ConfigMap `settings` with one key, "
              "`greeting`, whose value is `hello`."),
        checks=(
            Check("namespace", "namespace team-a exists", 1, exists("Namespace", "team-a")),
            Check("configmap", "ConfigMap settings exists in team-a", 1,
                  exists("ConfigMap", "settings", namespace="team-a")),
            Check("greeting", "settings has greeting=hello", 1,
                  field_equals("ConfigMap", "settings", "data.greeting", "hello",
                               namespace="team-a"),
                  tip="recreate the ConfigMap with --from-literal=greeting=hello."),
        ),
        hints=("Namespaces and ConfigMaps can both be made with `kubectl create`.",
               "`kubectl create configmap NAME --from-literal=key=value -n NAMESPACE`",
               "kubectl create namespace team-a; kubectl create configmap settings "
               "--from-literal=greeting=hello -n team-a"),
        solution=("create namespace team-a",
                  "create configmap settings --from-literal=greeting=hello -n team-a"),
    ),
    Exercise(
        id="1.3", chapter="1", title="A pod with nobody looking after it",
        task=("In namespace `team-a` (from exercise 1.2), run a single pod named `hello` with "
              "the label `app=hello` and one container running the image `kubelearn/hello:1`. "
              "Create the Pod object itself (no Deployment), then give the cluster a little "
              "simulated time (`c.advance(30)`) so the kubelet can start it."),
        checks=(
            Check("exists", "pod hello exists in team-a", 1,
                  exists("Pod", "hello", namespace="team-a")),
            Check("label", "pod hello has app=hello", 1,
                  label_equals("Pod", "hello", "app", "hello", namespace="team-a")),
            Check("image", "pod hello runs kubelearn/hello:1", 1,
                  field_equals("Pod", "hello", "spec.containers[0].image", "kubelearn/hello:1",
                               namespace="team-a")),
            Check("running", "pod hello is Running", 1,
                  pod_running("hello", namespace="team-a"),
                  tip="let simulated time pass with c.advance(30), then check again."),
            Check("bare", "no controller owns pod hello", 1,
                  no_controller("Pod", "hello", namespace="team-a"), hidden=True),
        ),
        hints=("A Pod manifest needs apiVersion v1, kind Pod, metadata and spec.containers.",
               "Write the manifest with %%writefile hello.yaml, then `kubectl apply -f "
               "hello.yaml`.",
               "Use the manifest from chapter 1 with name hello, namespace team-a, label "
               "app=hello and image kubelearn/hello:1."),
        solution=(("apply -f -", TEAM_A_NAMESPACE), ("apply -f -", HELLO_POD)),
    ),
    Exercise(
        id="1.4", chapter="1", title="Clean up an experiment",
        task=("Someone left a pod called `scratch` in the `default` namespace. Delete it, and "
              "only it: the system pods in `kube-system` must keep running."),
        setup=(("apply -f -", SCRATCH_POD),),
        checks=(
            Check("deleted", "pod scratch is gone", 2, absent("Pod", "scratch"),
                  tip="delete the pod by name."),
            Check("only-scratch", "only the scratch pod was deleted", 1,
                  all_of(absent("Pod", "scratch"),
                         exists("Pod", "kube-apiserver-control-plane", namespace="kube-system"),
                         count("Pod", "k8s-app=kube-dns", 2, namespace="kube-system")),
                  hidden=True),
        ),
        hints=("`kubectl get pods` shows what is in the default namespace.",
               "`kubectl delete pod NAME` deletes one pod.",
               "kubectl delete pod scratch"),
        solution=("delete pod scratch",),
    ),
]
