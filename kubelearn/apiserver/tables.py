"""Server-side tables: what ``kubectl get`` prints, computed where Kubernetes computes it.

A real API server answers ``Accept: ...;as=Table`` with a ``meta.k8s.io/v1``
Table: column definitions (name, type, priority) and one row of cells per
object, the object attached. kubectl only upper-cases the headers, drops the
priority-1 columns unless ``-o wide``, and aligns the cells. So READY, STATUS,
RESTARTS, AGE and the rest are decided here, by a port of upstream's
``pkg/printers/internalversion/printers.go`` (v1.32):

* the server always generates the *wide* cells (``GenerateOptions{Wide: true}``
  in ``pkg/printers/storage``), so a row has one cell per column definition and
  ``EXTERNAL-IP`` is never clipped;
* cells keep the Go type upstream puts in them (``int64`` counts such as
  ReplicaSet DESIRED, ``bool`` for StorageClass ALLOWVOLUMEEXPANSION), as the
  JSON Table does; ``TableRow.cells`` is the text kubectl prints for each
  (``%v``: ``3``, ``false``);
* AGE and the other ages are ``HumanDuration(now - timestamp)``, ``<unknown>``
  for a missing timestamp; ``now`` is the simulated clock, passed in.

Rows come out in the order the objects are given (the store lists in etcd key
order, namespace then name, as a real list does). A convertor looks only at
its own object: no store reads per row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from kubelearn.api.quantity import QuantityParseError, format_quantity
from kubelearn.api.selector import SelectorError, format_labels, selector_from_label_selector
from kubelearn.clock import parse_rfc3339
from kubelearn.kubectl.printers.duration import human_duration
from kubelearn.kubectl.printers.tabwriter import table_cell

Cell = str | int | bool

LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_LABEL_ROLE = "kubernetes.io/role"
NODE_UNREACHABLE_POD_REASON = "NodeLost"
DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class",
                             "storageclass.beta.kubernetes.io/is-default-class")
BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


@dataclass(frozen=True)
class Column:
    """A TableColumnDefinition. kubectl shows ``name.upper()``; priority 1 only with ``-o wide``."""

    name: str
    type: str = "string"
    priority: int = 0
    format: str = ""

    @property
    def header(self) -> str:
        return self.name.upper()


@dataclass(frozen=True)
class TableRow:
    """One object's cells, with the Go types upstream uses, and the object itself."""

    values: tuple[Cell, ...]
    object: dict

    @property
    def cells(self) -> tuple[str, ...]:
        """The cells as kubectl's table printer writes them: ``%v`` of each value (``false``,
        ``3``), a string cut at its first line break with ``...``."""
        return tuple(table_cell(v) for v in self.values)


@dataclass(frozen=True)
class Table:
    kind: str
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]

    def visible(self, wide: bool = False) -> list[int]:
        """Indexes of the columns kubectl shows: priority 0 only, or all with ``-o wide``."""
        return [i for i, c in enumerate(self.columns) if wide or c.priority == 0]

    def to_dict(self, resource_version: str = "", include_object: str = "Metadata") -> dict:
        """The ``meta.k8s.io/v1`` Table a real server sends. ``include_object`` is the
        ``?includeObject=`` parameter: ``Metadata`` (the default) attaches a
        PartialObjectMetadata, ``Object`` the whole object, ``None`` nothing."""
        def attached(obj: dict) -> dict | None:
            if include_object == "Object":
                return obj
            if include_object == "Metadata":
                return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                        "metadata": obj["metadata"]}
            return None

        rows = []
        for row in self.rows:
            entry = {"cells": list(row.values)}
            obj = attached(row.object)
            if obj is not None:
                entry["object"] = obj
            rows.append(entry)
        return {
            "kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": resource_version} if resource_version else {},
            "columnDefinitions": [{"name": c.name, "type": c.type, "format": c.format,
                                   "description": "", "priority": c.priority}
                                  for c in self.columns],
            "rows": rows,
        }


