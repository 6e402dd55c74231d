"""Chapter 2 exercises: Deployments and Services, imperative and declarative, and two
broken apps to diagnose.

Each exercise judges the cluster's state (never the commands typed), on the
``Cluster.minikube()`` of the chapter: one node, ``minikube``, with 2 CPUs, of
which the system pods request 750m. Every exercise has a Deployment of its
own, so each can be graded on the notebook's final state: ``web`` (2.1, or the
learner's own name: 2.1 is a variant exercise),
``shop`` (2.2), ``second-app`` (2.3), ``greeter`` (2.4) and ``report`` (2.5).
The setups of 2.2, 2.4 and 2.5 are applied manifests, so a learner can fix
them with an edited manifest and ``kubectl apply``.
"""
from __future__ import annotations

from kubelearn.api.quantity import parse_quantity
from kubelearn.grading.checks import (all_of, answers_http, applied_field_equals, count,
                                      endpoints_ready, field_equals, field_in, field_satisfies,
                                      no_restarts, pod_running, pods_ready, rollout_complete)
from kubelearn.grading.misconceptions import (image_pull_error, port_vs_target_port,
                                              selector_matches_no_pod)
from kubelearn.grading.model import Check, Exercise
from kubelearn.grading.variants import variant_exercise

REVISION = 'metadata.annotations["deployment.kubernetes.io/revision"]'
IMAGE = "spec.template.spec.containers[0].image"
LIVENESS = "spec.template.spec.containers[0].livenessProbe.httpGet"
CPU_REQUEST = "spec.template.spec.containers[0].resources.requests.cpu"

SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    app: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: hello
        image: kubelearn/hello:1
        ports:
        - containerPort: 8080
"""

SECOND_APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: second-app
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: second-app
      tier: backend
    matchExpressions:
    - {{key: app, operator: In, values: [second-app, first-app]}}
  template:
    metadata:
      labels:
        app: second-app
        tier: backend
    spec:
      containers:
      - name: hello
        image: kubelearn/hello:2
        ports:
        - containerPort: 8080
        livenessProbe:
          httpGet:
            path: /healthz
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 10
"""

GREETER = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: greeter
spec:
  replicas: 2
  selector:
    matchLabels:
      app: greeter
  template:
    metadata:
      labels:
        app: greeter
    spec:
      containers:
      - name: hello
        image: kubelearn/hello:1
        ports:
        - containerPort: 8080
        livenessProbe:
          httpGet:
            path: {path}
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 5
"""

REPORT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: report
spec:
  replicas: 2
  selector:
    matchLabels:
      app: report
  template:
    metadata:
      labels:
        app: report
    spec:
      containers:
      - name: hello
        image: kubelearn/hello:1
        resources:
          requests:
            cpu: "{cpu}"
"""


def _second_app_expression(expressions) -> bool:
    return any(e.get("key") == "app" and e.get("operator") == "In"
               and sorted(e.get("values") or ()) == ["first-app", "second-app"]
               for e in expressions)


def _quarter_cpu(value) -> bool:
    return parse_quantity(value) == parse_quantity("250m")


# 2.1 varies per learner (kubelearn.grading.variants): the Deployment's and Service's name,
# the replica count and the Service's port. The defaults are the values the notebook's
# task text documents; the names avoid every other object of the chapter.
WEB_NAMES = ("web", "site", "front", "portal", "landing", "welcome")
WEB_DEFAULTS = {"name": "web", "replicas": 2, "port": 80}


def _draw_web(rng) -> dict:
    return {"name": rng.choice(WEB_NAMES), "replicas": rng.choice((2, 3, 4)),
            "port": rng.choice((80, 8000, 8081, 8888, 9090))}


