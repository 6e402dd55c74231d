"""The checks AWS makes and moto does not, as botocore before-call hooks.

Each check reads the account through boto3 (``aws.plain``: clients without these
hooks) and, when AWS would refuse the call, raises ``Refusal``; the hook then
answers the call with that AWS error (``errors.error_response``) before moto sees
it, so a refused call changes nothing. The research's table (section 9) numbers
them: 1 cluster role, 2 node role, 3 subnets and security groups, 4 scaling and
instance types, 7 update-kubeconfig before ACTIVE (in ``kubeconfig``),
8 EFS security groups in the mount target's VPC. Check 5 (nodes that cannot reach
the control plane) fails later, in ``lifecycle``; check 11 (cleanup order) is
moto's for node groups before the cluster and mount targets before the file
system, and ``cleanup``'s for the VPC stack.
"""
from __future__ import annotations

import json
from urllib.parse import unquote

from kubelearn.cloud.aws.errors import Refusal, error_response
from kubelearn.cloud.aws.lifecycle import DEFAULT_VERSION

AWS_VERSIONS = ("1.29", "1.30", "1.31", "1.32", "1.33")


def supported_versions() -> tuple[str, ...]:
    """The versions EKS offers that the Kubernetes side can also run (``cloud.eks.VERSIONS``)."""
    try:
        from kubelearn.cloud.eks import VERSIONS
    except ImportError:
        return AWS_VERSIONS
    return tuple(v for v in AWS_VERSIONS if v in VERSIONS)
NODE_POLICIES = ("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                 "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                 "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")
# instance types a node group accepts here (a small table; AWS has hundreds)
INSTANCE_TYPES = {
    "t3.micro": (2, "1Gi"), "t3.small": (2, "2Gi"), "t3.medium": (2, "4Gi"),
    "t3.large": (2, "8Gi"), "t3.xlarge": (4, "16Gi"), "t3a.medium": (2, "4Gi"),
    "m5.large": (2, "8Gi"), "m5.xlarge": (4, "16Gi"), "m6i.large": (2, "8Gi"),
    "c5.large": (2, "4Gi"), "r5.large": (2, "16Gi"),
}
DEFAULT_INSTANCE_TYPE = "t3.medium"


def _role_not_assumable(arn: str) -> Refusal:
    return Refusal("InvalidParameterException",
                   f"Role with arn: {arn}, could not be assumed because it does not exist or "
                   f"the trusted entity is not correct")


def trusted_services(role: dict) -> set[str]:
    doc = role.get("AssumeRolePolicyDocument") or {}
    if isinstance(doc, str):
        try:
            doc = json.loads(unquote(doc))
        except ValueError:
            return set()
    found: set[str] = set()
    statements = doc.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") != "Allow":
            continue
        service = (statement.get("Principal") or {}).get("Service", [])
        found.update([service] if isinstance(service, str) else service)
    return found


def _role(aws, arn: str, service: str) -> dict:
    """The role behind ``arn``, if it exists and trusts ``service`` (check 1 / 2)."""
    iam = aws.plain("iam")
    try:
        role = iam.get_role(RoleName=arn.rsplit("/", 1)[-1])["Role"]
    except iam.exceptions.NoSuchEntityException:
        raise _role_not_assumable(arn) from None
    if role["Arn"] != arn or service not in trusted_services(role):
        raise _role_not_assumable(arn)
    return role


def _subnets(aws, region: str, ids: list[str]) -> list[dict]:
    ec2 = aws.plain("ec2", region)
    found = []
    for subnet_id in ids:
        try:
            found += ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"]
        except ec2.exceptions.ClientError:
            raise Refusal("InvalidParameterException",
                          f"The subnet ID '{subnet_id}' does not exist") from None
    return found


# -- EKS ----------------------------------------------------------------------
def create_cluster(aws, region: str, params: dict) -> None:
    _role(aws, params["roleArn"], "eks.amazonaws.com")
    version = params.get("version") or DEFAULT_VERSION
    if version not in supported_versions():
        raise Refusal("InvalidParameterException", f"unsupported Kubernetes version {version}")
    vpc_config = params.get("resourcesVpcConfig") or {}
    subnets = _subnets(aws, region, vpc_config.get("subnetIds") or [])
    vpcs = {s["VpcId"] for s in subnets}
    if len(vpcs) > 1:
        raise Refusal("InvalidParameterException",
                      "Subnets specified must be in the same VPC")
    if len({s["AvailabilityZone"] for s in subnets}) < 2:
        raise Refusal("InvalidParameterException",
                      "Subnets specified must be in at least two different AZs")
    groups = vpc_config.get("securityGroupIds") or []
    if groups:
        ec2 = aws.plain("ec2", region)
        for group_id in groups:
            try:
                group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
            except ec2.exceptions.ClientError:
                raise Refusal("InvalidParameterException",
                              f"The security group '{group_id}' does not exist") from None
            if group["VpcId"] not in vpcs:
                raise Refusal("InvalidParameterException",
                              f"The security group '{group_id}' is not in the same VPC as the "
                              f"subnets ({next(iter(vpcs))})")


