"""Chapter 4 exercises: how pods find each other (DNS, the Service environment
variables, localhost inside one pod), why a Service can have no endpoints, and a
LoadBalancer to the outside world.

Each exercise judges the cluster's state on the chapter's ``Cluster.minikube()``,
never the commands typed. Some checks go past reading the API objects and *use* the
apps, as a learner would: they send ``GET /login`` to a users pod (which asks the
auth Service itself, from inside its pod), ``GET /tasks`` to a tasks pod, a request
to the shop Service from inside the cluster, and six requests through the hello
Service's EXTERNAL-IP. The pods that answer log these requests and kube-proxy's
round robin moves on; nothing else changes. Others read the environment a running
container started with (``kubelearn.node.env.container_env``), as ``kubectl exec
... -- env`` prints it.

Every exercise has objects of its own, so each can be graded on the notebook's
final state: namespace ``identity`` with Deployment and Service ``auth``, and
Deployment ``users`` in ``default`` (4.1); Deployments ``tasks`` and
``auth-service`` (set up) and Service ``auth-service`` (4.2); Deployment and
Service ``shop`` (set up, 4.3); Deployment and Service ``hello`` (4.4); Deployment
``users-auth``, two containers in one pod (4.5).

The reference solutions are kubectl steps only, and ``minikube tunnel`` is not a
kubectl command: ``solve("4.4")`` leaves the EXTERNAL-IP ``<pending>`` unless a
tunnel runs (``%minikube tunnel``), and says so.
"""
from __future__ import annotations

from kubelearn.api.selector import selector_from_label_selector
from kubelearn.grading.checks import all_of, endpoints_ready, field_equals, rollout_complete
from kubelearn.grading.misconceptions import (image_pull_error, pods_started_before_service,
                                              port_vs_target_port, selector_matches_no_pod,
                                              wrong_namespace)
from kubelearn.grading.model import Check, Exercise, Outcome
from kubelearn.network.dns import is_address

IDENTITY = "identity"
ROUND_ROBIN_REQUESTS = 6

IDENTITY_NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: identity
"""

AUTH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: auth
  namespace: identity
spec:
  replicas: 2
  selector:
    matchLabels:
      app: auth
  template:
    metadata:
      labels:
        app: auth
    spec:
      containers:
      - name: auth
        image: kubelearn/auth-api:1
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: auth
  namespace: identity
spec:
  selector:
    app: auth
  ports:
  - port: 80
    targetPort: 80
"""

USERS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: users
spec:
  replicas: 1
  selector:
    matchLabels:
      app: users
  template:
    metadata:
      labels:
        app: users
    spec:
      containers:
      - name: users
        image: kubelearn/users-api:1
        ports:
        - containerPort: 8080
        env:
        - name: AUTH_ADDRESS
          value: {address}
"""

TASKS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tasks
spec:
  replicas: 2
  selector:
    matchLabels:
      app: tasks
  template:
    metadata:
      labels:
        app: tasks
    spec:
      containers:
      - name: tasks
        image: kubelearn/tasks-api:1
        ports:
        - containerPort: 8000
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: auth-service
spec:
  replicas: 1
  selector:
    matchLabels:
      app: auth-service
  template:
    metadata:
      labels:
        app: auth-service
    spec:
      containers:
      - name: auth
        image: kubelearn/auth-api:1
        ports:
        - containerPort: 80
"""

AUTH_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: auth-service
spec:
  selector:
    app: auth-service
  ports:
  - port: 80
    targetPort: 80
"""

SHOP_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
        tier: web
    spec:
      containers:
      - name: hello
        image: kubelearn/hello:1
        ports:
        - containerPort: 8080
"""

SHOP_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    {selector}
  ports:
  - port: 80
    targetPort: 8080
"""

# The readiness probe keeps traffic away from a pod until it answers, and it keeps the
# reference solution's `rollout status` waiting at least 5 s: with a tunnel running, its
# next check (every 5 s) has given the new Service its EXTERNAL-IP by then.
HELLO = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - name: hello
        image: kubelearn/hello:1
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  type: {type}
  selector:
    app: hello
  ports:
  - port: 80
    targetPort: 8080
"""


USERS_AUTH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: users-auth
spec:
  replicas: 1
  selector:
    matchLabels:
      app: users-auth
  template:
    metadata:
      labels:
        app: users-auth
    spec:
      containers:
      - name: users
        image: kubelearn/users-api:1
        ports:
        - containerPort: 8080
        env:
        - name: AUTH_ADDRESS
          value: {address}
      - name: auth
        image: kubelearn/auth-api:1
        ports:
        - containerPort: 80