def _deploy_and_expose(p: dict) -> Exercise:
    name, replicas, port = p["name"], p["replicas"], p["port"]
    return Exercise(
        id="2.1", chapter="2", title="Deploy and expose, imperatively",
        task=("With imperative commands (`kubectl create deployment`, `kubectl expose`), "
              f"create a Deployment `{name}` running `kubelearn/hello:1` with {replicas} "
              "replicas. Expose it outside the cluster with a "
              f"Service `{name}` of type `NodePort` or `LoadBalancer` that listens on port "
              f"{port} and sends traffic to port 8080 of the pods. Then call it from outside: "
              f'`c.minikube("service {name} --url")` prints its address, and '
              "`c.http_get(url)` sends a request."),
        checks=(
            Check("image", f"Deployment {name} runs kubelearn/hello:1", 1,
                  field_equals("Deployment", name, IMAGE, "kubelearn/hello:1"),
                  tip=f"kubectl create deployment {name} --image=... --replicas={replicas}"),
            Check("replicas", f"{name} has {replicas} replicas, all available", 1,
                  rollout_complete(name, replicas=replicas),
                  tip="let simulated time pass (c.advance(30)) so the pods start.",
                  misconceptions=(image_pull_error(name),)),
            Check("type", f"Service {name} is a NodePort or LoadBalancer Service", 1,
                  field_in("Service", name, "spec.type", ("NodePort", "LoadBalancer")),
                  tip=f"kubectl expose deployment {name} --type=NodePort ..."),
            Check("ports", f"Service {name} listens on port {port} and targets port 8080", 1,
                  all_of(field_equals("Service", name, "spec.ports[0].port", port),
                         field_equals("Service", name, "spec.ports[0].targetPort", 8080)),
                  tip=f"expose with --port={port} --target-port=8080.",
                  misconceptions=(port_vs_target_port(name, 8080),)),
            Check("endpoints", f"Service {name} has the {replicas} {name} pods as endpoints", 1,
                  endpoints_ready(name, replicas),
                  tip=f"the Service's selector must pick the Deployment's pods (app={name}).",
                  misconceptions=(selector_matches_no_pod(name),)),
            Check("answers", f"the app answers through Service {name} from outside the "
                  "cluster", 1, answers_http(name, "/", contains="Hello from kubelearn/hello")),
        ),
        hints=("`kubectl create deployment` makes a Deployment from an image; `kubectl "
               "expose` makes a Service for it.",
               "`kubectl expose deployment NAME --type=NodePort --port=... --target-port=...`: "
               "`--port` is the Service's port, `--target-port` the container's.",
               f"kubectl create deployment {name} --image=kubelearn/hello:1 "
               f"--replicas={replicas}, then kubectl expose deployment {name} --type=NodePort "
               f"--port={port} --target-port=8080, then c.advance(30)."),
        solution=(f"create deployment {name} --image=kubelearn/hello:1 --replicas={replicas}",
                  f"expose deployment {name} --type=NodePort --port={port} --target-port=8080"),
    )


EXERCISE_2_1 = variant_exercise(_deploy_and_expose, WEB_DEFAULTS, _draw_web)

NOTEBOOK = "exercises/02-kubernetes-in-action.ipynb"

