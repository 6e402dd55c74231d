"""``kubectl describe`` for Namespace, ConfigMap, Secret, ServiceAccount, Service and Endpoints.

Ports of the matching functions of describe.go (v1.32). Where upstream walks a
Go map (ConfigMap and Secret data) the order is random on a real cluster;
here the keys are sorted so the same cluster always prints the same text.
"""
from __future__ import annotations

import base64
import binascii

from kubelearn.api.selector import format_labels
from kubelearn.apiserver.events import events_for
from kubelearn.kubectl.describe.writer import (
    LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter, print_annotations_multiline, print_events,
    print_labels_multiline, time_text)

SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"
SA_NAME_ANNOTATION = "kubernetes.io/service-account.name"
SA_UID_ANNOTATION = "kubernetes.io/service-account.uid"


def _head(w, obj: dict) -> None:
    meta = obj["metadata"]
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))


def describe_namespace(api, ns: dict, now: float, show_events: bool = True) -> str:
    """describeNamespace; kubelearn has no ResourceQuota or LimitRange kinds, so both lists
    are empty, which upstream prints as the two "No ..." lines."""
    meta, status = ns["metadata"], ns.get("status") or {}
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{meta['name']}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(LEVEL_1, f"{c.get('type', '')}\t{c.get('status', '')}\t"
                             f"{time_text(c.get('lastTransitionTime'))}\t{c.get('reason', '')}\t"
                             f"{c.get('message', '')}\n")
    w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "No resource quota.\n")
    w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "No LimitRange resource.\n")
    return w.text()


def describe_config_map(api, cm: dict, now: float, show_events: bool = True) -> str:
    w = PrefixWriter()
    _head(w, cm)
    w.write(LEVEL_0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):
        w.write(LEVEL_0, f"{key}:\n----\n")
        w.write(LEVEL_0, f"{data[key]}\n")
        w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for key in sorted(binary):
        w.write(LEVEL_0, f"{key}: {len(_decode(binary[key]))} bytes\n")
    w.write(LEVEL_0, "\n")
    print_events(w, events_for(api, cm) if show_events else None, now)
    return w.text()


