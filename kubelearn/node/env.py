"""A container's environment, built when the kubelet creates the container.

A port of kubelet v1.32's ``makeEnvironmentVariables`` (pkg/kubelet/kubelet_pods.go)
and ``third_party/forked/golang/expansion``; the Service variables are ``envvars``':

* ``envFrom`` first (each ConfigMap's or Secret's keys, with ``prefix``), then
  ``env`` in order: a ``value`` has its ``$(VAR)`` references expanded from the
  variables defined so far and the service variables (``$$`` is a literal
  ``$``; an unknown ``$(X)`` stays as written); ``valueFrom`` reads a
  ``configMapKeyRef``, a ``secretKeyRef`` (decoded), a ``fieldRef`` (downward
  API) or a ``resourceFieldRef``; explicit ``env`` wins over ``envFrom``;
* then the service link variables (``WEB_SERVICE_HOST``, ``WEB_PORT_80_TCP``...)
  of every Service of the pod's namespace that exists *now*, and always those
  of ``default/kubernetes`` (``enableServiceLinks: false`` keeps only these);
* a missing ConfigMap or Secret, or a missing key, makes the container fail
  with ``CreateContainerConfigError`` and upstream's message
  (``configmap "x" not found``, ``couldn't find key k in ConfigMap ns/x``),
  unless the reference is ``optional: true``. The event is ``Warning Failed``
  ``Error: <message>``; the pod worker syncs again after its back-off (10-15 s)
  and the container starts at the first sync that finds what it needs.
  Since v1.30 the kubelet no longer
  skips envFrom keys that are not C identifiers (RelaxedEnvironmentVariableValidation):
  every ConfigMap key is a valid variable name, so none is skipped and there is
  no ``InvalidEnvironmentVariableNames`` event.

The container runtime then merges this list into the image's own ``ENV``
(``PATH`` first, then ``HOSTNAME``, the image's variables, the kubelet's, and
``HOME`` last), which is what the process sees and what ``env`` prints inside it.
The result is fixed for that run of the container: editing a ConfigMap later
changes nothing until the container is created again (a restart, or a new pod
from ``kubectl rollout restart``).

For teammates:

* ``container_env(cluster, namespace, pod, container, previous=False)`` — the
  ``[(name, value), ...]`` the container's current (or previous) run started
  with, in the order ``env`` prints them; None when it has no such run.
* Apps read the same variables as ``run.values["env"]`` (a dict) and
  ``run.env`` (a ``ContainerEnv``) on the ``ContainerRun``.

``ContainerConfig`` is mixed into ``Kubelet``: it builds the environment when a
container is created, and handles ``CreateContainerConfigError`` and its retries.
Those retries are background timers (a pod may wait for its ConfigMap forever
without keeping ``settle()`` busy); a ConfigMap or Secret written in the pod's
namespace turns the retry already scheduled into foreground work, so
``settle()`` after ``kubectl create configmap`` shows the pod started.
"""
from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from kubelearn.api.quantity import QuantityParseError, parse_quantity
from kubelearn.node.containers import container_spec
from kubelearn.node.envvars import service_env

if TYPE_CHECKING:
    from kubelearn.node.kubelet import PodWorker
    from kubelearn.node.podstatus import ContainerRecord

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ROOT_HOME = "/root"
CONFIG_ERROR = "CreateContainerConfigError"
CONFIG_RESYNC = (10.0, 5.0)   # pod worker back-off after a failed sync: 10s, jitter factor 0.5