EXERCISES: list[Exercise] = [
    EXERCISE_2_1,
    Exercise(
        id="2.2", chapter="2", title="Scale, update, and roll back to a revision",
        task=("The Deployment `shop` runs `kubelearn/hello:1` (its revision 1). Scale it to 3 "
              "replicas. Update its container `hello` to `kubelearn/hello:2` and wait for the "
              "rollout to finish, then to `kubelearn/hello:3` and wait again. Both new versions "
              "turn out to be broken: roll `shop` back to the revision that ran "
              "`kubelearn/hello:1`, naming that revision by its number (`kubectl rollout "
              "history` lists them). Let the rollback finish."),
        setup=(("apply -f -", SHOP),),
        checks=(
            Check("replicas", "shop has 3 replicas, all updated and available", 1,
                  rollout_complete("shop", replicas=3),
                  tip="kubectl scale, then kubectl rollout status to wait for it.",
                  misconceptions=(image_pull_error("shop"),)),
            Check("rolled-back", "shop runs kubelearn/hello:1 again, as revision 4", 2,
                  all_of(field_equals("Deployment", "shop", IMAGE, "kubelearn/hello:1"),
                         field_equals("Deployment", "shop", REVISION, "4")),
                  tip="update to hello:2, then hello:3 (one revision each), then kubectl "
                      "rollout undo deployment/shop --to-revision=N."),
            Check("history", "shop has kept one ReplicaSet per version", 1,
                  count("ReplicaSet", "app=shop", 3), hidden=True),
        ),
        hints=("`kubectl scale` changes the number of replicas; `kubectl set image` changes "
               "a container's image and starts a rollout; each rollout is a new revision.",
               "`kubectl rollout history deployment/shop` lists the revisions; `kubectl "
               "rollout undo deployment/shop --to-revision=N` goes back to one of them. A "
               "plain `rollout undo` only goes back one step.",
               "kubectl scale deployment/shop --replicas=3; kubectl set image deployment/shop "
               "hello=kubelearn/hello:2; kubectl rollout status deployment/shop; the same "
               "for hello:3; then kubectl rollout undo deployment/shop --to-revision=1."),
        solution=("scale deployment/shop --replicas=3",
                  "set image deployment/shop hello=kubelearn/hello:2",
                  "rollout status deployment/shop",
                  "set image deployment/shop hello=kubelearn/hello:3",
                  "rollout status deployment/shop",
                  "rollout undo deployment/shop --to-revision=1",
                  "rollout status deployment/shop"),
    ),
    Exercise(
        id="2.3", chapter="2", title="A Deployment from a manifest, then changed",
        task=("Write a manifest for a Deployment `second-app` and create it with `kubectl "
              "apply`: 2 replicas of `kubelearn/hello:2` in pods labelled `app=second-app` and "
              "`tier=backend`. Its selector matches both labels (`matchLabels`) and also has "
              "the expression `app In (second-app, first-app)` (`matchExpressions`). The "
              "container gets a liveness probe: an HTTP GET of `/healthz` on port 8080. Once "
              "it runs, change the manifest to 3 replicas and apply it again."),
        checks=(
            Check("labels", "the selector's matchLabels are app=second-app and tier=backend", 1,
                  field_equals("Deployment", "second-app", "spec.selector.matchLabels",
                               {"app": "second-app", "tier": "backend"})),
            Check("expression", "the selector has the expression app In (first-app, "
                  "second-app)", 1,
                  field_satisfies("Deployment", "second-app", "spec.selector.matchExpressions",
                                  _second_app_expression,
                                  "an expression app In (second-app, first-app)"),
                  tip="add matchExpressions: [{key: app, operator: In, values: [second-app, "
                      "first-app]}] under selector."),
            Check("probe", "the liveness probe GETs /healthz on port 8080 of kubelearn/hello:2",
                  1, all_of(field_equals("Deployment", "second-app", IMAGE, "kubelearn/hello:2"),
                            field_equals("Deployment", "second-app", f"{LIVENESS}.path",
                                         "/healthz"),
                            field_equals("Deployment", "second-app", f"{LIVENESS}.port", 8080))),
            Check("replicas", "second-app has 3 replicas, all available", 1,
                  rollout_complete("second-app", replicas=3),
                  tip="change replicas in the manifest, apply it again and let time pass.",
                  misconceptions=(image_pull_error("second-app"),)),
            Check("applied", "the manifest you applied says 3 replicas", 1,
                  applied_field_equals("Deployment", "second-app", "spec.replicas", 3),
                  tip="change the manifest and kubectl apply it (not kubectl scale)."),
            Check("changed", "second-app was changed after it was created", 1,
                  field_satisfies("Deployment", "second-app", "metadata.generation",
                                  lambda generation: generation >= 2,
                                  "generation 2 or more (a change after creation)"),
                  hidden=True),
        ),
        hints=("Start from the Deployment manifest of the chapter; `%%writefile "
               "second-app.yaml` saves a cell as a file, `kubectl apply -f second-app.yaml` "
               "applies it.",
               "The selector takes `matchLabels` and `matchExpressions` side by side; the "
               "probe goes under the container: `livenessProbe: {httpGet: {path: /healthz, "
               "port: 8080}}`.",
               "Apply the manifest with `replicas: 2`, wait (c.advance(30)), edit it to "
               "`replicas: 3` and run the same kubectl apply again."),
        solution=(("apply -f -", SECOND_APP.format(replicas=2)),
                  ("apply -f -", SECOND_APP.format(replicas=3))),
    ),
    Exercise(
        id="2.4", chapter="2", title="Why does it keep restarting?",
        task=("The Deployment `greeter` keeps restarting its containers and ends up in "
              "`CrashLoopBackOff`. Find out why (`kubectl describe pod`, `kubectl get events`) "
              "and fix it by applying a corrected manifest, keeping its liveness probe. "
              "`kubelearn/hello` answers health checks on `/healthz`. When you are done, the "
              "2 replicas run and no container restarts."),
        setup=(("apply -f -", GREETER.format(path="/health")),),
        checks=(
            Check("probe", "the liveness probe asks for a path the app answers, on port 8080", 2,
                  all_of(field_in("Deployment", "greeter", f"{LIVENESS}.path", ("/healthz", "/")),
                         field_equals("Deployment", "greeter", f"{LIVENESS}.port", 8080)),
                  tip="kubectl describe pod shows what the liveness probe asks for and what "
                      "it gets back."),
            Check("healthy", "every greeter pod is Running and Ready, with no restarts", 2,
                  all_of(pod_running("app=greeter"), pods_ready("app=greeter"),
                         no_restarts("app=greeter")),
                  tip="apply the fixed manifest and let the rollout finish."),
            Check("rolled-out", "both replicas run the fixed template and stay up", 1,
                  all_of(rollout_complete("greeter", replicas=2), no_restarts("app=greeter")),
                  hidden=True),
        ),
        hints=("`kubectl describe pod -l app=greeter`: read the Events at the bottom. Which "
               "check fails, and what does it get back?",
               "The liveness probe asks for `/health`, which the app answers with 404, so the "
               "kubelet kills the container again and again. The app's health path is "
               "`/healthz`.",
               "Apply the same Deployment with `path: /healthz` in its livenessProbe, then "
               "`kubectl rollout status deployment/greeter`."),
        solution=(("apply -f -", GREETER.format(path="/healthz")),
                  "rollout status deployment/greeter"),
    ),
    Exercise(
        id="2.5", chapter="2", title="Why is it Pending?",
        task=("The pods of the Deployment `report` stay `Pending`. Find out why (`kubectl "
              "describe pod`, `kubectl describe node minikube`). Its author meant to request a "
              "quarter of a CPU per pod and typed something else: fix the request to `250m` "
              "by applying a corrected manifest, keeping 2 replicas, so both pods run."),
        setup=(("apply -f -", REPORT.format(cpu="2.5")),),
        checks=(
            Check("request", "the container requests 250m CPU", 1,
                  field_satisfies("Deployment", "report", CPU_REQUEST, _quarter_cpu,
                                  "a CPU request of 250m"),
                  tip="kubectl describe pod shows the request; the node has 2 CPUs."),
            Check("running", "every report pod is Running", 2, pod_running("app=report"),
                  tip="apply the fixed manifest; the scheduler then finds room for the pods."),
            Check("rolled-out", "report has 2 replicas, all available", 1,
                  rollout_complete("report", replicas=2), hidden=True),
        ),
        hints=("`kubectl describe pod -l app=report`: the FailedScheduling event says why no "
               "node was chosen.",
               "\"Insufficient cpu\": each pod requests 2.5 CPUs and the node has 2 in all. "
               "`kubectl describe node minikube` shows what is allocatable and already "
               "requested.",
               "Apply the same Deployment with `cpu: 250m` under resources.requests, then "
               "`kubectl rollout status deployment/report`."),
        solution=(("apply -f -", REPORT.format(cpu="250m")),
                  "rollout status deployment/report"),
    ),
]