"""


def users(address: str) -> str:
    """Deployment ``users`` with ``AUTH_ADDRESS`` set to ``address``."""
    return USERS.format(address=address)


def shop_service(selector: str = "app: shop-web") -> str:
    """Service ``shop`` with ``selector`` (one ``key: value`` line; the setup's is wrong)."""
    return SHOP_SERVICE.format(selector=selector)


def hello(service_type: str = "LoadBalancer") -> str:
    return HELLO.format(type=service_type)


def users_auth(address: str = "localhost") -> str:
    """Deployment ``users-auth``: users-api and auth-api in one pod."""
    return USERS_AUTH.format(address=address)


# -- reading objects and pods ------------------------------------------------------------------

def _get(cluster, kind: str, name: str, namespace: str = "default") -> dict | None:
    from kubelearn.apiserver.errors import StatusError
    try:
        return cluster.api.get(kind, name, namespace)
    except StatusError as err:
        if err.reason == "NotFound":
            return None
        raise


def _where(namespace: str) -> str:
    return f'in namespace "{namespace}"'


def _missing(kind: str, name: str, namespace: str = "default") -> str:
    return f'{kind} "{name}" was not found {_where(namespace)}'


def _running(pod: dict) -> bool:
    status = pod.get("status") or {}
    return status.get("phase") == "Running" and bool(status.get("podIP")) and all(
        "running" in (cs.get("state") or {}) for cs in status.get("containerStatuses") or [])


def _ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def _pods(cluster, deployment: dict) -> list[dict]:
    """The pods the Deployment's selector picks, leaving out those being deleted."""
    namespace = deployment["metadata"].get("namespace", "default")
    selector = selector_from_label_selector(deployment["spec"].get("selector"))
    return sorted((p for p in cluster.api.list("Pod", namespace, selector)
                   if not p["metadata"].get("deletionTimestamp")),
                  key=lambda p: p["metadata"]["name"])


def _owned(cluster, deployment: dict) -> set[str]:
    """Names of the pods whose ReplicaSet belongs to the Deployment."""
    namespace = deployment["metadata"].get("namespace", "default")
    name = deployment["metadata"]["name"]
    sets = {rs["metadata"]["name"] for rs in cluster.api.list("ReplicaSet", namespace)
            if any(r.get("kind") == "Deployment" and r.get("name") == name
                   for r in rs["metadata"].get("ownerReferences") or [])}
    return {p["metadata"]["name"] for p in cluster.api.list("Pod", namespace)
            if any(r.get("kind") == "ReplicaSet" and r.get("name") in sets
                   for r in p["metadata"].get("ownerReferences") or [])}


def _running_pods(cluster, name: str, namespace: str = "default") -> tuple[dict | None, list]:
    deployment = _get(cluster, "Deployment", name, namespace)
    if deployment is None:
        return None, []
    return deployment, [p for p in _pods(cluster, deployment) if _running(p)]


def _pod_namespace(cluster, pod_name: str) -> str | None:
    """The namespace of the pod called ``pod_name`` (an app's ``{hostname}``)."""
    found = sorted(p["metadata"].get("namespace", "") for p in cluster.api.list("Pod")
                   if p["metadata"]["name"] == pod_name)
    return found[0] if found else None


def _get_url(cluster, url: str, from_pod: tuple[str, str] | None = None):
    """``(response, None)``, or ``(None, why)`` when nothing answered."""
    from kubelearn.network.http import HTTPConnectionError, request
    try:
        return request(cluster, "GET", url, from_pod=from_pod), None
    except HTTPConnectionError as err:
        return None, str(err)


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else ""


def _json(response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _template_env(deployment: dict) -> dict[str, dict]:
    containers = (deployment["spec"]["template"].get("spec") or {}).get("containers") or [{}]
    return {e.get("name"): e for e in containers[0].get("env") or []}


def _container_name(deployment: dict) -> str:
    containers = (deployment["spec"]["template"].get("spec") or {}).get("containers") or [{}]
    return containers[0].get("name", "")


def _env_value(cluster, namespace: str, entry: dict) -> str | None:
    """The value an ``env`` entry gives: ``value``, or a ConfigMap's key (``valueFrom``)."""
    if "value" in entry:
        return str(entry["value"])
    ref = (entry.get("valueFrom") or {}).get("configMapKeyRef") or {}
    config = _get(cluster, "ConfigMap", ref.get("name", ""), namespace) if ref else None
    return ((config or {}).get("data") or {}).get(ref.get("key", "")) if config else None


def _service_with_ip(cluster, ip: str) -> dict | None:
    return next((s for s in cluster.api.list("Service")
                 if ip in ((s.get("spec") or {}).get("clusterIPs") or
                           [(s.get("spec") or {}).get("clusterIP")])), None)


# -- 4.1: a DNS name across namespaces ---------------------------------------------------------

def dns_address(deployment: str, variable: str, service: str, namespace: str):
    """Passes when the Deployment's container gets ``variable`` set to a DNS name that,
    looked up from a pod of the Deployment's namespace (``default``), reaches
    ``service`` in ``namespace``."""
    from kubelearn.network.http import HTTPConnectionError, resolve

    target = f"{service}.{namespace}"
    want = f"a name for Service {service} in namespace {namespace} (e.g. {target})"

    def check(cluster) -> Outcome:
        obj = _get(cluster, "Deployment", deployment)
        if obj is None:
            return Outcome(False, want, "not found",
                           f"{_missing('Deployment', deployment)}; the task asks for its "
                           f"container to get {variable}={target}.")
        entry = _template_env(obj).get(variable)
        if entry is None:
            return Outcome(False, want, f"no {variable}",
                           f'Deployment "{deployment}" sets no {variable}, so its app calls '
                           f'"http://undefined/token"; the task asks for {variable}={target}.')
        value = _env_value(cluster, "default", entry)
        if not value:
            return Outcome(False, want, "(empty)", f'{variable} of Deployment "{deployment}" '
                           f"has no value; the task asks for {target}.")
        host = value.split("/", 1)[0].rsplit(":", 1)[0] if "://" not in value else ""
        if not host:
            return Outcome(False, want, value,
                           f'{variable} is "{value}"; the app puts it after "http://" itself, '
                           f"so give only the host name: {target}.")
        if is_address(host):
            return Outcome(False, want, value,
                           f'{variable} is the IP address "{value}"; it works until the Service '
                           f"is made again, and the task asks for its DNS name, {target}.")
        try:
            ip = resolve(cluster, host, "default")
        except HTTPConnectionError:
            return Outcome(False, want, f"{value} (does not resolve)",
                           f'{variable} is "{value}". {_unresolved(host)} The task asks for '
                           f'Service {service} in namespace "{namespace}": {target}.')
        found = _service_with_ip(cluster, ip)
        meta = (found or {}).get("metadata") or {}
        where = (meta.get("name"), meta.get("namespace"))
        if where != (service, namespace):
            reached = f'Service {where[0]} in namespace "{where[1]}"' if found else ip
            return Outcome(False, want, f"{value} -> {reached}",
                           f'{variable} is "{value}", which reaches {reached}; the task asks for '
                           f'Service {service} in namespace "{namespace}": {target}.')
        return Outcome(True, want, value, f'{variable} is "{value}", which reaches Service '
                       f'{service} in namespace "{namespace}" ({ip}).')
    check.description = f'Deployment "{deployment}" sets {variable} to a DNS name of Service ' \
        f'"{service}" in namespace "{namespace}"'
    return check


def _unresolved(host: str) -> str:
    """Why a name does not resolve from a pod in ``default``, in words."""
    labels = host.rstrip(".").split(".")
    if len(labels) == 1:
        return (f'From a pod in namespace "default" that name is looked up as '
                f"{host}.default.svc.cluster.local and does not resolve: a short name only finds "
                "Services of the pod's own namespace.")
    if len(labels) == 2 or labels[2:] == ["svc", "cluster", "local"] or labels[2:] == ["svc"]:
        return (f'That name means a Service "{labels[0]}" in namespace "{labels[1]}", and there is '
                "none, so it does not resolve.")
    return "That name does not resolve from a pod in namespace \"default\"."


def logs_in(deployment: str, port: int, auth: str, namespace: str):
    """Passes when ``GET /login`` on every running pod of the Deployment answers 200
    with a token issued by a pod of Deployment ``auth`` in ``namespace``."""
    want = f"HTTP 200, token issued by an {auth} pod in {namespace}"

    def check(cluster) -> Outcome:
        obj, pods = _running_pods(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found",
                           f"{_missing('Deployment', deployment)}; the task asks for its pods "
                           "to log users in.")
        if not pods:
            return Outcome(False, want, "no running pod", f'No pod of Deployment "{deployment}" '
                           "is running, so nothing could be asked to log in.")
        auth_obj = _get(cluster, "Deployment", auth, namespace)
        issuers = {p["metadata"]["name"] for p in _pods(cluster, auth_obj)} if auth_obj else set()
        answers = []
        for pod in pods:
            url = f"http://{pod['status']['podIP']}:{port}/login"
            response, why = _get_url(cluster, url)
            if response is None:
                return Outcome(False, want, "no answer", f"GET {url} (pod "
                               f"{pod['metadata']['name']}) got no answer: {why}.")
            body = _json(response)
            if response.status != 200:
                return Outcome(False, want, f"HTTP {response.status}",
                               f"GET {url} (pod {pod['metadata']['name']}) answered HTTP "
                               f"{response.status} {_first_line(response.text)}; the task asks "
                               "for the login to work.")
            issuer = str(body.get("issuedBy", ""))
            if issuer not in issuers:
                elsewhere = _pod_namespace(cluster, issuer)
                where = f' in namespace "{elsewhere}"' if elsewhere else ""
                return Outcome(False, want, f"issued by {issuer}{where}",
                               f"GET {url} logged in with a token from pod {issuer}{where}; the "
                               f'task asks for a token from Deployment "{auth}" in namespace '
                               f'"{namespace}".')
            answers.append(f"{pod['metadata']['name']} got a token from {issuer}")
        return Outcome(True, want, "HTTP 200", f"GET /login answered HTTP 200: "
                       f"{'; '.join(answers)}.")
    check.description = f'GET /login on the pods of Deployment "{deployment}" gets a token ' \
        f'from Deployment "{auth}" in namespace "{namespace}"'
    return check


def spreads_logins(deployment: str, port: int, auth: str, namespace: str):
    """Passes when consecutive logins through one pod of the Deployment get tokens
    from every ready pod of Deployment ``auth`` (the Service balances them)."""
    want = f"tokens from every ready {auth} pod"

    def check(cluster) -> Outcome:
        obj, pods = _running_pods(cluster, deployment)
        auth_obj = _get(cluster, "Deployment", auth, namespace)
        ready = sorted(p["metadata"]["name"] for p in _pods(cluster, auth_obj) if _ready(p)) \
            if auth_obj else []
        if not pods or len(ready) < 2:
            return Outcome(False, want, f"{len(pods)} users pods, {len(ready)} ready {auth} pods",
                           f'This needs a running pod of Deployment "{deployment}" and at least '
                           f'2 ready pods of Deployment "{auth}" in namespace "{namespace}".')
        url = f"http://{pods[0]['status']['podIP']}:{port}/login"
        issuers = []
        for _ in ready:
            response, _why = _get_url(cluster, url)
            issuers.append(str(_json(response).get("issuedBy", "")) if response else "")
        issuers = [i or "(no token)" for i in issuers]
        if sorted(set(issuers)) != ready:
            return Outcome(False, want, ", ".join(issuers) or "none",
                           f"{len(ready)} logins through {url} got tokens from "
                           f"{', '.join(issuers)}; the task asks for "
                           f"the Service to spread them over {', '.join(ready)}.")
        return Outcome(True, want, ", ".join(issuers),
                       f"{len(ready)} logins got tokens from {', '.join(issuers)}.")
    check.description = f'logins are spread over every ready pod of Deployment "{auth}"'
    return check


# -- 4.2: the Service's environment variables ------------------------------------------------

def service_variable(service: str) -> str:
    """``auth-service`` -> ``AUTH_SERVICE_SERVICE_HOST``, as the kubelet names it."""
    return service.upper().replace("-", "_") + "_SERVICE_HOST"


def service_host_env(deployment: str, service: str):
    """Passes when every running container of the Deployment started with
    ``<SERVICE>_SERVICE_HOST`` equal to the Service's cluster IP, set by the kubelet
    (not written into the pod template)."""
    from kubelearn.node.env import container_env

    variable = service_variable(service)

    def check(cluster) -> Outcome:
        svc = _get(cluster, "Service", service)
        ip = ((svc or {}).get("spec") or {}).get("clusterIP")
        want = f"{variable}={ip}" if ip else f"{variable}=<cluster IP of {service}>"
        obj, pods = _running_pods(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing('Deployment', deployment)}; the "
                           f"task asks for its containers to start with {variable}.")
        entry = _template_env(obj).get(variable)
        if entry is not None:
            return Outcome(False, want, f"set in the template ({entry.get('value', 'valueFrom')})",
                           f'The pod template of Deployment "{deployment}" sets {variable} '
                           "itself; the task asks for the kubelet to set it from the Service: "
                           "remove it from the template.")
        if svc is None:
            return Outcome(False, want, "no Service",
                           f"{_missing('Service', service)}, so the kubelet sets no {variable}; "
                           f"the task asks you to create it.")
        if not ip or ip == "None":
            return Outcome(False, want, "headless", f'Service "{service}" has no cluster IP, so '
                           f"the kubelet sets no {variable}.")
        if not pods:
            return Outcome(False, want, "no running pod", f'No pod of Deployment "{deployment}" '
                           f"is running; the task asks for its containers to run with {want}.")
        for pod in pods:
            env = dict(container_env(cluster, "default", pod["metadata"]["name"],
                                     _container_name(obj)) or [])
            name = pod["metadata"]["name"]
            if variable not in env:
                # Why, and what to do, is the misconception pods-started-before-service.
                return Outcome(False, want, f"no {variable}",
                               f"The container of pod {name} has no {variable}; the task asks "
                               f"for {want}.")
            if env[variable] != ip:
                return Outcome(False, want, f"{variable}={env[variable]}",
                               f"The container of pod {name} started with {variable}="
                               f'{env[variable]}, but Service "{service}" now has the IP {ip} '
                               "(it was made again): start new pods so they get the new "
                               f"address (kubectl rollout restart deployment {deployment}).")
        return Outcome(True, want, want, f'Every running pod of Deployment "{deployment}" '
                       f"started with {want}.")
    check.description = f'the running pods of Deployment "{deployment}" started with ' \
        f'{variable} of Service "{service}"'
    return check


def verifies_tokens(deployment: str, port: int, path: str, auth: str):
    """Passes when ``GET path`` on every running pod of the Deployment answers 200,
    verified by a pod of Deployment ``auth``."""
    want = f"HTTP 200, verified by an {auth} pod"

    def check(cluster) -> Outcome:
        obj, pods = _running_pods(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing('Deployment', deployment)}.")
        if not pods:
            return Outcome(False, want, "no running pod",
                           f'No pod of Deployment "{deployment}" is running.')
        auth_obj = _get(cluster, "Deployment", auth)
        verifiers = {p["metadata"]["name"] for p in _pods(cluster, auth_obj)} if auth_obj \
            else set()
        seen = []
        for pod in pods:
            url = f"http://{pod['status']['podIP']}:{port}{path}"
            response, why = _get_url(cluster, url)
            if response is None:
                return Outcome(False, want, "no answer", f"GET {url} got no answer: {why}.")
            if response.status != 200:
                return Outcome(False, want, f"HTTP {response.status}",
                               f"GET {url} (pod {pod['metadata']['name']}) answered HTTP "
                               f"{response.status} {_first_line(response.text)}; the task asks "
                               "for the tasks to load.")
            verifier = str(_json(response).get("verifiedBy", ""))
            if verifier not in verifiers:
                return Outcome(False, want, f"verified by {verifier or '(nobody)'}",
                               f"GET {url} answered HTTP 200, verified by {verifier or 'nobody'}"
                               f'; the task asks for a pod of Deployment "{auth}" to verify it.')
            seen.append(f"{pod['metadata']['name']} (verified by {verifier})")
        return Outcome(True, want, "HTTP 200", f"GET {path} answered HTTP 200 on "
                       f"{', '.join(seen)}.")
    check.description = f'GET {path} on the pods of Deployment "{deployment}" answers HTTP 200'
    return check


# -- 4.3: a selector that matches nothing ------------------------------------------------------

def _addresses(cluster, service: str) -> list[str]:
    ep = _get(cluster, "Endpoints", service) or {}
    return sorted(a.get("ip", "") for s in ep.get("subsets") or []
                  for a in s.get("addresses") or [])


def endpoints_are_pods(service: str, deployment: str):
    """Passes when the Service's Endpoints list exactly the ready pods of the
    Deployment (and there is at least one)."""
    want = f"the ready pods of Deployment {deployment}"

    def check(cluster) -> Outcome:
        svc = _get(cluster, "Service", service)
        if svc is None:
            return Outcome(False, want, "no Service", f"{_missing('Service', service)}; the task "
                           "asks you to fix it, not to delete it.")
        obj = _get(cluster, "Deployment", deployment)
        pods = {p["status"]["podIP"]: p["metadata"]["name"] for p in
                (_pods(cluster, obj) if obj else []) if _ready(p) and p["status"].get("podIP")}
        owned = _owned(cluster, obj) if obj else set()
        pods = {ip: name for ip, name in pods.items() if name in owned}
        if not pods:
            return Outcome(False, want, "no ready pod",
                           f'Deployment "{deployment}" has no ready pod for the Service to use.')
        addresses = _addresses(cluster, service)
        selector = (svc.get("spec") or {}).get("selector") or {}
        shown = ",".join(f"{k}={v}" for k, v in sorted(selector.items())) or "(none)"
        if not addresses:
            return Outcome(False, f"{len(pods)} addresses", "<none>",
                           f'Endpoints "{service}" lists no address (kubectl get endpoints '
                           f"{service} shows <none>): the Service's selector {shown} matches no "
                           f"ready pod, and the pods of Deployment \"{deployment}\" are labelled "
                           f"{_labels(obj)}.")
        by_ip = {p["status"].get("podIP"): p["metadata"]["name"]
                 for p in cluster.api.list("Pod", "default")}
        strangers = [f"{ip} (pod {by_ip.get(ip, '?')})" for ip in addresses if ip not in pods]
        missing = [f"{ip} (pod {name})" for ip, name in sorted(pods.items())
                   if ip not in addresses]
        if strangers or missing:
            parts = ([f"lists {', '.join(strangers)}, which Deployment \"{deployment}\" does "
                      "not own,"] if strangers else []) + \
                    ([f"misses {', '.join(missing)}"] if missing else [])
            return Outcome(False, ", ".join(sorted(pods)), ", ".join(addresses),
                           f'Endpoints "{service}" {" and ".join(parts)}; the task asks for '
                           f'exactly the ready pods of Deployment "{deployment}".')
        listed = ", ".join(f"{ip} ({name})" for ip, name in sorted(pods.items()))
        return Outcome(True, ", ".join(sorted(pods)), ", ".join(addresses),
                       f'Endpoints "{service}" lists the {len(pods)} ready pods of Deployment '
                       f'"{deployment}": {listed}.')
    check.description = f'Endpoints "{service}" lists the ready pods of Deployment "{deployment}"'
    return check


def _labels(deployment: dict | None) -> str:
    labels = (((deployment or {}).get("spec") or {}).get("template") or {}) \
        .get("metadata", {}).get("labels") or {}
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "(no labels)"


def fixed_in_service(service: str, deployment: str, labels: dict):
    """Passes when the Deployment's pod template still has ``labels`` and the
    Service's selector matches them: the Service was fixed, not the pods."""
    want = f"Service selects {','.join(f'{k}={v}' for k, v in labels.items())} pods"

    def check(cluster) -> Outcome:
        svc = _get(cluster, "Service", service)
        obj = _get(cluster, "Deployment", deployment)
        if svc is None or obj is None:
            missing = _missing("Service", service) if svc is None else \
                _missing("Deployment", deployment)
            return Outcome(False, want, "not found", f"{missing}; the task asks you to fix the "
                           "Service and keep the Deployment.")
        template = ((obj["spec"]["template"].get("metadata") or {}).get("labels") or {})
        changed = {k: template.get(k) for k, v in labels.items() if template.get(k) != v}
        if changed:
            return Outcome(False, want, f"pod template labels {_labels(obj)}",
                           f'The pod template of Deployment "{deployment}" was relabelled '
                           f"({_labels(obj)}); the task asks you to keep the app's labels and fix "
                           f'the selector of Service "{service}" instead.')
        selector = (svc.get("spec") or {}).get("selector") or {}
        shown = ",".join(f"{k}={v}" for k, v in sorted(selector.items())) or "(none)"
        if not selector or any(template.get(k) != v for k, v in selector.items()):
            owned = _owned(cluster, obj)
            strays = sorted(p["metadata"]["name"] for p in cluster.api.list("Pod", "default")
                            if selector and p["metadata"]["name"] not in owned
                            and not p["metadata"].get("deletionTimestamp")
                            and all((p["metadata"].get("labels") or {}).get(k) == v
                                    for k, v in selector.items()))
            if strays:
                return Outcome(False, want, f"selector {shown}",
                               f'Service "{service}" still selects {shown}; pods '
                               f"{', '.join(strays)} were relabelled to match it, so their "
                               f'ReplicaSet let them go (Deployment "{deployment}" no longer owns '
                               "them and made new pods). Fix the Service's selector instead "
                               "(and delete the stray pods).")
            why = "has no selector" if not selector else \
                f"selects {shown}, which the pod template ({_labels(obj)}) does not match"
            return Outcome(False, want, f"selector {shown}", f'Service "{service}" {why}; the '
                           f'task asks for a selector that picks the pods of "{deployment}".')
        return Outcome(True, want, f"selector {shown}", f'Service "{service}" selects {shown}, '
                       f'the labels of the pods of Deployment "{deployment}".')
    check.description = f'the selector of Service "{service}" was fixed, not the pods\' labels'
    return check


def answers_inside(service: str, path: str = "/", namespace: str = "default"):
    """Passes when a request to the Service's DNS name, sent from inside a pod of
    the cluster, answers 2xx: a pod the Service selects if one runs, else CoreDNS's."""
    fqdn = f"{service}.{namespace}.svc.cluster.local"
    want = "HTTP 200"

    def check(cluster) -> Outcome:
        if _get(cluster, "Service", service, namespace) is None:
            return Outcome(False, want, "no Service", f"{_missing('Service', service, namespace)}.")
        client = _client_pod(cluster, service, namespace)
        if client is None:
            return Outcome(False, want, "no pod", "No pod runs that could send the request.")
        url = f"http://{fqdn}{path}"
        response, why = _get_url(cluster, url, from_pod=client)
        sender = f"from pod {client[1]}"
        if response is None:
            return Outcome(False, want, "no answer", f"GET {url} {sender} got no answer: {why}; "
                           "the task asks for the Service to answer.")
        if not 200 <= response.status < 300:
            return Outcome(False, want, f"HTTP {response.status}", f"GET {url} {sender} answered "
                           f"HTTP {response.status}; the task asks for HTTP 200.")
        return Outcome(True, want, f"HTTP {response.status}", f"GET {url} {sender} answered "
                       f"HTTP {response.status} from pod {response.pod.split('/')[-1]}.")
    check.description = f'Service "{service}" answers GET {path} from inside the cluster'
    return check


def _client_pod(cluster, service: str, namespace: str) -> tuple[str, str] | None:
    svc = _get(cluster, "Service", service, namespace) or {}
    selector = (svc.get("spec") or {}).get("selector") or {}
    candidates = []
    if selector:
        candidates = [p for p in cluster.api.list("Pod", namespace)
                      if all((p["metadata"].get("labels") or {}).get(k) == v
                             for k, v in selector.items())]
    candidates += [p for p in cluster.api.list("Pod", "kube-system")
                   if (p["metadata"].get("labels") or {}).get("k8s-app") == "kube-dns"]
    for pod in candidates:
        if _running(pod) and not pod["metadata"].get("deletionTimestamp"):
            return pod["metadata"].get("namespace", namespace), pod["metadata"]["name"]
    return None


# -- 4.4: a LoadBalancer and its round robin -------------------------------------------------

def _ingress_ip(svc: dict) -> str | None:
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return next((i.get("ip") or i.get("hostname") for i in ingress
                 if i.get("ip") or i.get("hostname")), None)


def external_ip(service: str):
    """Passes when the LoadBalancer Service has an ingress address (EXTERNAL-IP)."""
    want = "an EXTERNAL-IP"

    def check(cluster) -> Outcome:
        svc = _get(cluster, "Service", service)
        if svc is None:
            return Outcome(False, want, "no Service", f"{_missing('Service', service)}.")
        kind = (svc.get("spec") or {}).get("type", "ClusterIP")
        if kind != "LoadBalancer":
            return Outcome(False, want, f"type {kind}",
                           f'Service "{service}" is of type {kind}, which never gets an '
                           "EXTERNAL-IP; the task asks for a LoadBalancer.")
        ip = _ingress_ip(svc)
        if ip is None:
            return Outcome(False, want, "<pending>",
                           f'The EXTERNAL-IP of Service "{service}" is <pending>: minikube has '
                           "no cloud to make a load balancer. Run `%minikube tunnel` (in a "
                           "terminal it keeps running): it gives LoadBalancer Services an "
                           "address.")
        return Outcome(True, want, ip, f'Service "{service}" has the EXTERNAL-IP {ip}.')
    check.description = f'Service "{service}" has an EXTERNAL-IP'
    return check


def round_robin(service: str, deployment: str, requests: int = ROUND_ROBIN_REQUESTS):
    """Passes when ``requests`` consecutive GETs from outside, through the Service's
    EXTERNAL-IP and port, are answered by every ready pod of the Deployment."""
    want = f"{requests} answers from every ready {deployment} pod"

    def check(cluster) -> Outcome:
        svc = _get(cluster, "Service", service)
        ip = _ingress_ip(svc) if svc else None
        if ip is None:
            return Outcome(False, want, "no EXTERNAL-IP", f'Service "{service}" has no '
                           "EXTERNAL-IP, so no request could be sent through it.")
        port = ((svc.get("spec") or {}).get("ports") or [{}])[0].get("port", 80)
        obj = _get(cluster, "Deployment", deployment)
        ready = sorted(p["metadata"]["name"] for p in (_pods(cluster, obj) if obj else [])
                       if _ready(p))
        url = f"http://{ip}" + (f":{port}" if port != 80 else "") + "/"
        answered = []
        for _ in range(requests):
            response, why = _get_url(cluster, url)
            if response is None or response.status != 200:
                got = why if response is None else f"HTTP {response.status}"
                return Outcome(False, want, got, f"GET {url} got {got}; the task asks for "
                               "every request to be answered.")
            answered.append(response.pod.split("/")[-1])
        if not ready or sorted(set(answered)) != ready:
            return Outcome(False, want, ", ".join(answered),
                           f"{requests} requests to {url} were answered by "
                           f"{', '.join(answered)}; the task asks for all {len(ready)} ready "
                           f'pods of Deployment "{deployment}" ({", ".join(ready) or "none"}) to '
                           "answer.")
        return Outcome(True, want, ", ".join(answered), f"{requests} requests to {url} were "
                       f"answered in turn by {', '.join(answered)}.")
    check.description = f"{requests} requests through the EXTERNAL-IP of Service \"{service}\" " \
        f'reach every pod of Deployment "{deployment}"'
    return check


# -- 4.5: two containers, one pod ---------------------------------------------------------------

LOCAL_NAMES = ("localhost", "127.0.0.1")


def _containers(deployment: dict) -> list[dict]:
    return (deployment["spec"]["template"].get("spec") or {}).get("containers") or []


def side_by_side(deployment: str, images: tuple[str, ...]):
    """Passes when the Deployment's pod template runs each of ``images`` in a container
    of its own (one pod, several containers)."""
    want = " + ".join(images)

    def check(cluster) -> Outcome:
        obj = _get(cluster, "Deployment", deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing('Deployment', deployment)}; the "
                           f"task asks for its pods to run {' and '.join(images)} side by side.")
        found = [c.get("image", "") for c in _containers(obj)]
        missing = [i for i in images if i not in found]
        if missing:
            return Outcome(False, want, " + ".join(found) or "no containers",
                           f'The pods of Deployment "{deployment}" run {" and ".join(found)}; the '
                           f"task asks for a container of {' and '.join(missing)} in the same pod.")
        return Outcome(True, want, " + ".join(found), f'The pods of Deployment "{deployment}" '
                       f"run {' and '.join(found)}, one container each.")
    check.description = f'the pods of Deployment "{deployment}" run {" and ".join(images)}'
    return check


