"""Server-side defaults, as kube-apiserver v1.32 fills them in before validating.

What ``kubectl get -o yaml`` shows that the learner never wrote comes from
three places upstream, all reproduced here:

* defaulting functions run while decoding (``pkg/apis/core/v1/defaults.go``,
  ``pkg/apis/apps/v1/defaults.go``, ``pkg/apis/storage/v1/defaults.go`` and
  the generated ``zz_generated.defaults.go`` that says which apply where:
  ``SetDefaults_Pod`` only to Pods, ``SetDefaults_PodSpec`` and the container,
  probe and volume defaults to pod templates too);
* admission plugins for Pods on create: ServiceAccount (``default``), Priority
  (``priority: 0``, ``PreemptLowerPriority``) and DefaultTolerationSeconds
  (``not-ready``/``unreachable`` ``NoExecute`` for 300 s);
* strategies and the service REST storage: a Namespace gets the ``kubernetes``
  finalizer, a Service's ``clusterIPs`` follows ``clusterIP``, and on update
  what the allocators gave (cluster IPs, node ports) is kept when omitted.

Plus Go serialisation facts a typed object always shows: ``resources: {}`` on
every container and ``creationTimestamp: null`` in pod templates (v1.32 still
writes the zero ``metav1.Time`` as ``null``).

``apply_defaults`` never changes its input: it copies only the dicts on the
way to what it sets, and inserts new keys in Go struct order.
"""
from __future__ import annotations

import base64
import re
from typing import Callable

from pydantic import BaseModel

from kubelearn.api.kinds import KindInfo
from kubelearn.api.models import apps, core, storage

# Values the service IP allocator sets (pkg/registry/core/service/storage/alloc.go) on a
# single-stack IPv4 cluster; the server's allocator applies them, they are listed here so
# every part agrees on the words.
DEFAULT_IP_FAMILY_POLICY = "SingleStack"
DEFAULT_IP_FAMILIES = ("IPv4",)

NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
DEFAULT_TOLERATION_SECONDS = 300
# Built-in PriorityClasses (pkg/apis/scheduling): the Priority admission plugin resolves them.
SYSTEM_PRIORITY_CLASSES = {"system-node-critical": 2000001000,
                           "system-cluster-critical": 2000000000}
VOLUME_DEFAULT_MODE = 0o644  # SecretVolumeSourceDefaultMode and friends: 420


def apply_defaults(info: KindInfo, obj: dict, old: dict | None = None) -> dict:
    """A copy of ``obj`` with the defaults kube-apiserver sets (``old`` on updates)."""
    meta = obj.get("metadata") or {}
    if not info.namespaced and meta.get("namespace"):
        # rest.BeforeCreate/BeforeUpdate clear the namespace of a cluster-scoped object
        obj = {**obj, "metadata": {k: v for k, v in meta.items() if k != "namespace"}}
    fn = _BY_KIND.get(info.kind)
    return fn(obj, old) if fn else obj


def service_ip_family_fields(spec: dict) -> dict:
    """The ``ipFamilyPolicy``/``ipFamilies`` the allocator gives a Service lacking them."""
    if spec.get("type") == "ExternalName":
        return {}
    out = {}
    if not spec.get("ipFamilyPolicy"):
        out["ipFamilyPolicy"] = DEFAULT_IP_FAMILY_POLICY
    if not spec.get("ipFamilies"):
        out["ipFamilies"] = list(DEFAULT_IP_FAMILIES)
    return out


# --- helpers ---------------------------------------------------------------------------------

_ORDER: dict[type, tuple[str, ...]] = {}


def _order(model: type[BaseModel]) -> tuple[str, ...]:
    order = _ORDER.get(model)
    if order is None:
        order = _ORDER[model] = tuple(model.model_fields)
    return order


def _put(d: dict, model: type[BaseModel], updates: dict) -> dict:
    """``d`` with ``updates`` merged in, keys in the Go struct order of ``model``."""
    if not updates:
        return d
    merged = {**d, **updates}
    order = _order(model)
    out = {k: merged[k] for k in order if k in merged}
    if len(out) != len(merged):  # keys the model does not know (never after decode) stay last
        out.update((k, v) for k, v in merged.items() if k not in out)
    return out


def _each(items: list | None, fn: Callable[[dict], dict]) -> list | None:
    """``items`` with ``fn`` applied; the same list object when nothing changed."""
    if not items:
        return items
    new = [fn(item) for item in items]
    return new if any(a is not b for a, b in zip(new, items)) else items


