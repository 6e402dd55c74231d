"""EKS statuses in simulated time, as after-call hooks on the boto3 clients.

moto answers ``ACTIVE`` at once. Here a cluster is ``CREATING`` for
``CLUSTER_CREATE_SECONDS`` (about 10 minutes, as on AWS) and then ``ACTIVE`` —
or ``FAILED`` when its role lacks ``AmazonEKSClusterPolicy``; a node group is
``CREATING`` for ``NODEGROUP_CREATE_SECONDS`` (about 3 minutes) and then
``ACTIVE``, or ``CREATE_FAILED`` with the ``NodeCreationFailure`` health issue
when its subnets cannot reach the control plane (``network``). The records live
here; every EKS response that carries a status is rewritten from them, with
timestamps on the simulated clock and the version moto gets wrong (1.19).

Waiters (``eks.get_waiter("cluster_active")``, ``aws eks wait``) poll through
the same client: a poll made by a waiter first moves simulated time on by the
waiter's delay, until the status is no longer in progress, so nothing sleeps.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from kubelearn.clock import EPOCH

CLUSTER_CREATE_SECONDS = 600
NODEGROUP_CREATE_SECONDS = 180
DEFAULT_VERSION = "1.32"
PLATFORM_VERSIONS = {"1.29": "eks.33", "1.30": "eks.29", "1.31": "eks.25", "1.32": "eks.11",
                     "1.33": "eks.6"}
RELEASE_VERSIONS = {"1.29": "1.29.15-20250519", "1.30": "1.30.11-20250519",
                    "1.31": "1.31.7-20250519", "1.32": "1.32.3-20250519",
                    "1.33": "1.33.0-20250519"}
CLUSTER_POLICY = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
NODE_CREATION_FAILURE = "Instances failed to join the kubernetes cluster"
WAITER_DELAY = 30            # botocore's EKS waiters poll every 30 s
WAITER_MAX_ATTEMPTS = 80
IN_PROGRESS = ("CREATING", "UPDATING", "DELETING")
# EKS's default AMI for managed node groups since 1.30 (moto says AL2_x86_64); the nodes
# the bridge adds run Amazon Linux 2023 (``cloud.eks_nodes``)
DEFAULT_AMI_TYPE = "AL2023_x86_64_STANDARD"


def stash_params(params, context, **_):
    """before-parameter-build: keep the caller's parameters for the hooks that follow."""
    context["kubelearn_params"] = dict(params)


def in_waiter() -> bool:
    from botocore.context import get_context
    from botocore.useragent import _USERAGENT_FEATURE_MAPPINGS

    ctx = get_context()
    return ctx is not None and _USERAGENT_FEATURE_MAPPINGS["WAITER"] in ctx.features


def timestamp(seconds: float):
    return EPOCH + timedelta(seconds=seconds)