def local_address(deployment: str, image: str, variable: str):
    """Passes when the container running ``image`` gets ``variable`` = localhost
    (or 127.0.0.1, with or without ``:80``)."""
    want = "localhost"

    def check(cluster) -> Outcome:
        obj = _get(cluster, "Deployment", deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing('Deployment', deployment)}.")
        container = next((c for c in _containers(obj) if c.get("image") == image), None)
        entry = {e.get("name"): e for e in (container or {}).get("env") or []}.get(variable)
        if container is None or entry is None:
            return Outcome(False, want, f"no {variable}", f"The {image} container of Deployment "
                           f'"{deployment}" gets no {variable}; the task asks for localhost.')
        value = _env_value(cluster, "default", entry) or ""
        host, _, port = value.partition(":")
        if host not in LOCAL_NAMES or port not in ("", "80"):
            why = (f"port {port} is the users app's own, the auth container listens on 80"
                   if host in LOCAL_NAMES else
                   "that name leaves the pod; the containers of one pod share its network, "
                   "so the auth container is at localhost")
            return Outcome(False, want, value, f'{variable} is "{value}": {why}.')
        return Outcome(True, want, value, f'{variable} is "{value}": the auth container of the '
                       "same pod.")
    check.description = f"the {image} container of Deployment \"{deployment}\" gets " \
        f"{variable}=localhost"
    return check


