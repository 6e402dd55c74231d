"""``aws eks update-kubeconfig``: the kubeconfig file and the kernel's context.

Writes ``<kubelearn home>/kube/config`` (mode 0600; ``--kubeconfig PATH`` for
another file) as the AWS CLI writes it: cluster, context and user named by the
cluster ARN (or ``--alias``), an ``exec`` user running ``aws eks get-token``.
It also registers the context in the kernel's kubeconfig
(``kubelearn.contexts``), so ``kubectl config get-contexts`` lists it beside
minikube's and ``kubectl get nodes`` talks to the EKS cluster — when the
kubelearn cluster behind it exists (``bridge``). Refuses a cluster that is not
ACTIVE, as the CLI does: ``Cluster status is CREATING``.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from kubelearn.cloud.aws import home


class KubeconfigError(Exception):
    """The CLI's EKSClusterError: printed on stderr, exit 255."""


def entry(cluster: dict, region: str, alias: str | None = None,
          user_alias: str | None = None) -> dict:
    arn = cluster["arn"]
    context = alias or arn
    user = user_alias or arn
    return {
        "cluster": {"name": arn, "cluster": {
            "certificate-authority-data": cluster.get("certificateAuthority", {}).get("data", ""),
            "server": cluster["endpoint"]}},
        "context": {"name": context, "context": {"cluster": arn, "user": user}},
        "user": {"name": user, "user": {"exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "args": ["--region", region, "eks", "get-token", "--cluster-name", cluster["name"],
                     "--output", "json"],
            "command": "aws"}}},
    }


def _merge(items: list, new: dict) -> list:
    return [i for i in items if i.get("name") != new["name"]] + [new]


def write(path: Path, item: dict) -> None:
    config = {}
    if path.exists():
        config = yaml.safe_load(path.read_text()) or {}
    config.setdefault("apiVersion", "v1")
    config["clusters"] = _merge(config.get("clusters") or [], item["cluster"])
    config["contexts"] = _merge(config.get("contexts") or [], item["context"])
    config["current-context"] = item["context"]["name"]
    config.setdefault("kind", "Config")
    config.setdefault("preferences", {})
    config["users"] = _merge(config.get("users") or [], item["user"])
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config, default_flow_style=False)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def update_kubeconfig(aws, name: str, *, region: str | None = None, alias: str | None = None,
                      user_alias: str | None = None, path: str | None = None,
                      dry_run: bool = False) -> str:
    """What ``aws eks update-kubeconfig --name NAME`` prints; raises the client's
    ResourceNotFoundException for an unknown cluster, KubeconfigError before ACTIVE."""
    region = region or aws.region
    cluster = aws.client("eks", region).describe_cluster(name=name)["cluster"]
    if cluster["status"] not in ("ACTIVE", "UPDATING"):
        raise KubeconfigError(f"Cluster status is {cluster['status']}")
    item = entry(cluster, region, alias, user_alias)
    if dry_run:
        config = {"apiVersion": "v1", "clusters": [item["cluster"]],
                  "contexts": [item["context"]], "current-context": item["context"]["name"],
                  "kind": "Config", "preferences": {}, "users": [item["user"]]}
        return yaml.safe_dump(config, default_flow_style=False)
    target = Path(path).expanduser() if path else home.kubeconfig_file()
    existed = any(c.get("name") == item["context"]["name"] for c in
                  ((yaml.safe_load(target.read_text()) or {}).get("contexts") or []
                   if target.exists() else []))
    write(target, item)
    _register(aws, region, name, item["context"]["name"], item["user"]["name"])
    verb = "Updated" if existed else "Added new"
    return f"{verb} context {item['context']['name']} to {target}\n"


def _register(aws, region: str, name: str, context: str, user: str) -> None:
    """Make the context current in the kernel's kubeconfig (``bridge``)."""
    aws.bridge.register_context(region, name, context, user)