class ContainerConfigError(Exception):
    """generateContainerConfig failed: the container is not created (CreateContainerConfigError)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ContainerEnv:
    """The environment of one run of a container."""
    variables: tuple[tuple[str, str], ...]   # what the process sees (image ENV merged in)
    kubelet: tuple[tuple[str, str], ...]     # what the kubelet sent (makeEnvironmentVariables)

    def as_dict(self) -> dict[str, str]:
        return dict(self.variables)

    def expand(self, words: list[str] | None) -> list[str]:
        """``$(VAR)`` in a container's command or args, expanded from the kubelet's
        variables (ExpandContainerCommandAndArgs; image ENV does not take part)."""
        mapping = mapping_for(dict(self.kubelet))
        return [expand(word, mapping) for word in words or ()]


# -- $(VAR) expansion (third_party/forked/golang/expansion) ------------------------

def mapping_for(*contexts: dict[str, str]) -> Callable[[str], str]:
    """MappingFuncFor: the first context that has the name, else ``$(name)`` as written."""
    def mapping(name: str) -> str:
        for context in contexts:
            if name in context:
                return context[name]
        return f"$({name})"
    return mapping


def expand(text: str, mapping: Callable[[str], str]) -> str:
    """Expand ``$(VAR)`` references; ``$$`` is an escaped ``$``; anything else stays."""
    out: list[str] = []
    checkpoint, cursor = 0, 0
    while cursor < len(text):
        if text[cursor] == "$" and cursor + 1 < len(text):
            out.append(text[checkpoint:cursor])
            read, is_var, advance = _read_variable(text[cursor + 1:])
            out.append(mapping(read) if is_var else read)
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    return "".join(out) + text[checkpoint:]


def _read_variable(text: str) -> tuple[str, bool, int]:
    if text[0] == "$":
        return "$", False, 1
    if text[0] == "(":
        close = text.find(")", 1)
        if close != -1:
            return text[1:close], True, close + 1
        return "$(", False, 1
    return "$" + text[0], False, 1


# -- downward API -------------------------------------------------------------------

def _format_map(values: dict | None) -> str:
    """fieldpath.FormatMap: ``key="value"`` lines, sorted by key."""
    from kubelearn.api.validation import go_quote

    values = values or {}
    return "\n".join(f"{key}={go_quote(values[key])}" for key in sorted(values))


def field_value(pod: dict, path: str, pod_ip: str, host_ip: str) -> str:
    """podFieldSelectorRuntimeValue for the paths validation lets through."""
    meta, spec = pod["metadata"], pod.get("spec") or {}
    simple = {"spec.nodeName": spec.get("nodeName", ""),
              "spec.serviceAccountName": spec.get("serviceAccountName", ""),
              "status.hostIP": host_ip, "status.hostIPs": host_ip,
              "status.podIP": pod_ip, "status.podIPs": pod_ip,
              "metadata.name": meta.get("name", ""),
              "metadata.namespace": meta.get("namespace", ""),
              "metadata.uid": meta.get("uid", "")}
    if path in simple:
        return simple[path]
    if path in ("metadata.labels", "metadata.annotations"):
        return _format_map(meta.get(path.split(".")[1]))
    for prefix, field in (("metadata.labels['", "labels"), ("metadata.annotations['",
                                                             "annotations")):
        if path.startswith(prefix) and path.endswith("']"):
            return (meta.get(field) or {}).get(path[len(prefix):-2], "")
    raise ContainerConfigError(f"unsupported fieldPath: {path}")


def resource_value(ref: dict, pod: dict, container: dict, allocatable: dict) -> str:
    """containerResourceRuntimeValue, limits defaulted to the node's allocatable
    (defaultPodLimitsForDownwardAPI)."""
    target = container
    if ref.get("containerName"):
        target = next((c for c in pod["spec"].get("containers") or ()
                       if c.get("name") == ref["containerName"]), None)
        if target is None:
            raise ContainerConfigError(f"container {ref['containerName']} not found")
    field, _, resource = (ref.get("resource") or "").partition(".")
    resources = target.get("resources") or {}
    value = (resources.get(field) or {}).get(resource)
    if value is None and field == "limits":
        value = allocatable.get(resource)
    try:
        divisor = parse_quantity(str(ref.get("divisor") or "1"))
        quantity = parse_quantity(str(value if value is not None else "0"))
    except QuantityParseError as err:
        raise ContainerConfigError(str(err)) from None
    if resource == "cpu":
        return str(math.ceil(quantity.to_milli() / max(divisor.to_milli(), 1)))
    return str(math.ceil(quantity.to_int() / max(divisor.to_int(), 1)))


# -- makeEnvironmentVariables --------------------------------------------------------

def _secret_text(value: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = value.encode()
    return raw.decode("utf-8", errors="replace")


class _Sources:
    """The ConfigMaps and Secrets one container start reads, each fetched once."""

    def __init__(self, api, namespace: str):
        self.api, self.namespace = api, namespace
        self._seen: dict[tuple[str, str], dict | None] = {}

    def get(self, kind: str, name: str, optional: bool) -> dict | None:
        """The object, None when it is missing and optional; raises otherwise."""
        key = (kind, name)
        if key not in self._seen:
            self._seen[key] = self.api.store.get(kind, self.namespace, name)
        obj = self._seen[key]
        if obj is None and not optional:
            raise ContainerConfigError(f'{kind.lower()} "{name}" not found')
        return obj

    def data(self, kind: str, obj: dict) -> dict[str, str]:
        data = obj.get("data") or {}
        if kind == "Secret":
            return {key: _secret_text(value) for key, value in data.items()}
        return dict(data)


def make_environment_variables(api, pod: dict, container: dict, *, pod_ip: str,
                               host_ip: str, allocatable: dict | None = None,
                               services: dict[str, str] | None = None
                               ) -> list[tuple[str, str]]:
    """The variables the kubelet gives the runtime for ``container`` of ``pod``:
    envFrom and env in order, then the service variables not already set
    (``services``: ``service_env``'s answer for the pod, looked up when not given).
    Raises ContainerConfigError with upstream's message."""
    spec = pod.get("spec") or {}
    namespace = pod["metadata"].get("namespace", "")
    if services is None:
        services = service_env(api, namespace, spec.get("enableServiceLinks") is not False)
    sources = _Sources(api, namespace)
    env: dict[str, str] = {}
    for source in container.get("envFrom") or ():
        kind, ref = (("ConfigMap", source["configMapRef"]) if source.get("configMapRef")
                     else ("Secret", source.get("secretRef") or {}))
        obj = sources.get(kind, ref.get("name", ""), bool(ref.get("optional")))
        if obj is None:
            continue
        prefix = source.get("prefix") or ""
        data = sources.data(kind, obj)
        for key in sorted(data):
            env[prefix + key] = data[key]
    mapping = mapping_for(env, services)
    for var in container.get("env") or ():
        name, value, source = var.get("name", ""), var.get("value") or "", var.get("valueFrom")
        if value:
            value = expand(value, mapping)
        elif source is not None:
            try:
                value = _value_from(sources, pod, container, source, pod_ip, host_ip,
                                    allocatable or {})
            except _Skip:
                continue
        env[name] = value
    for name, value in services.items():
        env.setdefault(name, value)
    return list(env.items())


class _Skip(Exception):
    """An optional reference that is missing: the variable is left out."""


def _value_from(sources: _Sources, pod: dict, container: dict, source: dict, pod_ip: str,
                host_ip: str, allocatable: dict) -> str:
    if source.get("fieldRef") is not None:
        return field_value(pod, source["fieldRef"].get("fieldPath", ""), pod_ip, host_ip)
    if source.get("resourceFieldRef") is not None:
        return resource_value(source["resourceFieldRef"], pod, container, allocatable)
    for kind, field in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
        ref = source.get(field)
        if ref is None:
            continue
        optional = bool(ref.get("optional"))
        name, key = ref.get("name", ""), ref.get("key", "")
        obj = sources.get(kind, name, optional)
        if obj is None:
            raise _Skip
        data = obj.get("data") or {}
        if key not in data:
            if optional:
                raise _Skip
            raise ContainerConfigError(f"couldn't find key {key} in {kind} "
                                       f"{sources.namespace}/{name}")
        return _secret_text(data[key]) if kind == "Secret" else data[key]
    return ""


# -- what the runtime hands the process -----------------------------------------------

def image_env(app: dict) -> list[tuple[str, str]]:
    """An image's ``ENV`` (app data ``env``: a dict, or ``NAME=value`` strings)."""
    env = app.get("env") or {}
    if isinstance(env, dict):
        return [(str(k), str(v)) for k, v in env.items()]
    return [tuple(item.split("=", 1)) if "=" in item else (item, "") for item in env]


def runtime_env(app: dict, hostname: str,
                kubelet_env: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """containerd's merge: the default PATH, HOSTNAME, the image's ENV, the kubelet's
    variables (a name already set keeps its place and takes the new value), and
    HOME when nothing set it (runc, for root)."""
    merged = {"PATH": DEFAULT_PATH, "HOSTNAME": hostname}
    for name, value in image_env(app):
        merged[name] = value
    for name, value in kubelet_env:
        merged[name] = value
    merged.setdefault("HOME", app.get("home") or ROOT_HOME)
    return list(merged.items())


def pod_hostname(pod: dict) -> str:
    """GeneratePodHostNameAndDomain: spec.hostname or the pod name, at most 63 characters;
    the node's name for hostNetwork pods."""
    spec = pod.get("spec") or {}
    if spec.get("hostNetwork"):
        return spec.get("nodeName", "")
    name = spec.get("hostname") or pod["metadata"]["name"]
    return name[:63].rstrip("-.")


def build_container_env(api, pod: dict, container: dict, app: dict, *, pod_ip: str,
                        host_ip: str, allocatable: dict | None = None,
                        services: dict[str, str] | None = None) -> ContainerEnv:
    """Everything a container starts with; raises ContainerConfigError."""
    kubelet_env = make_environment_variables(api, pod, container, pod_ip=pod_ip,
                                             host_ip=host_ip, allocatable=allocatable,
                                             services=services)
    variables = runtime_env(app, pod_hostname(pod), kubelet_env)
    return ContainerEnv(tuple(variables), tuple(kubelet_env))


# -- shared between container starts --------------------------------------------------

class EnvironmentCache:
    """What every container start of a cluster's kubelets would otherwise build again:
    the service variables of a namespace (``service_env``), and the whole environment
    of a container that sets no ``env`` or ``envFrom`` (most containers), which is the
    same for every such container of one image in one namespace but for ``HOSTNAME``.

    Both are built on first use and kept until a Service is created, changed or
    deleted (the kubelets watch Services and call ``services_changed``), so a container
    still sees the Services that exist when it starts. Answers are shared: callers
    must not change them (a ``ContainerEnv`` is immutable)."""

    LIMIT = 1024        # images x namespaces kept at most; past that, start again

    def __init__(self, api) -> None:
        self.api = api
        self._services: dict[tuple[str, bool], dict[str, str]] = {}
        self._plain: dict[tuple, tuple[ContainerEnv, bool]] = {}

    def service_env(self, namespace: str, enable_service_links: bool) -> dict[str, str]:
        # without links a pod sees only the master services: one answer for every namespace
        key = (namespace if enable_service_links else "", enable_service_links)
        found = self._services.get(key)
        if found is None:
            found = self._services[key] = service_env(self.api, namespace,
                                                      enable_service_links)
        return found

    def plain_env(self, namespace: str, enable_service_links: bool, app: dict,
                  hostname: str) -> ContainerEnv:
        """``build_container_env`` for a container with neither ``env`` nor ``envFrom``."""
        image = tuple(image_env(app))
        key = (namespace if enable_service_links else "", enable_service_links, image,
               app.get("home"))
        found = self._plain.get(key)
        if found is None:
            if len(self._plain) >= self.LIMIT:
                self._plain.clear()
            kubelet = tuple(self.service_env(namespace, enable_service_links).items())
            env = ContainerEnv(tuple(runtime_env(app, hostname, kubelet)), kubelet)
            # HOSTNAME is the pod's unless the image or the kubelet set it (its place: 2nd)
            own = all(name != "HOSTNAME" for name, _ in image + kubelet)
            found = self._plain[key] = (env, own)
        env, own = found
        if own and env.variables[1][1] != hostname:
            env = ContainerEnv(env.variables[:1] + (("HOSTNAME", hostname),)
                               + env.variables[2:], env.kubelet)
        return env

    def services_changed(self) -> None:
        """A Service was written: every answer is built again when next asked."""
        self._services.clear()
        self._plain.clear()


# -- the kubelet's side ---------------------------------------------------------------

class ContainerConfig:
    """generateContainerConfig steps of a kubelet's pod worker (mixed into Kubelet)."""

    def _prepare_config(self, worker: PodWorker, record: ContainerRecord) -> bool:
        """Build the container's environment before it is created; on failure leave it
        waiting in CreateContainerConfigError and sync again after the back-off."""
        pod = self._pod(worker)
        if pod is None:
            return False
        spec = container_spec(pod, record.name)
        image = self.manager.registry.resolve(record.image)
        app = image.app if image is not None else {}
        cache: EnvironmentCache = self.manager.environments
        links = pod["spec"].get("enableServiceLinks") is not False
        try:
            if spec.get("env") or spec.get("envFrom"):
                record.env = build_container_env(
                    self.api, pod, spec, app, pod_ip=worker.pod_ip or "", host_ip=self.node_ip,
                    allocatable=self._allocatable(),
                    services=cache.service_env(worker.namespace, links))
            else:
                record.env = cache.plain_env(worker.namespace, links, app, pod_hostname(pod))
        except ContainerConfigError as err:
            self._config_error(worker, pod, record, err.message)
            return False
        waiting = self.manager.config_waiting.get(worker.namespace)
        if waiting:
            waiting.discard((self.name, worker.name))
        return True

    def _allocatable(self) -> dict:
        node = self.api.store.get("Node", "", self.name)
        return ((node or {}).get("status") or {}).get("allocatable") or {}

    def _config_error(self, worker: PodWorker, pod: dict, record: ContainerRecord,
                      message: str) -> None:
        self._event(pod, record, "Warning", "Failed", f"Error: {message}")
        record.state, record.reason, record.message = "waiting", CONFIG_ERROR, message
        self._write_status(worker)
        self.manager.config_waiting.setdefault(worker.namespace, set()).add(
            (self.name, worker.name))
        when = self.clock.now + self.runtime.delay("config_resync", CONFIG_RESYNC)
        # Background: the pod may wait for its ConfigMap forever without keeping
        # settle() busy. A ConfigMap or Secret written in the namespace brings the
        # retry to the foreground (config_changed), so settle() then waits for it.
        self._container_timer(worker, record, "config", when,
                              lambda w: self._retry_container(w, record), background=True)

    def config_changed(self, namespace: str, name: str) -> bool:
        """A ConfigMap or Secret of this pod's namespace was written: the retry already
        scheduled (at the pod worker's next sync) now counts as foreground work, so
        ``settle()`` waits for it. False when the pod no longer waits for its config."""
        worker = self.workers.get((namespace, name))
        waiting = False
        for record in worker.containers if worker is not None else ():
            timer = record.timers.get("config")
            if timer is None or not timer.pending:
                continue
            waiting = True
            if timer.background:
                self._container_timer(worker, record, "config", timer.when,
                                      lambda w, r=record: self._retry_container(w, r))
        return waiting


# -- the accessor -----------------------------------------------------------------------

def container_env(cluster, namespace: str, pod: str, container: str,
                  previous: bool = False) -> list[tuple[str, str]] | None:
    """The environment a container's current run (or, with ``previous``, the run
    before it) started with: ``[(name, value), ...]`` in the order ``env`` prints
    them. Later ConfigMap or Service changes do not show here, as they do not reach
    a running process. None when the kubelet has no such run."""
    from kubelearn.node.kubelet import _locate

    found = _locate(cluster, namespace, pod, container)
    if found is None:
        return None
    record = found[2]
    run = record.previous_run if previous else record.run
    env = getattr(run, "env", None)
    return None if env is None else list(env.variables)