def logs_in_locally(deployment: str, port: int):
    """Passes when ``GET /login`` on every running pod of the Deployment answers 200
    with a token issued by that same pod (its auth container)."""
    want = "HTTP 200, token issued by the same pod"

    def check(cluster) -> Outcome:
        obj, pods = _running_pods(cluster, deployment)
        if obj is None:
            return Outcome(False, want, "not found", f"{_missing('Deployment', deployment)}.")
        if not pods:
            return Outcome(False, want, "no running pod", f'No pod of Deployment "{deployment}" '
                           "is running (kubectl get pods shows each container's state).")
        for pod in pods:
            name = pod["metadata"]["name"]
            url = f"http://{pod['status']['podIP']}:{port}/login"
            response, why = _get_url(cluster, url)
            if response is None:
                return Outcome(False, want, "no answer", f"GET {url} (pod {name}) got no answer: "
                               f"{why}.")
            if response.status != 200:
                return Outcome(False, want, f"HTTP {response.status}",
                               f"GET {url} (pod {name}) answered HTTP {response.status} "
                               f"{_first_line(response.text)}; the task asks for the login to "
                               "work.")
            issuer = str(_json(response).get("issuedBy", ""))
            if issuer != name:
                return Outcome(False, want, f"issued by {issuer}",
                               f"GET {url} got a token from pod {issuer}, not from pod {name} "
                               "itself; the task asks for the auth container of the same pod "
                               "to issue it.")
        return Outcome(True, want, "HTTP 200", f"GET /login answered HTTP 200 on "
                       f"{', '.join(p['metadata']['name'] for p in pods)}, with a token from "
                       "the same pod.")
    check.description = f'GET /login on the pods of Deployment "{deployment}" gets a token ' \
        "from the same pod"
    return check