def _decode(value: str) -> bytes:
    """The bytes a base64 ``data``/``binaryData`` value stands for."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return value.encode()


def describe_secret(api, secret: dict, now: float, show_events: bool = True) -> str:
    """describeSecret: sizes only, never values (except a service-account token). No events."""
    w = PrefixWriter()
    _head(w, secret)
    type_ = secret.get("type", "")
    w.write(LEVEL_0, f"\nType:\t{type_}\n")
    w.write(LEVEL_0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        raw = _decode(data[key])
        if key == "token" and type_ == SERVICE_ACCOUNT_TOKEN:
            w.write(LEVEL_0, f"{key}:\t{raw.decode(errors='replace')}\n")
        else:
            w.write(LEVEL_0, f"{key}:\t{len(raw)} bytes\n")
    return w.text()


def describe_service_account(api, sa: dict, now: float, show_events: bool = True) -> str:
    meta = sa["metadata"]
    secrets = api.list("Secret", meta.get("namespace", ""))
    existing = {s["metadata"]["name"] for s in secrets}
    tokens = [s["metadata"]["name"] for s in secrets if s.get("type") == SERVICE_ACCOUNT_TOKEN
              and _annotation(s, SA_NAME_ANNOTATION) == meta["name"]
              and _annotation(s, SA_UID_ANNOTATION) == meta.get("uid")]
    pulls = [s.get("name", "") for s in sa.get("imagePullSecrets") or []]
    mounts = [s.get("name", "") for s in sa.get("secrets") or []]
    w = PrefixWriter()
    _head(w, sa)
    empty_header = " " * 19
    for header, names in (("Image pull secrets:", pulls), ("Mountable secrets: ", mounts),
                          ("Tokens:            ", tokens)):
        if not names:
            w.write(LEVEL_0, f"{header}\t<none>\n")
            continue
        prefix = header
        for name in names:
            missing = " (not found)" if name not in existing else ""
            w.write(LEVEL_0, f"{prefix}\t{name}{missing}\n")
            prefix = empty_header
    print_events(w, events_for(api, sa) if show_events else None, now)
    return w.text()


def _annotation(obj: dict, key: str) -> str | None:
    return (obj["metadata"].get("annotations") or {}).get(key)


# --- Service and Endpoints -------------------------------------------------------------------

def service_endpoints_text(endpoints: dict | None, port_name: str) -> str:
    """formatEndpointSlices for one service port, over the EndpointSlice the Endpoints object
    mirrors: ready addresses first, then not-ready ones (skipped, but counted toward the
    "more" flag as upstream 1.32 does, which can print `` + 0 more...``)."""
    if endpoints is None:
        return "<none>"
    shown: list[str] = []
    limit, more, count = 3, False, 0
    for subset in endpoints.get("subsets") or []:
        members = [(a, True) for a in subset.get("addresses") or []] + \
                  [(a, False) for a in subset.get("notReadyAddresses") or []]
        ports = subset.get("ports") or []
        targets = [None] if not ports else [p for p in ports if p.get("name", "") == port_name]
        for port in targets:
            for address, ready in members:
                if len(shown) == limit:
                    more = True
                if not ready:
                    continue
                if not more:
                    ip = address.get("ip", "")
                    if port is None:
                        shown.append(ip)
                    else:
                        host = f"[{ip}]" if ":" in ip else ip
                        shown.append(f"{host}:{port.get('port', 0)}")
                count += 1
    text = ",".join(shown)
    return f"{text} + {count - limit} more..." if more else text


def _ingress_text(ingresses: list[dict]) -> str:
    """buildIngressString: IP (`` (mode)`` added when ipMode is set) or hostname, ``, ``-joined."""
    parts = []
    for ingress in ingresses:
        if ingress.get("ip"):
            mode = f" ({ingress['ipMode']})" if ingress.get("ipMode") else ""
            parts.append(ingress["ip"] + mode)
        else:
            parts.append(ingress.get("hostname", ""))
    return ", ".join(parts)


def describe_service(api, svc: dict, now: float, show_events: bool = True) -> str:
    meta, spec = svc["metadata"], svc.get("spec") or {}
    status = svc.get("status") or {}
    endpoints = api.store.get("Endpoints", meta.get("namespace", ""), meta["name"])
    w = PrefixWriter()
    _head(w, svc)
    w.write(LEVEL_0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(LEVEL_0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(LEVEL_0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(LEVEL_0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(LEVEL_0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(LEVEL_0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(LEVEL_0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(LEVEL_0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(LEVEL_0, f"External Name:\t{spec['externalName']}\n")
    ingresses = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingresses:
        w.write(LEVEL_0, f"LoadBalancer Ingress:\t{_ingress_text(ingresses)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "")
        w.write(LEVEL_0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}\n")
        w.write(LEVEL_0, f"TargetPort:\t{port.get('targetPort', 0)}/{protocol}\n")
        if port.get("nodePort"):
            w.write(LEVEL_0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(LEVEL_0, f"Endpoints:\t{service_endpoints_text(endpoints, port.get('name', ''))}\n")
    w.write(LEVEL_0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(LEVEL_0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(LEVEL_0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(LEVEL_0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        ranges = ",".join(spec["loadBalancerSourceRanges"])
        w.write(LEVEL_0, f"LoadBalancer Source Ranges:\t{ranges}\n")
    if spec.get("trafficDistribution"):
        w.write(LEVEL_0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    print_events(w, events_for(api, svc) if show_events else None, now)
    return w.text()


def describe_endpoints(api, ep: dict, now: float, show_events: bool = True) -> str:
    w = PrefixWriter()
    _head(w, ep)
    w.write(LEVEL_0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or [])
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or [])
        w.write(LEVEL_1, f"Addresses:\t{ready or '<none>'}\n")
        w.write(LEVEL_1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        if subset.get("ports"):
            w.write(LEVEL_1, "Ports:\n")
            w.write(LEVEL_2, "Name\tPort\tProtocol\n")
            w.write(LEVEL_2, "----\t----\t--------\n")
            for port in subset["ports"]:
                w.write(LEVEL_2, f"{port.get('name') or '<unset>'}\t{port.get('port', 0)}\t"
                                 f"{port.get('protocol', '')}\n")
        w.write(LEVEL_0, "\n")
    print_events(w, events_for(api, ep) if show_events else None, now)
    return w.text()
