"""``kubectl describe pod``, and the container and pod-template blocks other describers reuse.

Ports of describePod, describeContainers (and its helpers), DescribeProbe and
DescribePodTemplate from ``k8s.io/kubectl/pkg/describe`` (v1.32). Version-specific
details kept on purpose: container ports print without their names (``80/TCP``;
names came in 1.34) and probes print ``#success=1 #failure=3``.
"""
from __future__ import annotations

import math

from kubelearn.api.quantity import QuantityParseError, parse_quantity
from kubelearn.api.selector import SelectorError, selector_from_label_selector
from kubelearn.apiserver.events import events_for
from kubelearn.apiserver.tables import quantity_text
from kubelearn.kubectl.describe.volumes import describe_volumes
from kubelearn.kubectl.describe.writer import (
    LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter, controlled_by, go_bool, go_quote,
    print_annotations_multiline, print_bool, print_events, print_labels_multiline,
    print_tolerations_multiline, since, string_or_none, time_text)


def describe_pod(api, pod: dict, now: float, show_events: bool = True) -> str:
    w = PrefixWriter()
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(LEVEL_0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(LEVEL_0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(LEVEL_0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(LEVEL_0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(LEVEL_0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(LEVEL_0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(LEVEL_0, f"Start Time:\t{time_text(status['startTime'])}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
        grace = meta.get("deletionGracePeriodSeconds", 0)
        w.write(LEVEL_0, f"Termination Grace Period:\t{grace}s\n")
    else:
        w.write(LEVEL_0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(LEVEL_0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(LEVEL_0, f"Message:\t{status['message']}\n")
    _seccomp(w, (spec.get("securityContext") or {}).get("seccompProfile"), LEVEL_0, LEVEL_0)
    w.write(LEVEL_0, f"IP:\t{status.get('podIP', '')}\n")
    pod_ips = status.get("podIPs") or []
    if not pod_ips:
        w.write(LEVEL_0, "IPs:\t<none>\n")
    else:
        w.write(LEVEL_0, "IPs:\n")
        for ip in pod_ips:
            w.write(LEVEL_1, f"IP:\t{ip.get('ip', '')}\n")
    if controlled_by(pod):
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by(pod)}\n")
    if status.get("nominatedNodeName"):
        w.write(LEVEL_0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(LEVEL_0, "Resources:\n")
        describe_resources(w, spec["resources"], LEVEL_1)
    resolver = _env_resolver(pod)
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"],
                            status.get("initContainerStatuses"), resolver, "")
    describe_containers(w, "Containers", spec.get("containers") or [],
                        status.get("containerStatuses"), resolver, "")
    if spec.get("ephemeralContainers"):
        describe_containers(w, "Ephemeral Containers", spec["ephemeralContainers"],
                            status.get("ephemeralContainerStatuses"), resolver, "")
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            found = next((c for c in conditions
                          if c.get("type") == gate.get("conditionType")), None)
            w.write(LEVEL_1, f"{gate.get('conditionType', '')} \t"
                             f"{found.get('status', '') if found else '<none>'} \n")
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n")
        for cond in conditions:
            w.write(LEVEL_1, f"{cond.get('type', '')} \t{cond.get('status', '')} \n")
    describe_volumes(w, spec.get("volumes"), "")
    w.write(LEVEL_0, f"QoS Class:\t{status.get('qosClass') or compute_pod_qos(spec)}\n")
    print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    describe_topology_spread(w, spec.get("topologySpreadConstraints"), "")
    print_events(w, events_for(api, pod) if show_events else None, now)
    return w.text()


def compute_pod_qos(spec: dict) -> str:
    """kubectl qos.ComputePodQOS (used when status.qosClass is unset): positive cpu/memory
    requests and limits summed over containers and init containers."""
    requests: dict = {}
    limits: dict = {}
    guaranteed = True
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        resources = container.get("resources") or {}
        for field, total in (("requests", requests), ("limits", limits)):
            found = set()
            for name, value in (resources.get(field) or {}).items():
                if name not in ("cpu", "memory"):
                    continue
                try:
                    quantity = parse_quantity(value)
                except QuantityParseError:
                    continue
                if quantity.sign() > 0:
                    found.add(name)
                    total[name] = total[name] + quantity if name in total else quantity
            if field == "limits" and found != {"cpu", "memory"}:
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    matching = all(name in limits and limits[name] == req for name, req in requests.items())
    if guaranteed and matching and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def describe_pod_template(w, template: dict | None) -> None:
    """DescribePodTemplate, used by Deployment, ReplicaSet and DaemonSet."""
    w.write(LEVEL_0, "Pod Template:\n")
    if template is None:
        w.write(LEVEL_1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        print_annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(LEVEL_1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, None, "  ")
    describe_containers(w, "Containers", spec.get("containers") or [], None, None, "  ")
    describe_volumes(w, spec.get("volumes"), "  ")
    describe_topology_spread(w, spec.get("topologySpreadConstraints"), "  ")
    if spec.get("priorityClassName"):
        w.write(LEVEL_1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))


# --- containers ------------------------------------------------------------------------------

def describe_containers(w, label: str, containers: list[dict], statuses, resolver,
                        space: str) -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(LEVEL_0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(container.get("name"))
        _basic_info(w, container, status, space)
        for field, title in (("command", "Command"), ("args", "Args")):
            if container.get(field):
                w.write(LEVEL_2, f"{title}:\n")
                for item in container[field]:
                    for line in str(item).split("\n"):
                        w.write(LEVEL_3, f"{line}\n")
        if status is not None:
            _describe_state(w, "State", status.get("state") or {})
            if ((status.get("lastState") or {}).get("terminated")) is not None:
                _describe_state(w, "Last State", status["lastState"])
            w.write(LEVEL_2, f"Ready:\t{print_bool(status.get('ready'))}\n")
            w.write(LEVEL_2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        describe_resources(w, container.get("resources") or {}, LEVEL_2)
        for field, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"),
                             ("startupProbe", "Startup")):
            if container.get(field) is not None:
                w.write(LEVEL_2, f"{title}:\t{describe_probe(container[field])}\n")
        if container.get("envFrom"):
            _env_from(w, container["envFrom"])
        _env(w, container, resolver)
        _mounts(w, container)


def _basic_info(w, container: dict, status: dict | None, space: str) -> None:
    w.write(LEVEL_1, f"{' ' if space else ''}{container.get('name', '')}:\n")
    if status is not None:
        w.write(LEVEL_2, f"Container ID:\t{status.get('containerID', '')}\n")
    w.write(LEVEL_2, f"Image:\t{container.get('image', '')}\n")
    if status is not None:
        w.write(LEVEL_2, f"Image ID:\t{status.get('imageID', '')}\n")
    ports = container.get("ports") or []
    port_text = ", ".join(f"{p.get('containerPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    if "," in port_text:
        w.write(LEVEL_2, f"Ports:\t{port_text}\n")
    else:
        w.write(LEVEL_2, f"Port:\t{string_or_none(port_text)}\n")
    if "," in host_text:
        w.write(LEVEL_2, f"Host Ports:\t{host_text}\n")
    else:
        w.write(LEVEL_2, f"Host Port:\t{string_or_none(host_text)}\n")
    _seccomp(w, (container.get("securityContext") or {}).get("seccompProfile"), LEVEL_2, LEVEL_3)


def _seccomp(w, profile: dict | None, level: int, local_level: int) -> None:
    if profile is None:
        return
    w.write(level, f"SeccompProfile:\t{profile.get('type', '')}\n")
    if profile.get("type") == "Localhost":
        w.write(local_level, f"LocalhostProfile:\t{profile.get('localhostProfile', '')}\n")


def _describe_state(w, name: str, state: dict) -> None:
    """describeStatus: Running (Started), Waiting (Reason) or Terminated (Reason, Message,
    Exit Code, Signal, Started, Finished); an empty state reads as Waiting."""
    if state.get("running") is not None:
        w.write(LEVEL_2, f"{name}:\tRunning\n")
        w.write(LEVEL_3, f"Started:\t{time_text(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(LEVEL_3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        term = state["terminated"]
        w.write(LEVEL_2, f"{name}:\tTerminated\n")
        if term.get("reason"):
            w.write(LEVEL_3, f"Reason:\t{term['reason']}\n")
        if term.get("message"):
            w.write(LEVEL_3, f"Message:\t{term['message']}\n")
        w.write(LEVEL_3, f"Exit Code:\t{term.get('exitCode', 0)}\n")
        if term.get("signal", 0) > 0:
            w.write(LEVEL_3, f"Signal:\t{term['signal']}\n")
        w.write(LEVEL_3, f"Started:\t{time_text(term.get('startedAt'))}\n")
        w.write(LEVEL_3, f"Finished:\t{time_text(term.get('finishedAt'))}\n")
    else:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")


def describe_resources(w, resources: dict, level: int) -> None:
    for field, title in (("limits", "Limits"), ("requests", "Requests")):
        values = resources.get(field) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{quantity_text(values[name])}\n")


# Server defaults of a probe (k8s.io/api core/v1 defaults), used when a field is unset.
_PROBE_DEFAULTS = {"initialDelaySeconds": 0, "timeoutSeconds": 1, "periodSeconds": 10,
                   "successThreshold": 1, "failureThreshold": 3}


def describe_probe(probe: dict) -> str:
    """DescribeProbe: ``<action> delay=0s timeout=1s period=10s #success=1 #failure=3``, the
    action being ``http-get http://:8080/healthz``, ``tcp-socket :5432``, ``exec [cat x]``..."""
    p = {**_PROBE_DEFAULTS, **{k: v for k, v in probe.items() if v is not None}}
    attrs = (f"delay={p['initialDelaySeconds']}s timeout={p['timeoutSeconds']}s "
             f"period={p['periodSeconds']}s #success={p['successThreshold']} "
             f"#failure={p['failureThreshold']}")
    if probe.get("exec") is not None:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        port, host, path = str(get.get("port", 0)), get.get("host", ""), get.get("path", "")
        hostport = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if path and not path.startswith("/") and hostport:
            path = "/" + path
        return f"http-get {get.get('scheme', 'HTTP').lower()}://{hostport}{path} {attrs}"
    if probe.get("tcpSocket") is not None:
        tcp = probe["tcpSocket"]
        return f"tcp-socket {tcp.get('host', '')}:{tcp.get('port', 0)} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"]
        return f"grpc <pod>:{grpc.get('port', 0)} {grpc.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _env_from(w, sources: list[dict]) -> None:
    w.write(LEVEL_2, "Environment Variables from:\n")
    for source in sources:
        kind, ref = ("ConfigMap", source["configMapRef"]) if source.get("configMapRef") \
            else ("Secret", source.get("secretRef") or {}) if source.get("secretRef") else ("", {})
        optional = go_bool(ref.get("optional"))
        if source.get("prefix"):
            w.write(LEVEL_3, f"{ref.get('name', '')}\t{kind} with prefix '{source['prefix']}'\t"
                             f"Optional: {optional}\n")
        else:
            w.write(LEVEL_3, f"{ref.get('name', '')}\t{kind}\tOptional: {optional}\n")


def _env(w, container: dict, resolver) -> None:
    env = container.get("env") or []
    w.write(LEVEL_2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
    for var in env:
        name, source = var.get("name", ""), var.get("valueFrom")
        if source is None:
            for i, line in enumerate((var.get("value") or "").split("\n")):
                w.write(LEVEL_3, f"{name}:\t{line}\n" if i == 0 else f"\t{line}\n")
        elif source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            value = resolver(ref.get("fieldPath", "")) if resolver else ""
            w.write(LEVEL_3, f"{name}:\t{value} ({ref.get('apiVersion', 'v1')}:"
                             f"{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef") is not None:
            ref = source["resourceFieldRef"]
            value = _resource_field_value(ref, container)
            if value == "0" and ref.get("resource") in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(LEVEL_3, f"{name}:\t{value} ({ref.get('resource', '')})\n")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            w.write(LEVEL_3, f"{name}:\t<set to the key '{ref.get('key', '')}' in secret "
                             f"'{ref.get('name', '')}'>\tOptional: "
                             f"{go_bool(ref.get('optional'))}\n")
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            w.write(LEVEL_3, f"{name}:\t<set to the key '{ref.get('key', '')}' of config map "
                             f"'{ref.get('name', '')}'>\tOptional: "
                             f"{go_bool(ref.get('optional'))}\n")


def _resource_field_value(ref: dict, container: dict) -> str:
    """ExtractContainerResourceValue for cpu, memory and ephemeral-storage (divisor 1 default)."""
    field, _, resource = (ref.get("resource") or "").partition(".")
    value = ((container.get("resources") or {}).get(field) or {}).get(resource)
    try:
        divisor = parse_quantity(ref.get("divisor") or "1")
        quantity = parse_quantity(value if value is not None else "0")
    except QuantityParseError:
        return ""
    if resource == "cpu":
        return str(math.ceil(quantity.to_milli() / max(divisor.to_milli(), 1)))
    return str(math.ceil(quantity.to_int() / max(divisor.to_int(), 1)))


def _mounts(w, container: dict) -> None:
    mounts = container.get("volumeMounts") or []
    w.write(LEVEL_2, f"Mounts:{'' if mounts else chr(9) + '<none>'}\n")
    for mount in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f"path={go_quote(mount['subPath'])}")
        w.write(LEVEL_3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} "
                         f"({','.join(flags)})\n")
    devices = container.get("volumeDevices") or []
    if devices:
        w.write(LEVEL_2, "Devices:\n")
        for device in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(LEVEL_3, f"{device.get('devicePath', '')} from {device.get('name', '')}\n")


def _env_resolver(pod: dict):
    """EnvValueRetriever: the value a downward-API fieldRef resolves to in this pod."""
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}

    def resolve(path: str) -> str:
        simple = {"metadata.name": meta.get("name", ""),
                  "metadata.namespace": meta.get("namespace", ""),
                  "metadata.uid": meta.get("uid", ""),
                  "spec.nodeName": spec.get("nodeName", ""),
                  "spec.serviceAccountName": spec.get("serviceAccountName", ""),
                  "status.hostIP": status.get("hostIP", ""),
                  "status.podIP": status.get("podIP", ""),
                  "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or []),
                  "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or [])}
        if path in simple:
            return simple[path]
        for prefix, field in (("metadata.labels['", "labels"),
                              ("metadata.annotations['", "annotations")):
            if path.startswith(prefix) and path.endswith("']"):
                return (meta.get(field) or {}).get(path[len(prefix):-2], "")
        if path in ("metadata.labels", "metadata.annotations"):
            values = meta.get(path.split(".")[1]) or {}
            return "\n".join(f'{k}="{values[k]}"' for k in sorted(values))
        return ""
    return resolve


def describe_topology_spread(w, constraints: list[dict] | None, space: str) -> None:
    if not constraints:
        return
    w.write(LEVEL_0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(constraints, key=lambda c: c.get("topologyKey", ""))):
        if i:
            w.write(LEVEL_0, space)
            w.write(LEVEL_0, "\t")
        text = (f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')} "
                f"when max skew {tsc.get('maxSkew', 0)} is exceeded")
        if tsc.get("labelSelector") is not None:
            try:
                selector = str(selector_from_label_selector(tsc["labelSelector"])) or "<none>"
            except SelectorError:
                selector = "<error>"
            text += f" for selector {selector}"
        w.write(LEVEL_0, text + "\n")

