"""EKS add-ons, which moto 5.2.5 does not implement (``create_addon`` answers 404).

Before-call hooks on the eks client answer ``CreateAddon``, ``DescribeAddon``,
``ListAddons``, ``DeleteAddon`` and ``DescribeAddonVersions`` from the records
kept here, with AWS's response shapes (the ``Addon`` structure: ``addonName``,
``clusterName``, ``status``, ``addonVersion``, ``health.issues``, ``addonArn``
``arn:aws:eks:REGION:ACCOUNT:addon/CLUSTER/NAME/UUID``, ``createdAt``,
``modifiedAt``, ``serviceAccountRoleArn``, ``tags``); moto never sees these calls.
A hook's ``(http_response, parsed)`` ends the call, as ``errors`` does for refusals.

Lifecycle on the account's clock: an add-on is ``CREATING`` for
``ADDON_CREATE_SECONDS`` and then ``ACTIVE``; on ``ACTIVE`` the Kubernetes side
gets what the add-on installs — ``aws-efs-csi-driver`` registers
``efs.csi.aws.com`` (``eks_efs.install_efs_csi_driver``, which wakes pods waiting
to mount), ``aws-ebs-csi-driver`` registers ``ebs.csi.aws.com``; ``vpc-cni``,
``coredns`` and ``kube-proxy`` are already running there (self-managed, as after
``create-cluster``). ``delete_addon`` is ``DELETING`` for
``ADDON_DELETE_SECONDS``, then gone, and uninstalls the driver unless
``preserve``. Waiters (``addon_active``, ``addon_deleted``, ``aws eks wait``)
move simulated time on, as ``lifecycle`` does for clusters.
"""
from __future__ import annotations

import copy
import uuid

from botocore.awsrequest import AWSResponse

from kubelearn.cloud.aws.errors import RawBody, Refusal, error_response
from kubelearn.cloud.aws.lifecycle import (DEFAULT_VERSION, WAITER_MAX_ATTEMPTS, in_waiter,
                                           timestamp)

ADDON_CREATE_SECONDS = 60
ADDON_DELETE_SECONDS = 30
ADDON_WAITER_DELAY = 10          # botocore's AddonActive / AddonDeleted poll every 10 s

EFS_ADDON = "aws-efs-csi-driver"
EBS_ADDON = "aws-ebs-csi-driver"
# name -> (type, versions newest first); kube-proxy/coredns/vpc-cni follow cloud.eks.VERSIONS
CSI_VERSIONS = {EFS_ADDON: ["v2.1.4-eksbuild.1", "v2.1.3-eksbuild.1"],
                EBS_ADDON: ["v1.38.1-eksbuild.2", "v1.37.0-eksbuild.1"]}
TYPES = {"vpc-cni": "networking", "coredns": "networking", "kube-proxy": "networking",
         EFS_ADDON: "storage", EBS_ADDON: "storage"}
NAMESPACES = {name: "kube-system" for name in TYPES}
OPERATIONS = ("CreateAddon", "DescribeAddon", "ListAddons", "DeleteAddon",
              "DescribeAddonVersions")


def addon_versions(name: str, kubernetes_version: str) -> list[str]:
    """The versions of add-on ``name`` for a cluster version, the default first."""
    if name in CSI_VERSIONS:
        return list(CSI_VERSIONS[name])
    try:
        from kubelearn.cloud.eks import VERSIONS
        info = VERSIONS.get(kubernetes_version) or VERSIONS[DEFAULT_VERSION]
    except (ImportError, KeyError):
        info = None
    if name == "vpc-cni":
        return [info.vpc_cni if info else "v1.19.2-eksbuild.1"]
    if name == "coredns":
        return [info.coredns if info else "v1.11.4-eksbuild.2"]
    if name == "kube-proxy":
        found = info.kube_proxy if info else f"v{kubernetes_version}.0-minimal-eksbuild.2"
        return [found.replace("-minimal", "")]       # the add-on's name for the same build
    return []


def _ok(parsed: dict) -> tuple:
    http = AWSResponse("https://simulated.amazonaws.com/", 200, {}, RawBody())
    parsed = copy.deepcopy(parsed)
    parsed["ResponseMetadata"] = {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}
    return http, parsed