def _missing(d: dict, key: str) -> bool:
    value = d.get(key)
    return value is None or value == "" or value == 0


# --- containers ------------------------------------------------------------------------------

_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*"
_REFERENCE = re.compile(
    rf"(?P<name>(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?")


def image_tag(image: str) -> str:
    """The tag ``parsers.ParseImageName`` finds: ``latest`` when none (and no digest),
    ``""`` for a digest-only or unparseable reference."""
    match = _REFERENCE.fullmatch(image or "")
    if match is None:
        return ""
    if match["tag"]:
        return match["tag"]
    return "" if match["digest"] else "latest"


def default_pull_policy(image: str) -> str:
    """SetDefaults_Container: ``Always`` for ``:latest`` or no tag, else ``IfNotPresent``."""
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


def _port(port: dict) -> dict:
    return port if port.get("protocol") else _put(port, core.ContainerPort, {"protocol": "TCP"})


def _field_ref(holder: dict) -> dict:
    """SetDefaults_ObjectFieldSelector: ``fieldRef.apiVersion: v1``."""
    ref = holder.get("fieldRef")
    if not ref or ref.get("apiVersion"):
        return holder
    return {**holder, "fieldRef": _put(ref, core.ObjectFieldSelector, {"apiVersion": "v1"})}


def _env(var: dict) -> dict:
    source = var.get("valueFrom")
    if not source:
        return var
    new = _field_ref(source)
    return var if new is source else {**var, "valueFrom": new}


def _http_get(action: dict) -> dict:
    updates = {}
    if not action.get("path"):
        updates["path"] = "/"
    if not action.get("scheme"):
        updates["scheme"] = "HTTP"
    return _put(action, core.HTTPGetAction, updates)


def _handler(handler: dict, model: type[BaseModel], updates: dict) -> dict:
    if handler.get("httpGet") is not None:
        new = _http_get(handler["httpGet"])
        if new is not handler["httpGet"]:
            updates["httpGet"] = new
    return _put(handler, model, updates)


def _probe(probe: dict) -> dict:
    """SetDefaults_Probe (+ HTTPGetAction, GRPCAction.service)."""
    updates = {}
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                       ("failureThreshold", 3)):
        if not probe.get(key):
            updates[key] = value
    grpc = probe.get("grpc")
    if grpc is not None and grpc.get("service") is None:
        updates["grpc"] = _put(grpc, core.GRPCAction, {"service": ""})
    return _handler(probe, core.Probe, updates)


def _lifecycle(lifecycle: dict) -> dict:
    updates = {}
    for hook in ("postStart", "preStop"):
        handler = lifecycle.get(hook)
        if handler is not None:
            new = _handler(handler, core.LifecycleHandler, {})
            if new is not handler:
                updates[hook] = new
    return {**lifecycle, **updates} if updates else lifecycle


def _container(container: dict) -> dict:
    """SetDefaults_Container and what the generated defaulter applies inside a container."""
    updates = {}
    if not container.get("imagePullPolicy"):
        updates["imagePullPolicy"] = default_pull_policy(container.get("image") or "")
    if not container.get("terminationMessagePath"):
        updates["terminationMessagePath"] = "/dev/termination-log"
    if not container.get("terminationMessagePolicy"):
        updates["terminationMessagePolicy"] = "File"
    if container.get("resources") is None:
        updates["resources"] = {}
    for key, fn in (("ports", _port), ("env", _env)):
        new = _each(container.get(key), fn)
        if new is not container.get(key):
            updates[key] = new
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        if container.get(key) is not None:
            new = _probe(container[key])
            if new is not container[key]:
                updates[key] = new
    if container.get("lifecycle") is not None:
        new = _lifecycle(container["lifecycle"])
        if new is not container["lifecycle"]:
            updates["lifecycle"] = new
    return _put(container, core.Container, updates)


# --- volumes ---------------------------------------------------------------------------------

_VOLUME_SOURCES = tuple(k for k in core.Volume.model_fields if k != "name")


def _items_field_refs(source: dict) -> dict:
    new = _each(source.get("items"), _field_ref)
    return source if new is source.get("items") else {**source, "items": new}


def _projection(projection: dict) -> dict:
    updates = {}
    if projection.get("downwardAPI") is not None:
        new = _items_field_refs(projection["downwardAPI"])
        if new is not projection["downwardAPI"]:
            updates["downwardAPI"] = new
    token = projection.get("serviceAccountToken")
    if token is not None and token.get("expirationSeconds") is None:
        updates["serviceAccountToken"] = _put(token, core.ServiceAccountTokenProjection,
                                              {"expirationSeconds": 3600})
    return {**projection, **updates} if updates else projection


