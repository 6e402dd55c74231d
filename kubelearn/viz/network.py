"""The ``network`` view: how a request finds a pod.

From the outside in: a LoadBalancer's external IP (``<pending>`` until a load
balancer answers -- on minikube, until ``minikube tunnel`` runs) -> the node
port open on every node -> the Service (type, ``clusterIP:port -> targetPort``,
its DNS name ``svc.ns.svc.cluster.local``) -> its Endpoints object -> the pods
behind it. Ready addresses are solid arrows, not-ready ones dashed: kube-proxy
sends traffic only along the solid ones.

The endpoints are read from the Endpoints object the endpoints controller
wrote, not recomputed from the selector, so the picture shows what kube-proxy
routes to. A Service with none says why in red: ``0 endpoints — selector
app=x matches no pod`` (a typo in a label), or that its pods are not running
yet. Past ``MAX_ENDPOINTS`` addresses a Service's others are one ``+ N more
endpoints: ...`` line.
"""
from __future__ import annotations

from kubelearn.api.selector import format_labels, selector_from_set
from kubelearn.apiserver.tables import load_balancer_text, pod_status_text
from kubelearn.network.http import CLUSTER_DOMAIN
from kubelearn.viz.common import (FAILING_COLOUR, MISSING_STYLE, OBJECT_COLOUR, PENDING_COLOUR, Highlight,
                                  count_text, key_of, listed, namespaces_shown, new_graph, object_key,
                                  pick, plural, pod_colour)
from kubelearn.viz.dot import Diagram

MAX_ENDPOINTS = 12
MAX_NODE_ADDRESSES = 3
ENTRY_COLOUR = "#fde2c8"        # what the outside world reaches: load balancer, node port


def network_diagram(cluster, namespace: str | None = None, highlight=()) -> Diagram:
    """Services of ``namespace`` (default: every namespace but Kubernetes' own),
    from their external entry points to the pods behind their endpoints."""
    marked = highlight if isinstance(highlight, Highlight) else Highlight(highlight)
    namespaces = namespaces_shown(cluster, namespace)
    services = listed(cluster, "Service", namespaces)
    g = new_graph("network")
    entries = [s for s in services if _type(s) in ("NodePort", "LoadBalancer") or _spec(s).get("externalIPs")]
    if entries:
        g.node("outside", "outside the cluster\n(browser, curl)", shape="oval", fillcolor="#cfe2ff")
    node_ips = _node_addresses(cluster)
    flavour = getattr(getattr(cluster, "profile", None), "flavour", "")
    for ns in namespaces:
        in_ns = [s for s in services if s["metadata"]["namespace"] == ns]
        if in_ns:
            _namespace_box(g, cluster, ns, in_ns, marked)
    for svc in entries:
        _entry_points(g, svc, node_ips, flavour, marked)
    if not services:
        g.node("nothing", f"no services in namespace {', '.join(namespaces) or '(none)'}",
               shape="plaintext", style="")
    where = namespace if namespace is not None else "all namespaces but kube-*"
    return Diagram(g, f"Network ({where}): {plural(len(services), 'service')}")


def _spec(svc: dict) -> dict:
    return svc.get("spec") or {}


def _type(svc: dict) -> str:
    return _spec(svc).get("type") or "ClusterIP"


