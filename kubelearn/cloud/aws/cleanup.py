"""Deleting the VPC stack while something still uses its VPC: ``DELETE_FAILED``.

On AWS ``DeleteStack`` always answers at once; CloudFormation then fails to delete
the VPC while a security group, a network interface (an EFS mount target's) or an
EKS cluster made outside the stack still lives in it, and the stack ends
``DELETE_FAILED`` with ``The following resource(s) failed to delete: [VPC].``
moto instead raises ``DependencyViolation`` halfway through and forgets the stack.
So a before-call hook looks for such dependencies (through boto3) first: when
there are any, the call answers as AWS does and moto is never asked; the stack is
recorded ``DELETE_FAILED`` and ``DescribeStacks`` shows it (after-call), until a
later ``DeleteStack`` finds the VPC free.
"""
from __future__ import annotations

from botocore.awsrequest import AWSResponse

from kubelearn.cloud.aws.errors import RawBody


class StackCleanup:
    def __init__(self, aws):
        self.aws = aws
        self.failed: dict[tuple[str, str], dict] = {}    # (region, stack id) -> reasons

    def register(self, client) -> None:
        events = client.meta.events
        events.register("before-call.cloudformation.DeleteStack", self._before_delete,
                        unique_id="kubelearn-stack-delete")
        events.register("after-call.cloudformation.DescribeStacks", self._after_describe,
                        unique_id="kubelearn-stack-describe")

    def dependencies(self, region: str, stack: str) -> dict[str, list[str]]:
        """Per logical VPC id: what outside the stack still uses that VPC."""
        cfn, ec2 = self.aws.plain("cloudformation", region), self.aws.plain("ec2", region)
        try:
            resources = cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
        except cfn.exceptions.ClientError:
            return {}
        ours = {r.get("PhysicalResourceId") for r in resources}
        found: dict[str, list[str]] = {}
        for res in resources:
            if res["ResourceType"] != "AWS::EC2::VPC" or not res.get("PhysicalResourceId"):
                continue
            vpc = res["PhysicalResourceId"]
            where = [{"Name": "vpc-id", "Values": [vpc]}]
            users = [g["GroupId"] for g in ec2.describe_security_groups(Filters=where)
                     ["SecurityGroups"] if g["GroupName"] != "default" and g["GroupId"] not in ours]
            nat_enis = {a.get("NetworkInterfaceId")
                        for nat in ec2.describe_nat_gateways(Filters=where)["NatGateways"]
                        if nat["NatGatewayId"] in ours
                        for a in nat.get("NatGatewayAddresses", [])}
            users += [n["NetworkInterfaceId"] for n in ec2.describe_network_interfaces(
                Filters=where)["NetworkInterfaces"] if n["NetworkInterfaceId"] not in nat_enis]
            users += [s["SubnetId"] for s in ec2.describe_subnets(Filters=where)["Subnets"]
                      if s["SubnetId"] not in ours]
            subnets = {s["SubnetId"] for s in ec2.describe_subnets(Filters=where)["Subnets"]}
            eks = self.aws.plain("eks", region)
            for name in eks.list_clusters()["clusters"]:
                config = eks.describe_cluster(name=name)["cluster"].get("resourcesVpcConfig", {})
                if subnets & set(config.get("subnetIds", [])):
                    users.append(f"EKS cluster {name}")
            if users:
                found[res["LogicalResourceId"]] = users
        return found

    def _before_delete(self, model, context, **_):
        region = context.get("client_region", self.aws.region)
        stack = context.get("kubelearn_params", {}).get("StackName", "")
        cfn = self.aws.plain("cloudformation", region)
        try:
            stack_id = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackId"]
        except cfn.exceptions.ClientError:
            return None
        blocked = self.dependencies(region, stack)
        if not blocked:
            self.failed.pop((region, stack_id), None)
            return None
        self.failed[(region, stack_id)] = blocked
        http = AWSResponse("https://simulated.amazonaws.com/", 200, {}, RawBody())
        return http, {"ResponseMetadata": {"HTTPStatusCode": 200, "HTTPHeaders": {}}}

    def _after_describe(self, http_response, parsed, context, **_):
        if http_response.status_code >= 300:
            return
        region = context.get("client_region", self.aws.region)
        for stack in parsed.get("Stacks", []):
            blocked = self.failed.get((region, stack["StackId"]))
            if blocked:
                stack["StackStatus"] = "DELETE_FAILED"
                stack["StackStatusReason"] = ("The following resource(s) failed to delete: "
                                              f"[{', '.join(sorted(blocked))}]. ")