def _mode(source: dict, model: type[BaseModel]) -> dict:
    if source.get("defaultMode") is not None:
        return source
    return _put(source, model, {"defaultMode": VOLUME_DEFAULT_MODE})


def _volume(volume: dict) -> dict:
    """SetDefaults_Volume and the per-source defaulters."""
    if not any(volume.get(k) is not None for k in _VOLUME_SOURCES):
        return _put(volume, core.Volume, {"emptyDir": {}})
    updates = {}
    if volume.get("hostPath") is not None and volume["hostPath"].get("type") is None:
        updates["hostPath"] = _put(volume["hostPath"], core.HostPathVolumeSource, {"type": ""})
    if volume.get("secret") is not None:
        updates["secret"] = _mode(volume["secret"], core.SecretVolumeSource)
    if volume.get("configMap") is not None:
        updates["configMap"] = _mode(volume["configMap"], core.ConfigMapVolumeSource)
    if volume.get("downwardAPI") is not None:
        updates["downwardAPI"] = _items_field_refs(
            _mode(volume["downwardAPI"], core.DownwardAPIVolumeSource))
    if volume.get("projected") is not None:
        projected = _mode(volume["projected"], core.ProjectedVolumeSource)
        sources = _each(projected.get("sources"), _projection)
        if sources is not projected.get("sources"):
            projected = {**projected, "sources": sources}
        updates["projected"] = projected
    updates = {k: v for k, v in updates.items() if v is not volume[k]}
    return {**volume, **updates} if updates else volume


# --- pod spec --------------------------------------------------------------------------------