def table(kind: str, objects: Iterable[dict], now: float) -> Table:
    """The server-side table for ``objects`` of ``kind`` (a registry kind name, ``"Pod"``)."""
    try:
        columns, convert = _CONVERTORS[kind]
    except KeyError:
        raise NotImplementedError(f"no table convertor for {kind}") from None
    rows = tuple(TableRow(tuple(convert(obj, now)), obj) for obj in objects)
    return Table(kind, columns, rows)


def columns_for(kind: str) -> tuple[Column, ...]:
    return _CONVERTORS[kind][0]


# --- shared helpers -------------------------------------------------------------------------

def age(timestamp: str | None, now: float) -> str:
    """translateTimestampSince: HumanDuration since ``timestamp``, ``<unknown>`` when unset."""
    if not timestamp:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(timestamp))


def _age(obj: dict, now: float) -> str:
    return age(obj["metadata"].get("creationTimestamp"), now)


def _name(obj: dict) -> str:
    return obj["metadata"]["name"]


def container_cells(containers: list[dict] | None) -> tuple[str, str]:
    """layoutContainerCells: names and images, each joined by ``,``."""
    containers = containers or []
    return (",".join(c.get("name", "") for c in containers),
            ",".join(c.get("image", "") for c in containers))


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: ``<none>`` for a nil or empty selector, ``<error>`` if bad."""
    try:
        text = str(selector_from_label_selector(selector))
    except SelectorError:
        return "<error>"
    return text or "<none>"


def quantity_text(value) -> str:
    """Quantity.String() of a stored quantity; a missing one is the zero Quantity, ``0``."""
    if value is None:
        return "0"
    try:
        return format_quantity(value)
    except QuantityParseError:
        return str(value)


def access_modes_text(modes: list[str] | None) -> str:
    """GetAccessModesAsString: the short forms in a fixed order, duplicates dropped."""
    modes = set(modes or ())
    order = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
             ("ReadWriteOncePod", "RWOP"))
    return ",".join(short for mode, short in order if mode in modes)


def pv_class(pv: dict) -> str:
    """GetPersistentVolumeClass: the beta annotation wins over spec.storageClassName."""
    annotations = pv["metadata"].get("annotations") or {}
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return annotations[BETA_STORAGE_CLASS_ANNOTATION]
    return (pv.get("spec") or {}).get("storageClassName") or ""


def pvc_class(pvc: dict) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else ""."""
    return pv_class(pvc)


def is_default_class(obj: dict) -> bool:
    annotations = obj["metadata"].get("annotations") or {}
    return any(annotations.get(a) == "true" for a in DEFAULT_CLASS_ANNOTATIONS)


def node_roles(node: dict) -> list[str]:
    """findNodeRoles: ``node-role.kubernetes.io/<role>`` keys and ``kubernetes.io/role``
    values, sorted."""
    roles = set()
    for key, value in (node["metadata"].get("labels") or {}).items():
        if key.startswith(LABEL_NODE_ROLE_PREFIX):
            role = key[len(LABEL_NODE_ROLE_PREFIX):]
            if role:
                roles.add(role)
        elif key == NODE_LABEL_ROLE and value:
            roles.add(value)
    return sorted(roles)