NOTEBOOK = "exercises/04-networking.ipynb"

EXERCISES: list[Exercise] = [
    Exercise(
        id="4.1", chapter="4", title="Two apps wired by DNS, across namespaces",
        task=("Run the auth API in a namespace of its own: create the namespace `identity`, and "
              "in it a Deployment `auth` (2 replicas of `kubelearn/auth-api:1`, which listens on "
              "port 80) and a Service `auth` (port 80). Then run the users API in `default`: a "
              "Deployment `users` (one replica of `kubelearn/users-api:1`, port 8080) whose "
              "container gets the variable `AUTH_ADDRESS`: the users app calls "
              "`http://$AUTH_ADDRESS/token` to log someone in, so give it a DNS name of the auth "
              "Service that works from a pod in `default`. `GET /login` on a users pod "
              "(`c.http_get(f\"http://{pod_ip}:8080/login\")`) must answer 200 with a token "
              "`issuedBy` an auth pod."),
        checks=(
            Check("auth", "Deployment auth in identity runs 2 replicas of kubelearn/auth-api:1",
                  1, all_of(field_equals("Deployment", "auth",
                                         "spec.template.spec.containers[0].image",
                                         "kubelearn/auth-api:1", namespace=IDENTITY),
                            rollout_complete("auth", replicas=2, namespace=IDENTITY)),
                  tip="kubectl get deployment,service -n identity shows what runs there; the "
                      "namespace goes in the manifest's metadata or in kubectl's -n identity.",
                  misconceptions=(wrong_namespace("Deployment", "auth", IDENTITY,
                                                  lambda d: d["spec"].get("replicas") == 2),)),
            Check("service", "Service auth in identity listens on port 80 and has the 2 auth "
                  "pods as endpoints", 1,
                  all_of(field_equals("Service", "auth", "spec.ports[0].port", 80,
                                      namespace=IDENTITY),
                         endpoints_ready("auth", 2, namespace=IDENTITY)),
                  tip="kubectl expose deployment auth -n identity --port=80",
                  misconceptions=(wrong_namespace("Service", "auth", IDENTITY),
                                  selector_matches_no_pod("auth", IDENTITY))),
            Check("address", "users gets AUTH_ADDRESS, a DNS name that reaches identity/auth "
                  "from default", 2, dns_address("users", "AUTH_ADDRESS", "auth", IDENTITY),
                  tip="a Service's DNS name is SERVICE.NAMESPACE (or "
                      "SERVICE.NAMESPACE.svc.cluster.local)."),
            Check("login", "GET /login on the users pods gets a token from an auth pod in "
                  "identity", 2, logs_in("users", 8080, "auth", IDENTITY),
                  tip="after a change to AUTH_ADDRESS, wait for the new users pods: kubectl "
                      "rollout status deployment users."),
            Check("spread", "logins get tokens from both auth pods", 1,
                  spreads_logins("users", 8080, "auth", IDENTITY), hidden=True),
        ),
        hints=("Inside a pod, a Service is found by name through the cluster's DNS. The pod's "
               "resolver tries its own namespace first, so a bare name only reaches Services in "
               "the same namespace (`kubectl exec` and `cat /etc/resolv.conf` shows the search "
               "list).",
               "From `default`, the auth Service is `auth.identity` (or "
               "`auth.identity.svc.cluster.local`): set `env: [{name: AUTH_ADDRESS, value: "
               "auth.identity}]` in the users container.",
               "Apply a Namespace `identity`; a Deployment `auth` and a Service `auth` (selector "
               "app=auth, port 80) with `namespace: identity`; and a Deployment `users` in "
               "default with `AUTH_ADDRESS=auth.identity`. Then `kubectl rollout status` both, "
               "`kubectl get pods -o wide` for the users pod's IP, and "
               "`c.http_get(f\"http://{ip}:8080/login\").json()`."),
        solution=(("apply -f -", IDENTITY_NAMESPACE), ("apply -f -", AUTH),
                  ("apply -f -", users("auth.identity")),
                  "rollout status deployment/auth -n identity",
                  "rollout status deployment/users",
                  "get pods -A -l 'app in (auth,users)' -o wide"),
    ),
    Exercise(
        id="4.2", chapter="4", title="AUTH_SERVICE_SERVICE_HOST, and why the pods need a restart",
        task=("The Deployment `tasks` (2 replicas of `kubelearn/tasks-api:1`, port 8000) is "
              "already running, and so is the auth API, as a Deployment `auth-service` (label "
              "`app=auth-service`, port 80). `GET /tasks` on a tasks pod asks "
              "`http://$AUTH_SERVICE_SERVICE_HOST/verify-token` first, and fails: nobody set "
              "that variable. The kubelet sets it for a Service called `auth-service`: create "
              "that Service (port 80, selecting the auth-service pods) and make the tasks app "
              "use it. `GET /tasks` on every tasks pod (`c.http_get(f\"http://{pod_ip}:8000"
              "/tasks\")`) must answer 200. Do not write the variable into the Deployment "
              "yourself."),
        setup=(("apply -f -", TASKS),),
        checks=(
            Check("service", "Service auth-service listens on port 80 and has the auth-service "
                  "pod as endpoint", 1,
                  all_of(field_equals("Service", "auth-service", "spec.ports[0].port", 80),
                         field_equals("Service", "auth-service", "spec.ports[0].targetPort", 80),
                         endpoints_ready("auth-service", 1)),
                  tip="kubectl expose deployment auth-service --port=80",
                  misconceptions=(selector_matches_no_pod("auth-service"),)),
            Check("env", "the running tasks containers started with AUTH_SERVICE_SERVICE_HOST "
                  "= the Service's cluster IP", 2, service_host_env("tasks", "auth-service"),
                  tip="kubectl exec deploy/tasks -- env shows what a container started with.",
                  misconceptions=(pods_started_before_service("tasks", "auth-service"),)),
            Check("answers", "GET /tasks on every tasks pod answers HTTP 200", 1,
                  verifies_tokens("tasks", 8000, "/tasks", "auth-service")),
            Check("rolled-out", "tasks kept its 2 replicas, all with the Service's variables", 1,
                  all_of(rollout_complete("tasks", replicas=2),
                         service_host_env("tasks", "auth-service")), hidden=True,
                  misconceptions=(pods_started_before_service("tasks", "auth-service"),)),
        ),
        hints=("`kubectl exec deploy/tasks -- env | grep SERVICE` shows the Service variables a "
               "container has. Which Services existed when it started?",
               "The kubelet writes `<NAME>_SERVICE_HOST` and `<NAME>_SERVICE_PORT` for every "
               "Service of the namespace into a container's environment when the container "
               "starts, never later. After you create the Service, the tasks pods need to be "
               "replaced.",
               "`kubectl expose deployment auth-service --port=80` (the Service is named after "
               "the Deployment), then `kubectl rollout restart deployment tasks` and `kubectl "
               "rollout status deployment tasks`."),
        solution=(("apply -f -", AUTH_SERVICE),
                  "rollout restart deployment tasks",
                  "rollout status deployment tasks",
                  "get pods -l app=tasks"),
    ),
    Exercise(
        id="4.3", chapter="4", title="A Service whose selector matches nothing",
        task=("The shop runs as a Deployment `shop` (2 replicas of `kubelearn/hello:1`, port "
              "8080) behind a Service `shop` (port 80), yet nobody reaches it. Find out why "
              "(`kubectl get endpoints shop`, `kubectl describe service shop`, `kubectl get "
              "pods --show-labels`) and fix it where the mistake is: the Service must send "
              "requests to both shop pods, and `GET /` to `http://shop` from inside the cluster "
              "must answer. Leave the Deployment and its pods' labels as they are."),
        setup=(("apply -f -", SHOP_DEPLOYMENT), ("apply -f -", shop_service())),
        checks=(
            Check("endpoints", "Endpoints shop lists both ready shop pods", 2,
                  endpoints_are_pods("shop", "shop"),
                  tip="kubectl get endpoints shop; kubectl get pods --show-labels."),
            Check("selector", "the Service's selector was fixed, not the pods' labels", 1,
                  fixed_in_service("shop", "shop", {"app": "shop", "tier": "web"}),
                  tip="kubectl describe service shop shows its Selector."),
            Check("answers", "Service shop answers GET / from inside the cluster", 1,
                  answers_inside("shop", "/"),
                  misconceptions=(port_vs_target_port("shop", 8080),)),
            Check("kept", "Service shop kept port 80 -> 8080 and selects the 2 shop pods", 1,
                  all_of(field_equals("Service", "shop", "spec.ports[0].port", 80),
                         field_equals("Service", "shop", "spec.ports[0].targetPort", 8080),
                         endpoints_ready("shop", 2)), hidden=True),
        ),
        hints=("A Service sends traffic to the pods its *selector* matches; its Endpoints "
               "object lists them. `kubectl get endpoints shop` shows `<none>`.",
               "`kubectl describe service shop` shows `Selector: app=shop-web`, and `kubectl get "
               "pods --show-labels` shows the pods are `app=shop,tier=web`. Relabelling the "
               "pods would only take them away from their ReplicaSet: fix the Service.",
               "Apply the Service again, the same manifest with `selector: {app: shop}` (`kubectl "
               "get service shop -o yaml` prints what it has now), then `kubectl get endpoints "
               "shop`."),
        solution=("get endpoints shop",
                  ("apply -f -", shop_service("app: shop")),
                  "get endpoints shop"),
    ),
    Exercise(
        id="4.4", chapter="4", title="To the outside world, in turn",
        task=("Run a Deployment `hello` (3 replicas of `kubelearn/hello:1`, port 8080) and "
              "expose it to the world with a Service `hello` of type `LoadBalancer` on port 80 "
              "(to port 8080). On minikube its EXTERNAL-IP stays `<pending>` until `minikube "
              "tunnel` runs: start it with `%minikube tunnel`. Then send 6 requests to "
              "`http://EXTERNAL-IP/` with `c.http_get` and count in a dict `answered_by` which "
              "pod answered each (`response.pod`): the Service takes its pods in turn."),
        checks=(
            Check("type", "Service hello is a LoadBalancer", 1,
                  field_equals("Service", "hello", "spec.type", "LoadBalancer"),
                  tip="type: LoadBalancer in the manifest (or kubectl expose --type="
                      "LoadBalancer): a NodePort Service gets no EXTERNAL-IP."),
            Check("ports", "Service hello listens on port 80 and targets port 8080", 1,
                  all_of(field_equals("Service", "hello", "spec.ports[0].port", 80),
                         field_equals("Service", "hello", "spec.ports[0].targetPort", 8080)),
                  misconceptions=(port_vs_target_port("hello", 8080),)),
            Check("endpoints", "hello has 3 replicas, all endpoints of the Service", 1,
                  all_of(rollout_complete("hello", replicas=3), endpoints_ready("hello", 3)),
                  misconceptions=(image_pull_error("hello"), selector_matches_no_pod("hello"))),
            Check("external-ip", "Service hello has an EXTERNAL-IP", 1, external_ip("hello")),
            Check("round-robin", "6 requests through the EXTERNAL-IP reach all 3 hello pods", 2,
                  round_robin("hello", "hello")),
            Check("image", "hello runs kubelearn/hello:1", 1,
                  field_equals("Deployment", "hello", "spec.template.spec.containers[0].image",
                               "kubelearn/hello:1"), hidden=True),
        ),
        hints=("A `LoadBalancer` Service asks the cloud for an outside address; minikube has no "
               "cloud, and `minikube tunnel` plays its part. `kubectl get service hello` shows "
               "the EXTERNAL-IP.",
               "`kubectl expose deployment hello --type=LoadBalancer --port=80 "
               "--target-port=8080`, then `%minikube tunnel`, then read the address: "
               "`c.get(\"service\", \"hello\").status.loadBalancer.ingress[0].ip`, or from "
               "`kubectl get service hello`.",
               "`answered_by = {}`; six times: `pod = c.http_get(f\"http://{ip}/\").pod`, "
               "`answered_by[pod] = answered_by.get(pod, 0) + 1`. With 3 ready pods each "
               "answers twice."),
        solution=(("apply -f -", hello()),
                  "rollout status deployment/hello",
                  "get service hello"),
    ),
    Exercise(
        id="4.5", chapter="4", title="Two containers in one pod, over localhost",
        task=("Run the users API and the auth API as two containers of **one** pod: a "
              "Deployment `users-auth` (one replica) whose pod has a container `users` "
              "(`kubelearn/users-api:1`, port 8080) and a container `auth` "
              "(`kubelearn/auth-api:1`, port 80). The containers of a pod share its network, "
              "so `AUTH_ADDRESS` is `localhost`: no Service is needed. `GET /login` on the pod "
              "must answer 200 with a token `issuedBy` that same pod."),
        checks=(
            Check("containers", "the users-auth pods run users-api and auth-api side by side", 1,
                  side_by_side("users-auth", ("kubelearn/users-api:1", "kubelearn/auth-api:1")),
                  tip="one pod template, two entries under containers."),
            Check("address", "the users container gets AUTH_ADDRESS=localhost", 1,
                  local_address("users-auth", "kubelearn/users-api:1", "AUTH_ADDRESS")),
            Check("login", "GET /login gets a token from the same pod", 2,
                  logs_in_locally("users-auth", 8080),
                  tip="kubectl get pods shows 2/2 READY when both containers run."),
            Check("rolled-out", "users-auth has rolled out, both containers running", 1,
                  all_of(rollout_complete("users-auth", replicas=1),
                         logs_in_locally("users-auth", 8080)), hidden=True),
        ),
        hints=("The containers of one pod share one network namespace: one IP address, one "
               "`localhost`. Each listens on its own port.",
               "Put both containers under `spec.template.spec.containers` of one Deployment, and "
               "give the users container `env: [{name: AUTH_ADDRESS, value: localhost}]` (the "
               "auth app listens on port 80, which http:// uses anyway).",
               "Apply the Deployment, `kubectl rollout status deployment/users-auth`, then "
               "`c.http_get(f\"http://{ip}:8080/login\").json()` with the pod's IP from "
               "`kubectl get pods -l app=users-auth -o wide`."),
        solution=(("apply -f -", users_auth()),
                  "rollout status deployment/users-auth",
                  "get pods -l app=users-auth -o wide"),
    ),
]