def _pod_spec(spec: dict) -> dict:
    """SetDefaults_PodSpec plus the container and volume defaults (pods and templates)."""
    updates = {}
    if not spec.get("dnsPolicy"):
        updates["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        updates["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        updates["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        updates["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        updates["schedulerName"] = "default-scheduler"
    for key, fn in (("volumes", _volume), ("initContainers", _container),
                    ("containers", _container), ("ephemeralContainers", _container)):
        new = _each(spec.get(key), fn)
        if new is not spec.get(key):
            updates[key] = new
    # v1 conversion keeps the deprecated serviceAccount in step with serviceAccountName.
    if spec.get("serviceAccountName"):
        if spec.get("serviceAccount") != spec["serviceAccountName"]:
            updates["serviceAccount"] = spec["serviceAccountName"]
    elif spec.get("serviceAccount"):
        updates["serviceAccountName"] = spec["serviceAccount"]
    return _put(spec, core.PodSpec, updates)


def _requests_from_limits(container: dict) -> dict:
    """SetDefaults_Pod: a limit without a request makes the request equal to the limit."""
    resources = container.get("resources") or {}
    limits = resources.get("limits")
    if not limits:
        return container
    requests = resources.get("requests") or {}
    missing = {k: v for k, v in limits.items() if k not in requests}
    if not missing:
        return container
    resources = _put(resources, core.ResourceRequirements, {"requests": {**requests, **missing}})
    return {**container, "resources": resources}


def _host_network_ports(container: dict) -> dict:
    """defaultHostNetworkPorts: with hostNetwork a port's hostPort is its containerPort."""
    def port(p: dict) -> dict:
        if p.get("hostPort") or not p.get("containerPort"):
            return p
        return _put(p, core.ContainerPort, {"hostPort": p["containerPort"]})

    ports = _each(container.get("ports"), port)
    return container if ports is container.get("ports") else {**container, "ports": ports}


def _tolerates(tolerations: list, key: str) -> bool:
    return any((t.get("key") in (key, None, "")) and (t.get("effect") in ("NoExecute", None, ""))
               for t in tolerations)


def _default_tolerations(spec: dict) -> list | None:
    """DefaultTolerationSeconds admission: tolerate not-ready and unreachable for 300 s."""
    tolerations = list(spec.get("tolerations") or [])
    added = False
    for key in (NOT_READY_TAINT, UNREACHABLE_TAINT):
        if not _tolerates(tolerations, key):
            tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                                "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
            added = True
    return tolerations if added else None


def _pod(obj: dict, old: dict | None) -> dict:
    spec = obj.get("spec") or {}
    updates = {}
    for key in ("containers", "initContainers"):
        new = _each(spec.get(key), _requests_from_limits)
        if new is not spec.get(key):
            updates[key] = new
    if spec.get("enableServiceLinks") is None:
        updates["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            current = updates.get(key, spec.get(key))
            new = _each(current, _host_network_ports)
            if new is not current:
                updates[key] = new
    old_spec = (old or {}).get("spec") or {}
    if old is None:
        if not spec.get("serviceAccountName") and not spec.get("serviceAccount"):
            updates["serviceAccountName"] = "default"
        class_name = spec.get("priorityClassName")
        if not class_name or class_name in SYSTEM_PRIORITY_CLASSES:
            if spec.get("priority") is None:
                updates["priority"] = SYSTEM_PRIORITY_CLASSES.get(class_name, 0)
            if spec.get("preemptionPolicy") is None:
                updates["preemptionPolicy"] = "PreemptLowerPriority"
    else:  # Priority admission keeps what it set on create
        for key in ("priority", "preemptionPolicy"):
            if spec.get(key) is None and old_spec.get(key) is not None:
                updates[key] = old_spec[key]
    tolerations = _default_tolerations(spec)
    if tolerations is not None:
        updates["tolerations"] = tolerations
    spec = _pod_spec(_put(spec, core.PodSpec, updates))
    return {**obj, "spec": spec}


def _template(template: dict | None) -> dict:
    """Pod template defaults: SetDefaults_PodSpec and below, no Pod-only defaults.

    The template is a struct in Go, never nil, so a missing one is defaulted too.
    """
    template = template or {}
    meta = template.get("metadata") or {}
    updates = {}
    if "creationTimestamp" not in meta:
        updates["metadata"] = _put(meta, core.ObjectMeta, {"creationTimestamp": None})
    updates["spec"] = _pod_spec(template.get("spec") or {})
    return _put(template, core.PodTemplateSpec, updates)


# --- workloads -------------------------------------------------------------------------------

def _deployment(obj: dict, old: dict | None) -> dict:
    spec = obj.get("spec") or {}
    updates = {}
    if spec.get("replicas") is None:
        updates["replicas"] = 1
    strategy = _strategy(spec.get("strategy"), "25%", "25%")
    if strategy != spec.get("strategy"):
        updates["strategy"] = strategy
    if spec.get("revisionHistoryLimit") is None:
        updates["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        updates["progressDeadlineSeconds"] = 600
    updates["template"] = _template(spec.get("template"))
    return {**obj, "spec": _put(spec, apps.DeploymentSpec, updates)}


def _strategy(strategy: dict | None, max_unavailable, max_surge) -> dict:
    """SetDefaults_Deployment/DaemonSet: RollingUpdate with its two limits."""
    new = dict(strategy or {})
    if not new.get("type"):
        new["type"] = "RollingUpdate"
    if new["type"] == "RollingUpdate":
        rolling = dict(new.get("rollingUpdate") or {})
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = max_unavailable
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = max_surge
        new["rollingUpdate"] = {k: rolling[k] for k in ("maxUnavailable", "maxSurge")}
    return {k: new[k] for k in ("type", "rollingUpdate") if k in new}


def _replicaset(obj: dict, old: dict | None) -> dict:
    spec = obj.get("spec") or {}
    updates = {}
    if spec.get("replicas") is None:
        updates["replicas"] = 1
    updates["template"] = _template(spec.get("template"))
    return {**obj, "spec": _put(spec, apps.ReplicaSetSpec, updates)}


def _daemonset(obj: dict, old: dict | None) -> dict:
    spec = obj.get("spec") or {}
    updates = {}
    strategy = _strategy(spec.get("updateStrategy"), 1, 0)
    if strategy != spec.get("updateStrategy"):
        updates["updateStrategy"] = strategy
    if spec.get("revisionHistoryLimit") is None:
        updates["revisionHistoryLimit"] = 10
    updates["template"] = _template(spec.get("template"))
    return {**obj, "spec": _put(spec, apps.DaemonSetSpec, updates)}


# --- services --------------------------------------------------------------------------------

def _service_port(port: dict) -> dict:
    updates = {}
    if not port.get("protocol"):
        updates["protocol"] = "TCP"
    if port.get("targetPort") in (None, 0, ""):
        updates["targetPort"] = port.get("port", 0)
    return _put(port, core.ServicePort, updates)


def _externally_accessible(spec: dict) -> bool:
    stype = spec.get("type")
    return stype in ("LoadBalancer", "NodePort") or (
        stype == "ClusterIP" and bool(spec.get("externalIPs")))


def _service(obj: dict, old: dict | None) -> dict:
    spec = obj.get("spec") or {}
    updates = {}
    if not spec.get("sessionAffinity"):
        updates["sessionAffinity"] = "None"
    affinity = updates.get("sessionAffinity", spec.get("sessionAffinity"))
    if affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        updates["sessionAffinityConfig"] = None
    elif affinity == "ClientIP":
        cfg = spec.get("sessionAffinityConfig") or {}
        if ((cfg.get("clientIP") or {}).get("timeoutSeconds")) is None:
            updates["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    if not spec.get("type"):
        updates["type"] = "ClusterIP"
    stype = updates.get("type", spec.get("type"))
    ports = _each(spec.get("ports"), _service_port)
    if ports is not spec.get("ports"):
        updates["ports"] = ports
    view = {**spec, **updates}
    if _externally_accessible(view) and not spec.get("externalTrafficPolicy"):
        updates["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and stype in ("NodePort", "LoadBalancer",
                                                                 "ClusterIP"):
        updates["internalTrafficPolicy"] = "Cluster"
    if stype == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        updates["allocateLoadBalancerNodePorts"] = True
    spec = _put(spec, core.ServiceSpec, updates)
    if "sessionAffinityConfig" in updates and updates["sessionAffinityConfig"] is None:
        spec = {k: v for k, v in spec.items() if k != "sessionAffinityConfig"}
    spec = _allocated_values(spec, ((old or {}).get("spec") or {}) if old else None)
    out = {**obj, "spec": spec}
    status = obj.get("status") or {}
    ingress = (status.get("loadBalancer") or {}).get("ingress")
    if stype == "LoadBalancer" and ingress and any(i.get("ip") and not i.get("ipMode")
                                                   for i in ingress):
        fixed = [_put(i, core.LoadBalancerIngress, {"ipMode": "VIP"})
                 if i.get("ip") and not i.get("ipMode") else i for i in ingress]
        out["status"] = {**status, "loadBalancer": {**status["loadBalancer"], "ingress": fixed}}
    return out


def _allocated_values(spec: dict, old_spec: dict | None) -> dict:
    """NormalizeClusterIPs (strategy) and, on update, patchAllocatedValues (REST storage)."""
    updates = {}
    if old_spec is None:
        if spec.get("clusterIP") and not spec.get("clusterIPs"):
            updates["clusterIPs"] = [spec["clusterIP"]]
        return _put(spec, core.ServiceSpec, updates)
    old_type, new_type = old_spec.get("type"), spec.get("type")
    view = dict(spec)
    if old_type != "ExternalName" and new_type != "ExternalName":
        if not view.get("clusterIP") and old_spec.get("clusterIP"):
            view["clusterIP"] = updates["clusterIP"] = old_spec["clusterIP"]
        if not view.get("clusterIPs") and old_spec.get("clusterIPs"):
            view["clusterIPs"] = updates["clusterIPs"] = list(old_spec["clusterIPs"])
        for key in ("ipFamilies", "ipFamilyPolicy"):
            if not view.get(key) and old_spec.get(key):
                updates[key] = old_spec[key]
    node_port_types = ("NodePort", "LoadBalancer")
    if old_type in node_port_types and new_type in node_port_types and view.get("ports"):
        used_old = {p.get("nodePort") for p in old_spec.get("ports") or [] if p.get("nodePort")}
        used_new = {p.get("nodePort") for p in view["ports"] if p.get("nodePort")}
        used = used_old & used_new
        by_name = {p.get("name", ""): p.get("nodePort", 0) for p in old_spec.get("ports") or []}
        ports = []
        for p in view["ports"]:
            if not p.get("nodePort") and by_name.get(p.get("name", "")) and \
                    by_name[p.get("name", "")] not in used:
                p = _put(p, core.ServicePort, {"nodePort": by_name[p.get("name", "")]})
            ports.append(p)
        if any(a is not b for a, b in zip(ports, view["ports"])):
            updates["ports"] = ports
    if (new_type == "LoadBalancer" and old_type == "LoadBalancer"
            and view.get("externalTrafficPolicy") == "Local"
            and not view.get("healthCheckNodePort") and old_spec.get("healthCheckNodePort")):
        updates["healthCheckNodePort"] = old_spec["healthCheckNodePort"]
    return _put(spec, core.ServiceSpec, updates)


def _endpoints(obj: dict, old: dict | None) -> dict:
    subsets = obj.get("subsets")

    def subset(s: dict) -> dict:
        ports = _each(s.get("ports"), lambda p: p if p.get("protocol") else
                      _put(p, core.EndpointPort, {"protocol": "TCP"}))
        return s if ports is s.get("ports") else {**s, "ports": ports}

    new = _each(subsets, subset)
    return obj if new is subsets else {**obj, "subsets": new}


# --- config and storage ----------------------------------------------------------------------

def _secret(obj: dict, old: dict | None) -> dict:
    updates = {}
    string_data = obj.get("stringData")
    if string_data is not None:  # v1 conversion: stringData is merged into data, never stored
        data = dict(obj.get("data") or {})
        for key, value in string_data.items():
            data[key] = base64.b64encode(value.encode("utf-8")).decode("ascii")
        updates["data"] = data
    if not obj.get("type"):
        updates["type"] = "Opaque"
    out = _put(obj, core.Secret, updates)
    if string_data is not None:
        out = {k: v for k, v in out.items() if k != "stringData"}
    return out


def _namespace(obj: dict, old: dict | None) -> dict:
    meta = obj.get("metadata") or {}
    updates = {}
    name = meta.get("name")
    if name and (meta.get("labels") or {}).get("kubernetes.io/metadata.name") != name:
        labels = {**(meta.get("labels") or {}), "kubernetes.io/metadata.name": name}
        updates["metadata"] = _put(meta, core.ObjectMeta, {"labels": labels})
    if old is None:  # the namespace strategy adds the kubernetes finalizer on create
        spec = obj.get("spec") or {}
        finalizers = list(spec.get("finalizers") or [])
        if "kubernetes" not in finalizers:
            updates["spec"] = {**spec, "finalizers": finalizers + ["kubernetes"]}
    return _put(obj, core.Namespace, updates)


def _node(obj: dict, old: dict | None) -> dict:
    status = obj.get("status") or {}
    if status.get("allocatable") is None and status.get("capacity") is not None:
        status = _put(status, core.NodeStatus, {"allocatable": dict(status["capacity"])})
        return {**obj, "status": status}
    return obj


def _persistent_volume(obj: dict, old: dict | None) -> dict:
    spec = obj.get("spec") or {}
    updates = {}
    if not spec.get("persistentVolumeReclaimPolicy"):
        updates["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        updates["volumeMode"] = "Filesystem"
    if spec.get("hostPath") is not None and spec["hostPath"].get("type") is None:
        updates["hostPath"] = _put(spec["hostPath"], core.HostPathVolumeSource, {"type": ""})
    return {**obj, "spec": _put(spec, core.PersistentVolumeSpec, updates)}


def _persistent_volume_claim(obj: dict, old: dict | None) -> dict:
    spec = obj.get("spec") or {}
    if spec.get("volumeMode") is not None:
        return obj
    return {**obj, "spec": _put(spec, core.PersistentVolumeClaimSpec,
                                {"volumeMode": "Filesystem"})}


def _storage_class(obj: dict, old: dict | None) -> dict:
    updates = {}
    if obj.get("reclaimPolicy") is None:
        updates["reclaimPolicy"] = "Delete"
    if obj.get("volumeBindingMode") is None:
        updates["volumeBindingMode"] = "Immediate"
    return _put(obj, storage.StorageClass, updates)


def _event(obj: dict, old: dict | None) -> dict:
    """Not defaults but Go serialisation: these core/v1 Event fields are always written
    (``eventTime: null``, ``reportingInstance: ""``), so a stored Event shows them."""
    updates = {}
    for key, zero in (("involvedObject", {}), ("source", {}), ("firstTimestamp", None),
                      ("lastTimestamp", None), ("eventTime", None), ("reportingComponent", ""),
                      ("reportingInstance", "")):
        if key not in obj:
            updates[key] = zero
    return _put(obj, core.Event, updates)


_BY_KIND: dict[str, Callable[[dict, dict | None], dict]] = {
    "Pod": _pod, "Deployment": _deployment, "ReplicaSet": _replicaset, "DaemonSet": _daemonset,
    "Service": _service, "Endpoints": _endpoints, "Secret": _secret, "Namespace": _namespace,
    "Node": _node, "PersistentVolume": _persistent_volume,
    "PersistentVolumeClaim": _persistent_volume_claim, "StorageClass": _storage_class,
    "Event": _event,
}