def _namespace_box(g, cluster, ns: str, services: list[dict], marked: Highlight) -> None:
    pods: dict[str, dict] = {}           # key -> pod, drawn once however many services use it
    addresses: dict[str, str] = {}       # node id -> label, endpoints that are not pods
    edges: list[tuple[str, str, dict]] = []
    attrs = {"style": "rounded", "color": "#6c757d", "fontsize": 11,
             **marked.marks(key_of("Namespace", "", ns))}
    with g.subgraph(f"ns_{ns}", f"namespace {ns}", **attrs) as box:
        for svc in services:
            key = object_key(svc)
            box.node(key, _service_label(svc), fillcolor=OBJECT_COLOUR, **marked.marks(key))
            if _type(svc) == "ExternalName":
                target = f"externalName/{ns}/{svc['metadata']['name']}"
                box.node(target, f"{_spec(svc).get('externalName', '')}\n(DNS CNAME, outside the cluster)",
                         shape="oval", fillcolor="white")
                edges.append((key, target, {"label": "CNAME"}))
                continue
            _endpoints(box, cluster, svc, pods, addresses, edges, marked)
        for pod_key in sorted(pods):
            pod = pods[pod_key]
            ready, total, status, _, _ = pod_status_text(pod)
            ip = (pod.get("status") or {}).get("podIP") or "no IP"
            box.node(pod_key, f"{pod['metadata']['name']}\n{ip} · {ready}/{total} {status}",
                     fillcolor=pod_colour(status), **marked.marks(pod_key))
        for node_id in sorted(addresses):
            box.node(node_id, addresses[node_id], fillcolor="white", style="rounded,dashed")
        for a, b, edge_attrs in edges:
            box.edge(a, b, **edge_attrs)


def _service_label(svc: dict) -> str:
    spec, meta = _spec(svc), svc["metadata"]
    lines = [meta["name"], f"Service · {_type(svc)}"]
    cluster_ip = spec.get("clusterIP") or ""
    for port in spec.get("ports") or ():
        target = port.get("targetPort", port.get("port"))
        text = f"{cluster_ip}:{port.get('port')} → {target}/{port.get('protocol', 'TCP')}"
        if cluster_ip == "None":
            text = f"headless (no cluster IP) · port {port.get('port')} → {target}"
        lines.append(text)
    if not spec.get("ports") and cluster_ip:
        lines.append(f"clusterIP {cluster_ip}")
    lines.append(f"{meta['name']}.{meta['namespace']}.svc.{CLUSTER_DOMAIN}")
    if spec.get("externalIPs"):
        lines.append("external IPs: " + ", ".join(spec["externalIPs"]))
    return "\n".join(lines)


def _endpoints(box, cluster, svc: dict, pods: dict, addresses: dict, edges: list, marked: Highlight) -> None:
    meta = svc["metadata"]
    ns, name = meta["namespace"], meta["name"]
    key = key_of("Endpoints", ns, name)
    endpoints = cluster.api.store.get("Endpoints", ns, name)
    found = _addresses(endpoints)
    ready = sum(1 for a in found if a["ready"])
    if found:
        label = f"Endpoints {name}\n{ready} ready" + (f", {len(found) - ready} not ready" if ready < len(found)
                                                      else "")
        colour = "white" if ready else PENDING_COLOUR
        box.node(key, label, shape="box", style="rounded,filled", fillcolor=colour, **marked.marks(key))
    else:
        attrs = {**MISSING_STYLE, "style": "rounded,filled,dashed", **marked.marks(key)}
        box.node(key, f"Endpoints {name}\n{_why_empty(cluster, svc, endpoints)}", fillcolor=FAILING_COLOUR,
                 **attrs)
    edges.append((object_key(svc), key, {}))
    shown, hidden = pick(found, MAX_ENDPOINTS, lambda a: a["pod"] or "", marked)
    for address in shown:
        target = address["pod"]
        pod = cluster.api.store.get("Pod", *target.split("/")[1:]) if target else None
        if pod is None:
            target = f"address/{address['ip']}"
            addresses[target] = f"{address['ip']}\n(not a pod)" if not address["pod"] else \
                f"{address['ip']}\n{address['pod']} (gone)"
        else:
            pods[target] = pod
        attrs = {"label": address["text"]} if address["ready"] else \
            {"label": address["text"] + " not ready", "style": "dashed", "color": "#6c757d"}
        edges.append((key, target, attrs))
    if hidden:
        more = f"more/{key}"
        box.node(more, f"+ {len(hidden)} more endpoints: "
                 + count_text("ready" if a["ready"] else "not ready" for a in hidden),
                 style="dashed,rounded")
        edges.append((key, more, {"style": "dashed"}))