def _join_host_port(host: str, port) -> str:
    """net.JoinHostPort: IPv6 hosts get brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


# --- Pod -------------------------------------------------------------------------------------

POD_COLUMNS = (
    Column("Name", format="name"), Column("Ready"), Column("Status"), Column("Restarts"),
    Column("Age"), Column("IP", priority=1), Column("Node", priority=1),
    Column("Nominated Node", priority=1), Column("Readiness Gates", priority=1),
)


def _is_restartable_init(container: dict | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def _condition_true(conditions: list[dict], type_: str) -> bool:
    """The first condition of ``type_`` decides (hasPodReadyCondition and friends)."""
    for cond in conditions:
        if cond.get("type") == type_:
            return cond.get("status") == "True"
    return False


def _later(current: float | None, timestamp: str | None) -> float | None:
    if not timestamp:
        return current
    t = parse_rfc3339(timestamp)
    return t if current is None or t > current else current


def pod_status_text(pod: dict) -> tuple[int, int, str, int, float | None]:
    """printPod's core: (ready, total, STATUS reason, restarts, last restart time)."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    conditions = status.get("conditions") or []
    total = len(spec.get("containers") or [])
    ready = restarts = restartable_restarts = 0
    last_restart = last_restartable_restart = None
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for cond in conditions:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total += sum(1 for c in init_specs.values() if _is_restartable_init(c))
    initializing = False
    init_count = len(spec.get("initContainers") or [])
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += cs.get("restartCount", 0)
        last_terminated = (cs.get("lastState") or {}).get("terminated")
        finished = last_terminated.get("finishedAt") if last_terminated is not None else None
        last_restart = _later(last_restart, finished)
        restartable = _is_restartable_init(init_specs.get(cs.get("name")))
        if restartable:
            restartable_restarts += cs.get("restartCount", 0)
            last_restartable_restart = _later(last_restartable_restart, finished)
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if restartable and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                reason = (f"Init:Signal:{terminated['signal']}" if terminated.get("signal")
                          else f"Init:ExitCode:{terminated.get('exitCode', 0)}")
            else:
                reason = "Init:" + terminated["reason"]
        elif waiting is not None and waiting.get("reason") not in (None, "", "PodInitializing"):
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{init_count}"
        initializing = True
        break

    if not initializing or _condition_true(conditions, "Initialized"):
        restarts, last_restart = restartable_restarts, last_restartable_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += cs.get("restartCount", 0)
            last_terminated = (cs.get("lastState") or {}).get("terminated")
            if last_terminated is not None:
                last_restart = _later(last_restart, last_terminated.get("finishedAt"))
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                reason = (f"Signal:{terminated['signal']}" if terminated.get("signal")
                          else f"ExitCode:{terminated.get('exitCode', 0)}")
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(conditions, "Ready") else "NotReady"

    deleting = bool(pod["metadata"].get("deletionTimestamp"))
    if deleting and status.get("reason") == NODE_UNREACHABLE_POD_REASON:
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return ready, total, reason, restarts, last_restart