class Lifecycle:
    def __init__(self, aws):
        self.aws = aws
        self.clusters: dict[tuple[str, str], dict] = {}        # (region, name) -> record
        self.nodegroups: dict[tuple[str, str, str], dict] = {}  # (region, cluster, ng)
        self.listeners: list = []   # objects with on_* methods (the Kubernetes bridge)

    def register(self, client) -> None:
        events = client.meta.events
        events.register("before-parameter-build", stash_params, unique_id="kubelearn-stash")
        if client.meta.service_model.service_name == "eks":
            events.register("after-call.eks", self._after_eks, unique_id="kubelearn-lifecycle")
            for op in ("DescribeCluster", "DescribeNodegroup"):
                events.register(f"before-call.eks.{op}", self._waiter_poll,
                                unique_id=f"kubelearn-wait-{op}")
        if client.meta.service_model.service_name == "cloudformation":
            from kubelearn.cloud.aws.samples import rewrite_create_stack

            events.register("before-parameter-build.cloudformation.CreateStack",
                            rewrite_create_stack, unique_id="kubelearn-get-azs")
            events.register("after-call.cloudformation.CreateStack", self._after_create_stack,
                            unique_id="kubelearn-stack-public-subnets")

    def _notify(self, event: str, *args) -> None:
        for listener in list(self.listeners):
            handler = getattr(listener, event, None)
            if handler is not None:
                handler(*args)

    # -- records ------------------------------------------------------------
    def cluster_status(self, region: str, name: str) -> str | None:
        record = self.clusters.get((region, name))
        return record["status"] if record else None

    def _cluster_done(self, key) -> None:
        record = self.clusters.get(key)
        if record is None or record["status"] != "CREATING":
            return
        iam = self.aws.plain("iam")
        role = record["roleArn"].rsplit("/", 1)[-1]
        try:
            attached = [p["PolicyArn"] for p in iam.list_attached_role_policies(
                RoleName=role)["AttachedPolicies"]]
        except iam.exceptions.NoSuchEntityException:
            attached = []
        if CLUSTER_POLICY in attached:
            record["status"] = "ACTIVE"
            self._notify("on_cluster_active", key[0], key[1], record)
        else:
            record["status"] = "FAILED"
            record["issues"] = [{
                "code": "AccessDenied",
                "message": f"The cluster role {record['roleArn']} does not allow Amazon EKS to "
                           f"manage the cluster: attach {CLUSTER_POLICY} to it.",
                "resourceIds": [record["roleArn"]]}]

    def _nodegroup_done(self, key) -> None:
        record = self.nodegroups.get(key)
        if record is None or record["status"] != "CREATING":
            return
        from kubelearn.cloud.aws.network import unreachable_subnets

        bad = unreachable_subnets(self.aws.plain("ec2", key[0]), record["subnets"])
        if bad:
            record["status"] = "CREATE_FAILED"
            record["issues"] = [{"code": "NodeCreationFailure", "message": NODE_CREATION_FAILURE,
                                 "resourceIds": [f"eks-{key[2]}-instances"]}]
        else:
            record["status"] = "ACTIVE"
            self._notify("on_nodegroup_active", key[0], key[1], key[2], record)

    # -- after-call -----------------------------------------------------------
    def _after_eks(self, http_response, parsed, model, context, **_):
        if http_response.status_code >= 300:
            return
        region = context.get("client_region", self.aws.region)
        params = context.get("kubelearn_params", {})
        op = model.name
        now = self.aws.now
        if op == "CreateCluster":
            name = parsed["cluster"]["name"]
            key = (region, name)
            self.clusters[key] = {"status": "CREATING", "created": now, "issues": [],
                                  "version": params.get("version") or DEFAULT_VERSION,
                                  "roleArn": params["roleArn"]}
            self.aws.clock.call_later(CLUSTER_CREATE_SECONDS, lambda: self._cluster_done(key),
                                      label=f"eks cluster {name} creating")
        elif op == "CreateNodegroup":
            ng = parsed["nodegroup"]
            key = (region, ng["clusterName"], ng["nodegroupName"])
            cluster = self.clusters.get((region, ng["clusterName"]), {})
            self.nodegroups[key] = {
                "status": "CREATING", "created": now, "issues": [],
                "version": params.get("version") or cluster.get("version", DEFAULT_VERSION),
                "subnets": list(ng.get("subnets", [])),
                "scaling": dict(ng.get("scalingConfig", {})),
                "instanceTypes": list(params.get("instanceTypes") or ["t3.medium"]),
                "labels": dict(params.get("labels") or {}),
                "taints": [dict(t) for t in params.get("taints") or []],
                "amiType": params.get("amiType") or DEFAULT_AMI_TYPE,
                "remoteAccess": bool(params.get("remoteAccess"))}
            self.aws.clock.call_later(NODEGROUP_CREATE_SECONDS,
                                      lambda: self._nodegroup_done(key),
                                      label=f"eks nodegroup {key[2]} creating")
        elif op == "UpdateNodegroupConfig":
            key = (region, params["clusterName"], params["nodegroupName"])
            record = self.nodegroups.get(key)
            if record is not None and "scalingConfig" in params:
                record["scaling"].update(params["scalingConfig"])
                if record["status"] == "ACTIVE":
                    self._notify("on_nodegroup_resized", *key, record)
        elif op == "DeleteNodegroup":
            key = (region, params["clusterName"], params["nodegroupName"])
            record = self.nodegroups.pop(key, None)
            if record is not None and record["status"] == "ACTIVE":
                self._notify("on_nodegroup_deleted", *key, record)
        elif op == "DeleteCluster":
            key = (region, params["name"])
            record = self.clusters.pop(key, None)
            if record is not None:
                self._notify("on_cluster_deleted", *key, record)
        if "cluster" in parsed:
            self._rewrite_cluster(region, parsed["cluster"], deleting=op == "DeleteCluster")
        if "nodegroup" in parsed:
            self._rewrite_nodegroup(region, parsed["nodegroup"],
                                    deleting=op == "DeleteNodegroup")

    def _rewrite_cluster(self, region: str, cluster: dict, deleting: bool = False) -> None:
        from kubelearn.cloud.eks import cluster_endpoint

        name = cluster["name"]
        record = self.clusters.get((region, name))
        digest = hashlib.sha256(cluster["arn"].encode()).hexdigest().upper()
        account = cluster["arn"].split(":")[4]
        cluster["endpoint"] = cluster_endpoint(account, region, name)    # as kubectl sees it
        cluster["identity"] = {"oidc": {"issuer":
                                        f"https://oidc.eks.{region}.amazonaws.com/id/{digest[:32]}"}}
        if deleting:
            cluster["status"] = "DELETING"
        if record is None:
            return
        cluster["status"] = "DELETING" if deleting else record["status"]
        cluster["version"] = record["version"]
        cluster["platformVersion"] = PLATFORM_VERSIONS.get(record["version"], "eks.1")
        cluster["createdAt"] = timestamp(record["created"])
        if record["issues"]:
            cluster["health"] = {"issues": [dict(i) for i in record["issues"]]}

    def _rewrite_nodegroup(self, region: str, ng: dict, deleting: bool = False) -> None:
        key = (region, ng["clusterName"], ng["nodegroupName"])
        record = self.nodegroups.get(key)
        if deleting:
            ng["status"] = "DELETING"
        if record is None:
            return
        ng["status"] = "DELETING" if deleting else record["status"]
        ng["version"] = record["version"]
        ng["releaseVersion"] = RELEASE_VERSIONS.get(record["version"], record["version"])
        ng["createdAt"] = ng["modifiedAt"] = timestamp(record["created"])
        ng["scalingConfig"] = dict(record["scaling"])
        ng["health"] = {"issues": [dict(i) for i in record["issues"]]}
        ng["amiType"] = record.get("amiType", DEFAULT_AMI_TYPE)
        if not record.get("remoteAccess"):
            # moto invents an SSH key and its security group nobody asked for
            ng.pop("remoteAccess", None)
            ng.get("resources", {}).pop("remoteAccessSecurityGroup", None)

    # -- waiters ----------------------------------------------------------------
    def _waiter_poll(self, model, context, **_):
        """A waiter's poll: move simulated time on by its delay while the thing is in progress."""
        if not in_waiter():
            return None
        region = context.get("client_region", self.aws.region)
        params = context.get("kubelearn_params", {})
        if model.name == "DescribeCluster":
            key = (region, params.get("name"))
            table = self.clusters
        else:
            key = (region, params.get("clusterName"), params.get("nodegroupName"))
            table = self.nodegroups
        for _ in range(WAITER_MAX_ATTEMPTS):
            record = table.get(key)
            if record is None or record["status"] not in IN_PROGRESS:
                break
            self.aws.advance(WAITER_DELAY)
        return None

    # -- CloudFormation: what moto drops from the template ----------------------
    def _after_create_stack(self, http_response, parsed, model, context, **_):
        """moto's CloudFormation ignores ``MapPublicIpOnLaunch`` on subnets and does not
        show ``SubnetRouteTableAssociation`` resources in ``describe_route_tables``; apply
        both as the template asks, through public EC2 calls."""
        if http_response.status_code >= 300:
            return
        import yaml

        params = context.get("kubelearn_params", {})
        try:
            template = yaml.safe_load(params.get("TemplateBody", "")) or {}
        except yaml.YAMLError:
            return                       # short-form tags (!Ref): nothing we can read
        resources = template.get("Resources") or {}
        if not isinstance(resources, dict):
            return
        region = context.get("client_region", self.aws.region)
        cfn, ec2 = self.aws.plain("cloudformation", region), self.aws.plain("ec2", region)
        physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in
                    cfn.list_stack_resources(StackName=parsed["StackId"])
                    ["StackResourceSummaries"]}

        def ref(value):
            if isinstance(value, dict) and set(value) == {"Ref"}:
                return physical.get(value["Ref"])
            return value if isinstance(value, str) else None

        for logical, res in resources.items():
            if not isinstance(res, dict):
                continue
            props = res.get("Properties") or {}
            if (res.get("Type") == "AWS::EC2::Subnet" and physical.get(logical)
                    and str(props.get("MapPublicIpOnLaunch")).lower() == "true"):
                ec2.modify_subnet_attribute(SubnetId=physical[logical],
                                            MapPublicIpOnLaunch={"Value": True})
            if res.get("Type") == "AWS::EC2::SubnetRouteTableAssociation":
                subnet, table = ref(props.get("SubnetId")), ref(props.get("RouteTableId"))
                if subnet and table:
                    tables = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"]
                    if not any(a.get("SubnetId") == subnet
                               for t in tables for a in t.get("Associations", [])):
                        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
