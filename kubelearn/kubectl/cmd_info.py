"""``kubectl api-resources``, ``version`` and ``cluster-info``: what the server is."""
from __future__ import annotations

import json

from kubelearn.api.kinds import KINDS, api_groups_order
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.result import KubectlError

CLIENT_VERSION = "v1.32.0"
KUSTOMIZE_VERSION = "v5.5.0"

API_RESOURCES_FLAGS = (
    Flag("output", "o"),
    Flag("namespaced", kind="bool", default=True),
    Flag("api-group"),
    Flag("no-headers", kind="bool", default=False),
    Flag("sort-by"),
    Flag("verbs", kind="list"),
    Flag("cached", kind="bool", default=False),
)
VERSION_FLAGS = (Flag("client", kind="bool", default=False), Flag("output", "o"))
CLUSTER_INFO_FLAGS = ()


def run_api_resources(inv: Invocation) -> None:
    from kubelearn.kubectl.printers.tabwriter import format_table

    output = inv.flags["output"] or ""
    if output not in ("", "wide", "name"):
        raise KubectlError(f"error: --output {output} is not available")
    kinds = sorted(KINDS, key=api_groups_order)
    if inv.flags.given("namespaced"):
        kinds = [k for k in kinds if k.namespaced == inv.flags["namespaced"]]
    if inv.flags["api-group"] is not None:
        kinds = [k for k in kinds if k.group == inv.flags["api-group"]]
    if inv.flags["sort-by"] in ("name", "kind"):
        kinds.sort(key=lambda k: k.plural if inv.flags["sort-by"] == "name" else k.kind)
    if output == "name":
        for k in kinds:
            inv.print(f"{k.plural}.{k.group}" if k.group else k.plural)
        return
    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if output == "wide":
        header += ["VERBS", "CATEGORIES"]
    rows = [] if inv.flags["no-headers"] else [header]
    for k in kinds:
        row = [k.plural, ",".join(k.short_names), k.api_version, str(k.namespaced).lower(), k.kind]
        if output == "wide":
            row += ["[" + " ".join(k.verbs) + "]", ",".join(k.categories)]
        rows.append(row)
    inv.write(format_table(rows))


def _version_info(git_version: str) -> dict:
    major, minor, _ = git_version.lstrip("v").split(".")
    return {"major": major, "minor": minor, "gitVersion": git_version,
            "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53", "gitTreeState": "clean",
            "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.4", "compiler": "gc",
            "platform": "linux/amd64"}


def _server_info(cluster) -> dict:
    """The API server's /version: upstream's build, or the one the cluster's profile
    names (an EKS build, ``v1.32.12-eks-f69f56f``)."""
    from kubelearn.bootstrap import KUBERNETES_VERSION

    fields = getattr(getattr(cluster, "profile", None), "server_version", ())
    return dict(fields) if fields else _version_info(KUBERNETES_VERSION)


def run_version(inv: Invocation) -> None:
    output = inv.flags["output"]
    if output not in (None, "", "yaml", "json"):
        raise KubectlError("error: --output must be 'yaml' or 'json'")
    client_only = inv.flags["client"]
    if output:
        from kubelearn.kubectl.printers.yamlout import to_yaml

        data = {"clientVersion": _version_info(CLIENT_VERSION),
                "kustomizeVersion": KUSTOMIZE_VERSION}
        if not client_only:
            data["serverVersion"] = _server_info(inv.cluster)
        # kubectl Fprintln's the marshalled bytes: YAML already ends in a newline,
        # so -o yaml ends with a blank line
        inv.write(json.dumps(data, indent=2) + "\n" if output == "json" else to_yaml(data) + "\n")
        return
    inv.print(f"Client Version: {CLIENT_VERSION}")
    inv.print(f"Kustomize Version: {KUSTOMIZE_VERSION}")
    if not client_only:
        inv.print(f"Server Version: {_server_info(inv.cluster)['gitVersion']}")


def run_cluster_info(inv: Invocation) -> None:
    """The control plane's address, then every cluster service in kube-system
    (those labelled ``kubernetes.io/cluster-service=true``), as upstream lists them."""
    if inv.args and inv.args[0] == "dump":
        raise KubectlError("error: kubelearn does not support 'cluster-info dump'; use "
                           "'kubectl get all -A' and 'kubectl describe'")
    from kubelearn.api.selector import parse_selector

    server = inv.cluster.profile.server_url
    inv.print(f"Kubernetes control plane is running at {server}")
    services = inv.api.list("Service", "kube-system",
                            parse_selector("kubernetes.io/cluster-service=true"))
    for svc in services:
        meta = svc["metadata"]
        name = meta["name"]
        ports = svc["spec"].get("ports") or []
        if ports and ports[0].get("name"):
            name = f"{name}:{ports[0]['name']}"
        label = (meta.get("labels") or {}).get("kubernetes.io/name") or meta["name"]
        inv.print(f"{label} is running at {server}/api/v1/namespaces/kube-system/services/"
                  f"{name}/proxy")
    inv.print()
    inv.print("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