def _scaling(scaling: dict) -> None:
    low, want, high = scaling.get("minSize"), scaling.get("desiredSize"), scaling.get("maxSize")
    if low is not None and want is not None and low > want:
        raise Refusal("InvalidParameterException",
                      f"Minimum capacity {low} can't be greater than desired size {want}")
    if want is not None and high is not None and want > high:
        raise Refusal("InvalidParameterException",
                      f"Desired capacity {want} can't be greater than max size {high}")
    if low is not None and high is not None and low > high:
        raise Refusal("InvalidParameterException",
                      f"Minimum capacity {low} can't be greater than max size {high}")


def _cluster_active(aws, region: str, name: str) -> None:
    status = aws.lifecycle.cluster_status(region, name)
    if status is not None and status != "ACTIVE":
        raise Refusal("InvalidRequestException", f"Cluster '{name}' is not in ACTIVE status")


def create_nodegroup(aws, region: str, params: dict) -> None:
    eks = aws.plain("eks", region)
    try:
        eks.describe_cluster(name=params["clusterName"])
    except eks.exceptions.ResourceNotFoundException:
        return                                # moto answers: No cluster found for name
    _cluster_active(aws, region, params["clusterName"])
    _role(aws, params["nodeRole"], "ec2.amazonaws.com")
    role = params["nodeRole"].rsplit("/", 1)[-1]
    attached = {p["PolicyArn"] for p in aws.plain("iam").list_attached_role_policies(
        RoleName=role)["AttachedPolicies"]}
    missing = [arn for arn in NODE_POLICIES if arn not in attached]
    if missing:
        raise Refusal("InvalidParameterException",
                      "The provided role doesn't have the Amazon EKS Managed Policies associated "
                      f"with it. Please ensure the following policies [{', '.join(missing)}] "
                      "are attached")
    _scaling(params.get("scalingConfig") or {})
    for instance_type in params.get("instanceTypes") or [DEFAULT_INSTANCE_TYPE]:
        if instance_type not in INSTANCE_TYPES:
            raise Refusal("InvalidParameterException",
                          f"Instance type {instance_type} is not supported")
    _subnets(aws, region, params.get("subnets") or [])


def update_nodegroup_config(aws, region: str, params: dict) -> None:
    if "scalingConfig" not in params:
        return
    eks = aws.plain("eks", region)
    try:
        current = eks.describe_nodegroup(clusterName=params["clusterName"],
                                         nodegroupName=params["nodegroupName"])["nodegroup"]
    except eks.exceptions.ResourceNotFoundException:
        return
    record = aws.lifecycle.nodegroups.get((region, params["clusterName"],
                                           params["nodegroupName"]))
    scaling = dict(record["scaling"] if record else current.get("scalingConfig", {}))
    scaling.update(params["scalingConfig"])
    _scaling(scaling)
    if record is not None and record["status"] != "ACTIVE":
        raise Refusal("ResourceInUseException",
                      f"Nodegroup {params['nodegroupName']} is currently in {record['status']} "
                      "state and cannot be updated")


# -- EFS ----------------------------------------------------------------------
def create_mount_target(aws, region: str, params: dict) -> None:
    groups = params.get("SecurityGroups") or []
    if not groups:
        return
    ec2 = aws.plain("ec2", region)
    try:
        subnet = ec2.describe_subnets(SubnetIds=[params["SubnetId"]])["Subnets"][0]
    except ec2.exceptions.ClientError:
        return                                # moto answers SubnetNotFound
    for group_id in groups:
        try:
            group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
        except ec2.exceptions.ClientError:
            return                            # moto answers SecurityGroupNotFound
        if group["VpcId"] != subnet["VpcId"]:
            raise Refusal("SecurityGroupNotFound",
                          f"Security group {group_id} does not exist in the mount target's VPC "
                          f"{subnet['VpcId']}")


CHECKS = {
    "eks": {"CreateCluster": create_cluster, "CreateNodegroup": create_nodegroup,
            "UpdateNodegroupConfig": update_nodegroup_config},
    "efs": {"CreateMountTarget": create_mount_target},
}


def register(aws, client) -> None:
    """Put the checks of ``client``'s service on its event system."""
    service = client.meta.service_model.service_name
    event_service = client.meta.service_model.service_id.hyphenize()
    for op, check in CHECKS.get(service, {}).items():
        client.meta.events.register(f"before-call.{event_service}.{op}", _hook(aws, check),
                                    unique_id=f"kubelearn-check-{service}-{op}")


def _hook(aws, check):
    def before_call(model, context, **_):
        region = context.get("client_region", aws.region)
        try:
            check(aws, region, context.get("kubelearn_params", {}))
        except Refusal as refused:
            return error_response(refused.code, refused.message, refused.status)
        return None
    return before_call