def _addresses(endpoints: dict | None) -> list[dict]:
    """Every address of the Endpoints object once (by IP), ready ones first, then by pod
    and IP; ``text`` is ``ip:port`` (``ip`` when the subset has several ports)."""
    seen: dict[str, dict] = {}
    for subset in (endpoints or {}).get("subsets") or ():
        ports = subset.get("ports") or ()
        for field, ready in (("addresses", True), ("notReadyAddresses", False)):
            for address in subset.get(field) or ():
                ip = address.get("ip", "")
                if ip in seen:
                    continue
                ref = address.get("targetRef") or {}
                pod = (key_of("Pod", ref.get("namespace", ""), ref.get("name", ""))
                       if ref.get("kind") == "Pod" and ref.get("name") else "")
                text = f"{ip}:{ports[0].get('port')}" if len(ports) == 1 else ip
                seen[ip] = {"ip": ip, "pod": pod, "ready": ready, "text": text}
    return sorted(seen.values(), key=lambda a: (not a["ready"], a["pod"], a["ip"]))


def _why_empty(cluster, svc: dict, endpoints: dict | None) -> str:
    selector = _spec(svc).get("selector")
    if not selector:
        return "0 endpoints — no selector: its Endpoints are written by hand"
    text = format_labels(selector)
    matched = cluster.api.list("Pod", svc["metadata"]["namespace"], selector_from_set(selector))
    if not matched:
        return f"0 endpoints — selector {text} matches no pod"
    statuses = count_text(pod_status_text(p)[2] for p in matched)
    return f"0 endpoints — selector {text} matches {plural(len(matched), 'pod')} with no IP yet ({statuses})"


def _node_addresses(cluster) -> list[str]:
    ips = []
    for node in cluster.api.list("Node"):
        for address in (node.get("status") or {}).get("addresses") or ():
            if address.get("type") == "InternalIP":
                ips.append(address.get("address", ""))
                break
    return ips


def _entry_points(g, svc: dict, node_ips: list[str], flavour: str, marked: Highlight) -> None:
    """outside -> LoadBalancer -> NodePort -> Service, and outside -> Service for
    ``externalIPs``."""
    spec, key = _spec(svc), object_key(svc)
    ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
    ports = spec.get("ports") or ()
    node_ports = [p["nodePort"] for p in ports if p.get("nodePort")]
    nodeport_id = f"NodePort/{ns}/{name}"
    if node_ports:
        shown = ", ".join(node_ips[:MAX_NODE_ADDRESSES])
        if len(node_ips) > MAX_NODE_ADDRESSES:
            shown += f" + {len(node_ips) - MAX_NODE_ADDRESSES} more"
        ports_text = ", ".join(str(p) for p in node_ports)
        g.node(nodeport_id, f"NodePort {ports_text}\non every node: {shown or 'no nodes'}", fillcolor=ENTRY_COLOUR)
        g.edge(nodeport_id, key)
    if _type(svc) == "LoadBalancer":
        ip = load_balancer_text(svc.get("status"))
        lb_id = f"LoadBalancer/{ns}/{name}"
        if ip:
            g.node(lb_id, f"LoadBalancer {name}\nEXTERNAL-IP {ip}", fillcolor=ENTRY_COLOUR)
            g.edge("outside", lb_id, label=", ".join(f"{ip}:{p.get('port')}" for p in ports))
        else:
            hint = "minikube tunnel gives it one" if flavour == "minikube" else "no load balancer yet"
            g.node(lb_id, f"LoadBalancer {name}\nEXTERNAL-IP <pending>\n({hint})", fillcolor=PENDING_COLOUR,
                   style="rounded,filled,dashed")
            g.edge("outside", lb_id, style="dashed", color="#6c757d")
        if node_ports:
            g.edge(lb_id, nodeport_id)
    elif node_ports:
        first = node_ips[0] if node_ips else "<node>"
        g.edge("outside", nodeport_id, label=f"{first}:{node_ports[0]}")
    for external in spec.get("externalIPs") or ():
        g.edge("outside", key, label=", ".join(f"{external}:{p.get('port')}" for p in ports))