def _no_cluster(name: str) -> Refusal:
    # EKS's answer for a cluster name it does not know (as DescribeCluster's)
    return Refusal("ResourceNotFoundException", f"No cluster found for name: {name}.", 404)


def _no_addon(name: str, cluster: str) -> Refusal:
    return Refusal("ResourceNotFoundException",
                   f"No addon: {name} found in cluster: {cluster}", 404)


class Addons:
    def __init__(self, aws):
        self.aws = aws
        self.records: dict[tuple[str, str, str], dict] = {}   # (region, cluster, addon)
        aws.lifecycle.listeners.append(self)

    def register(self, client) -> None:
        if client.meta.service_model.service_name != "eks":
            return
        for op in OPERATIONS:
            client.meta.events.register(f"before-call.eks.{op}", self._hook(op),
                                        unique_id=f"kubelearn-addons-{op}")

    def _hook(self, op: str):
        handler = getattr(self, "_" + op)

        def before_call(context, **_):
            region = context.get("client_region", self.aws.region)
            try:
                return _ok(handler(region, context.get("kubelearn_params", {})))
            except Refusal as refused:
                return error_response(refused.code, refused.message, refused.status)
        return before_call

    # -- the cluster -----------------------------------------------------------------
    def _cluster(self, region: str, name: str) -> dict:
        eks = self.aws.plain("eks", region)
        try:
            eks.describe_cluster(name=name)
        except eks.exceptions.ResourceNotFoundException:
            raise _no_cluster(name) from None
        return self.aws.lifecycle.clusters.get((region, name)) or {}

    def _shape(self, region: str, key, record: dict) -> dict:
        addon = {"addonName": key[2], "clusterName": key[1], "status": record["status"],
                 "addonVersion": record["version"],
                 "health": {"issues": [dict(i) for i in record["issues"]]},
                 "addonArn": record["arn"], "createdAt": timestamp(record["created"]),
                 "modifiedAt": timestamp(record["modified"]), "tags": dict(record["tags"])}
        if record.get("serviceAccountRoleArn"):
            addon["serviceAccountRoleArn"] = record["serviceAccountRoleArn"]
        if record.get("configurationValues"):
            addon["configurationValues"] = record["configurationValues"]
        return addon

    # -- operations ------------------------------------------------------------------
    def _CreateAddon(self, region: str, params: dict) -> dict:
        cluster_name, name = params["clusterName"], params["addonName"]
        cluster = self._cluster(region, cluster_name)
        status = cluster.get("status", "ACTIVE")
        if status != "ACTIVE":
            raise Refusal("InvalidRequestException",
                          f"Cluster {cluster_name} is in {status} state; add-ons can be "
                          "created only on an ACTIVE cluster", 400)
        kube_version = cluster.get("version", DEFAULT_VERSION)
        versions = addon_versions(name, kube_version)
        if not versions:
            raise Refusal("InvalidParameterException", "Addon specified is not supported")
        version = params.get("addonVersion") or versions[0]
        if version not in versions:
            raise Refusal("InvalidParameterException", "Addon version specified is not supported")
        key = (region, cluster_name, name)
        if key in self.records:
            raise Refusal("ResourceInUseException", "Addon already exists.", 409)
        seed = f"{self.aws.seed}/{region}/{cluster_name}/{name}/{len(self.records)}"
        addon_id = str(uuid.uuid5(uuid.NAMESPACE_URL, seed))
        record = self.records[key] = {
            "status": "CREATING", "version": version, "issues": [],
            "created": self.aws.now, "modified": self.aws.now,
            "arn": f"arn:aws:eks:{region}:{self.aws.account_id}:addon/{cluster_name}/{name}/"
                   f"{addon_id}",
            "tags": dict(params.get("tags") or {}),
            "serviceAccountRoleArn": params.get("serviceAccountRoleArn"),
            "configurationValues": params.get("configurationValues")}
        self.aws.clock.call_later(ADDON_CREATE_SECONDS, lambda: self._created(key, record),
                                  label=f"eks addon {name} creating")
        return {"addon": self._shape(region, key, record)}

    def _DescribeAddon(self, region: str, params: dict) -> dict:
        key = (region, params["clusterName"], params["addonName"])
        if in_waiter():
            for _ in range(WAITER_MAX_ATTEMPTS):
                record = self.records.get(key)
                if record is None or record["status"] not in ("CREATING", "DELETING",
                                                              "UPDATING"):
                    break
                self.aws.advance(ADDON_WAITER_DELAY)
        self._cluster(region, params["clusterName"])
        record = self.records.get(key)
        if record is None:
            raise _no_addon(key[2], key[1])
        return {"addon": self._shape(region, key, record)}

    def _ListAddons(self, region: str, params: dict) -> dict:
        self._cluster(region, params["clusterName"])
        return {"addons": sorted(a for (r, c, a) in self.records
                                 if (r, c) == (region, params["clusterName"]))}

    def _DeleteAddon(self, region: str, params: dict) -> dict:
        key = (region, params["clusterName"], params["addonName"])
        self._cluster(region, key[1])
        record = self.records.get(key)
        if record is None:
            raise _no_addon(key[2], key[1])
        if record["status"] != "DELETING":
            was_active = record["status"] == "ACTIVE"
            record["status"], record["modified"] = "DELETING", self.aws.now
            self.aws.clock.call_later(
                ADDON_DELETE_SECONDS,
                lambda: self._deleted(key, record, was_active and not params.get("preserve")),
                label=f"eks addon {key[2]} deleting")
        return {"addon": self._shape(region, key, record)}

    def _DescribeAddonVersions(self, region: str, params: dict) -> dict:
        kube_version = params.get("kubernetesVersion") or DEFAULT_VERSION
        names = [params["addonName"]] if params.get("addonName") else sorted(TYPES)
        types = params.get("types")
        found = []
        for name in names:
            versions = addon_versions(name, kube_version)
            if not versions or (types and TYPES[name] not in types):
                continue
            found.append({
                "addonName": name, "type": TYPES[name], "publisher": "eks", "owner": "aws",
                "defaultNamespace": NAMESPACES[name],
                "addonVersions": [{
                    "addonVersion": v, "architecture": ["amd64", "arm64"],
                    "computeTypes": ["ec2"],
                    "compatibilities": [{"clusterVersion": kube_version,
                                         "platformVersions": ["*"], "defaultVersion": i == 0}],
                    "requiresConfiguration": False,
                    "requiresIamPermissions": name in (EFS_ADDON, EBS_ADDON, "vpc-cni")}
                    for i, v in enumerate(versions)]})
        return {"addons": found}

    # -- lifecycle -------------------------------------------------------------------
    def _created(self, key, record: dict) -> None:
        if self.records.get(key) is not record or record["status"] != "CREATING":
            return
        record["status"], record["modified"] = "ACTIVE", self.aws.now
        kube = self.aws.bridge.clusters.get(key[:2])
        if kube is None:
            return
        if key[2] == EFS_ADDON:
            from kubelearn.cloud.eks_efs import install_efs_csi_driver

            install_efs_csi_driver(kube)
        elif key[2] == EBS_ADDON:
            from kubelearn.cloud.eks_efs import wake_mount_retries
            from kubelearn.node.volumes import EBS_CSI, storage_of

            storage_of(kube).register_csi_driver(EBS_CSI)
            wake_mount_retries(kube)

    def _deleted(self, key, record: dict, uninstall: bool) -> None:
        if self.records.get(key) is not record:
            return
        del self.records[key]
        kube = self.aws.bridge.clusters.get(key[:2])
        if kube is None or not uninstall:
            return
        from kubelearn.node.volumes import EBS_CSI, EFS_CSI, storage_of

        driver = {EFS_ADDON: EFS_CSI, EBS_ADDON: EBS_CSI}.get(key[2])
        if driver:
            storage_of(kube).unregister_csi_driver(driver)

    def on_cluster_deleted(self, region: str, name: str, record: dict) -> None:
        for key in [k for k in self.records if k[:2] == (region, name)]:
            del self.records[key]