def _pod_row(pod: dict, now: float) -> list[Cell]:
    ready, total, reason, restarts, last_restart = pod_status_text(pod)
    restarts_text = str(restarts)
    if restarts and last_restart is not None:
        restarts_text = f"{restarts} ({human_duration(now - last_restart)} ago)"
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    pod_ips = status.get("podIPs") or []
    pod_ip = (pod_ips[0].get("ip") if pod_ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    gates_text = "<none>"
    if gates:
        conditions = status.get("conditions") or []
        true = 0
        for gate in gates:
            for cond in conditions:
                if cond.get("type") == gate.get("conditionType"):
                    true += cond.get("status") == "True"
                    break
        gates_text = f"{true}/{len(gates)}"
    return [_name(pod), f"{ready}/{total}", reason, restarts_text, _age(pod, now), pod_ip,
            spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>",
            gates_text]


# --- Node ------------------------------------------------------------------------------------

NODE_COLUMNS = (
    Column("Name", format="name"), Column("Status"), Column("Roles"), Column("Age"),
    Column("Version"), Column("Internal-IP", priority=1), Column("External-IP", priority=1),
    Column("OS-Image", priority=1), Column("Kernel-Version", priority=1),
    Column("Container-Runtime", priority=1),
)


def node_status_text(node: dict) -> str:
    """printNode STATUS: ``Ready``/``NotReady``/``Unknown`` from the Ready condition, plus
    ``,SchedulingDisabled`` for a cordoned node."""
    status = "Unknown"
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":  # the last Ready condition wins, as the map does
            status = "Ready" if cond.get("status") == "True" else "NotReady"
    if (node.get("spec") or {}).get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def _node_address(node: dict, type_: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == type_:
            return address.get("address", "")
    return "<none>"


def _node_row(node: dict, now: float) -> list[Cell]:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return [_name(node), node_status_text(node), ",".join(node_roles(node)) or "<none>",
            _age(node, now), info.get("kubeletVersion", ""),
            _node_address(node, "InternalIP"), _node_address(node, "ExternalIP"),
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


# --- Namespace, ConfigMap, Secret, ServiceAccount -------------------------------------------

NAMESPACE_COLUMNS = (Column("Name", format="name"), Column("Status"), Column("Age"))
CONFIGMAP_COLUMNS = (Column("Name", format="name"), Column("Data"), Column("Age"))
SECRET_COLUMNS = (Column("Name", format="name"), Column("Type"), Column("Data"), Column("Age"))
SERVICEACCOUNT_COLUMNS = (Column("Name", format="name"), Column("Secrets"), Column("Age"))


def _namespace_row(ns: dict, now: float) -> list[Cell]:
    return [_name(ns), (ns.get("status") or {}).get("phase", ""), _age(ns, now)]


def _configmap_row(cm: dict, now: float) -> list[Cell]:
    return [_name(cm), len(cm.get("data") or {}) + len(cm.get("binaryData") or {}), _age(cm, now)]


def _secret_row(secret: dict, now: float) -> list[Cell]:
    return [_name(secret), secret.get("type", ""), len(secret.get("data") or {}),
            _age(secret, now)]


def _serviceaccount_row(sa: dict, now: float) -> list[Cell]:
    return [_name(sa), len(sa.get("secrets") or []), _age(sa, now)]


# --- Service, Endpoints ----------------------------------------------------------------------

SERVICE_COLUMNS = (
    Column("Name", format="name"), Column("Type"), Column("Cluster-IP"), Column("External-IP"),
    Column("Port(s)"), Column("Age"), Column("Selector", priority=1),
)
ENDPOINTS_COLUMNS = (Column("Name", format="name"), Column("Endpoints"), Column("Age"))


def load_balancer_text(status: dict | None) -> str:
    """loadBalancerStatusStringer (wide): ingress IPs, else hostnames, sorted and de-duplicated."""
    found = set()
    for ingress in ((status or {}).get("loadBalancer") or {}).get("ingress") or []:
        if ingress.get("ip"):
            found.add(ingress["ip"])
        elif ingress.get("hostname"):
            found.add(ingress["hostname"])
    return ",".join(sorted(found))


def service_external_ip(svc: dict) -> str:
    """getServiceExternalIP with wide=true (the server always asks for wide cells)."""
    spec = svc.get("spec") or {}
    external = spec.get("externalIPs") or []
    type_ = spec.get("type", "")
    if type_ in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if type_ == "LoadBalancer":
        lb = load_balancer_text(svc.get("status"))
        if external:
            return ",".join((lb.split(",") if lb else []) + external)
        return lb or "<pending>"
    if type_ == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def service_ports_text(ports: list[dict] | None) -> str:
    """makePortString: ``80/TCP``, ``80:31000/TCP`` when a node port is set, joined by ``,``."""
    pieces = []
    for port in ports or []:
        if port.get("nodePort", 0) > 0:
            pieces.append(f"{port.get('port', 0)}:{port['nodePort']}/{port.get('protocol', '')}")
        else:
            pieces.append(f"{port.get('port', 0)}/{port.get('protocol', '')}")
    return ",".join(pieces)


def _service_row(svc: dict, now: float) -> list[Cell]:
    spec = svc.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or []
    return [_name(svc), spec.get("type", ""), cluster_ips[0] if cluster_ips else "<none>",
            service_external_ip(svc), service_ports_text(spec.get("ports")) or "<none>",
            _age(svc, now), format_labels(spec.get("selector"))]


def endpoints_text(endpoints: dict, port_names: set[str] | None = None) -> str:
    """formatEndpoints: at most three ``ip:port`` (ready addresses only), then `` + N more...``."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    limit, more, count = 3, False, 0
    for subset in subsets:
        addresses = subset.get("addresses") or []
        ports = subset.get("ports") or []
        if not ports:  # headless services may have no ports
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                shown.append(address.get("ip", ""))
            continue
        for port in ports:
            if port_names is None or port.get("name", "") in port_names:
                count += len(addresses)
                for address in addresses:
                    if len(shown) == limit:
                        more = True
                        break
                    shown.append(_join_host_port(address.get("ip", ""), port.get("port", 0)))
    text = ",".join(shown)
    return f"{text} + {count - limit} more..." if more else text


def _endpoints_row(ep: dict, now: float) -> list[Cell]:
    return [_name(ep), endpoints_text(ep), _age(ep, now)]


# --- PersistentVolume, PersistentVolumeClaim, StorageClass ------------------------------------

PV_COLUMNS = (
    Column("Name", format="name"), Column("Capacity"), Column("Access Modes"),
    Column("Reclaim Policy"), Column("Status"), Column("Claim"), Column("StorageClass"),
    Column("VolumeAttributesClass"), Column("Reason"), Column("Age"),
    Column("VolumeMode", priority=1),
)
PVC_COLUMNS = (
    Column("Name", format="name"), Column("Status"), Column("Volume"), Column("Capacity"),
    Column("Access Modes"), Column("StorageClass"), Column("VolumeAttributesClass"),
    Column("Age"), Column("VolumeMode", priority=1),
)
STORAGECLASS_COLUMNS = (
    Column("Name", format="name"), Column("Provisioner"), Column("ReclaimPolicy"),
    Column("VolumeBindingMode"), Column("AllowVolumeExpansion"), Column("Age"),
)


def _pv_row(pv: dict, now: float) -> list[Cell]:
    spec, status = pv.get("spec") or {}, pv.get("status") or {}
    claim = spec.get("claimRef")
    claim_text = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    phase = "Terminating" if pv["metadata"].get("deletionTimestamp") else status.get("phase", "")
    return [_name(pv), quantity_text((spec.get("capacity") or {}).get("storage")),
            access_modes_text(spec.get("accessModes")),
            spec.get("persistentVolumeReclaimPolicy", ""), phase, claim_text, pv_class(pv),
            spec.get("volumeAttributesClassName") or "<unset>", status.get("reason", ""),
            _age(pv, now), spec.get("volumeMode") or "<unset>"]


def _pvc_row(pvc: dict, now: float) -> list[Cell]:
    spec, status = pvc.get("spec") or {}, pvc.get("status") or {}
    phase = "Terminating" if pvc["metadata"].get("deletionTimestamp") else status.get("phase", "")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes_text(status.get("accessModes"))
        capacity = quantity_text((status.get("capacity") or {}).get("storage"))
    return [_name(pvc), phase, spec.get("volumeName", ""), capacity, modes, pvc_class(pvc),
            spec.get("volumeAttributesClassName") or "<unset>", _age(pvc, now),
            spec.get("volumeMode") or "<unset>"]


def _storageclass_row(sc: dict, now: float) -> list[Cell]:
    name = _name(sc) + (" (default)" if is_default_class(sc) else "")
    return [name, sc.get("provisioner", ""), sc.get("reclaimPolicy") or "Delete",
            sc.get("volumeBindingMode") or "Immediate", bool(sc.get("allowVolumeExpansion")),
            _age(sc, now)]


# --- Event -----------------------------------------------------------------------------------

EVENT_COLUMNS = (
    Column("Last Seen"), Column("Type"), Column("Reason"), Column("Object"),
    Column("Subobject", priority=1), Column("Source", priority=1), Column("Message"),
    Column("First Seen", priority=1), Column("Count", priority=1),
    Column("Name", priority=1, format="name"),
)


def event_source_text(event: dict) -> str:
    """formatEventSource: ``component, host``; reportingComponent/Instance fill in when unset."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {instance}" if instance else component


def _event_row(event: dict, now: float) -> list[Cell]:
    first = age(event.get("firstTimestamp"), now) if event.get("firstTimestamp") \
        else age(event.get("eventTime"), now)
    last = age(event["lastTimestamp"], now) if event.get("lastTimestamp") else first
    count = event.get("count") or 0
    series = event.get("series")
    if series:
        last = age(series.get("lastObservedTime"), now)
        count = series.get("count", 0)
    elif count == 0:
        count = 1
    involved = event.get("involvedObject") or {}
    kind = (involved.get("kind") or "").lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    return [last, event.get("type", ""), event.get("reason", ""), target,
            involved.get("fieldPath", ""), event_source_text(event),
            (event.get("message") or "").strip(), first, count, _name(event)]


# --- Deployment, ReplicaSet, DaemonSet -------------------------------------------------------

_WORKLOAD_WIDE = (Column("Containers", priority=1), Column("Images", priority=1),
                  Column("Selector", priority=1))
DEPLOYMENT_COLUMNS = (Column("Name", format="name"), Column("Ready"), Column("Up-to-date"),
                      Column("Available"), Column("Age")) + _WORKLOAD_WIDE
REPLICASET_COLUMNS = (Column("Name", format="name"), Column("Desired", "integer"),
                      Column("Current", "integer"), Column("Ready", "integer"),
                      Column("Age")) + _WORKLOAD_WIDE
DAEMONSET_COLUMNS = (Column("Name", format="name"), Column("Desired", "integer"),
                     Column("Current", "integer"), Column("Ready", "integer"),
                     Column("Up-to-date", "integer"), Column("Available", "integer"),
                     Column("Node Selector"), Column("Age")) + _WORKLOAD_WIDE


def _template_containers(obj: dict) -> list[dict]:
    template = (obj.get("spec") or {}).get("template") or {}
    return (template.get("spec") or {}).get("containers") or []


def _deployment_row(d: dict, now: float) -> list[Cell]:
    spec, status = d.get("spec") or {}, d.get("status") or {}
    try:
        selector = str(selector_from_label_selector(spec.get("selector")))
    except SelectorError:
        selector = "<invalid>"
    names, images = container_cells(_template_containers(d))
    return [_name(d), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
            status.get("updatedReplicas", 0), status.get("availableReplicas", 0), _age(d, now),
            names, images, selector]


def _replicaset_row(rs: dict, now: float) -> list[Cell]:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    names, images = container_cells(_template_containers(rs))
    return [_name(rs), spec.get("replicas", 1), status.get("replicas", 0),
            status.get("readyReplicas", 0), _age(rs, now), names, images,
            format_label_selector(spec.get("selector"))]


def _daemonset_row(ds: dict, now: float) -> list[Cell]:
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    names, images = container_cells(_template_containers(ds))
    return [_name(ds), status.get("desiredNumberScheduled", 0),
            status.get("currentNumberScheduled", 0), status.get("numberReady", 0),
            status.get("updatedNumberScheduled", 0), status.get("numberAvailable", 0),
            format_labels(node_selector), _age(ds, now), names, images,
            format_label_selector(spec.get("selector"))]


_CONVERTORS: dict[str, tuple[tuple[Column, ...], Callable[[dict, float], list[Cell]]]] = {
    "Pod": (POD_COLUMNS, _pod_row),
    "Node": (NODE_COLUMNS, _node_row),
    "Namespace": (NAMESPACE_COLUMNS, _namespace_row),
    "Service": (SERVICE_COLUMNS, _service_row),
    "Endpoints": (ENDPOINTS_COLUMNS, _endpoints_row),
    "ConfigMap": (CONFIGMAP_COLUMNS, _configmap_row),
    "Secret": (SECRET_COLUMNS, _secret_row),
    "ServiceAccount": (SERVICEACCOUNT_COLUMNS, _serviceaccount_row),
    "PersistentVolume": (PV_COLUMNS, _pv_row),
    "PersistentVolumeClaim": (PVC_COLUMNS, _pvc_row),
    "Event": (EVENT_COLUMNS, _event_row),
    "Deployment": (DEPLOYMENT_COLUMNS, _deployment_row),
    "ReplicaSet": (REPLICASET_COLUMNS, _replicaset_row),
    "DaemonSet": (DAEMONSET_COLUMNS, _daemonset_row),
    "StorageClass": (STORAGECLASS_COLUMNS, _storageclass_row),
}
