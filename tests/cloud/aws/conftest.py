"""One simulated AWS account per test process (moto's state is process-wide, as
the account is per kernel): tests share it and use names of their own. ``net`` is
the EKS sample VPC stack with the two roles of the notes, made once."""
from __future__ import annotations

import json

import pytest

from kubelearn.cloud.aws import SimulatedAWS

POLICY = "arn:aws:iam::aws:policy/"
NODE_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy",
                 "AmazonEC2ContainerRegistryReadOnly")


def trust(service: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="session")
def aws():
    return SimulatedAWS(region="us-east-2")


def make_role(aws, name: str, service: str, policies=()) -> str:
    iam = aws.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(service))["Role"]["Arn"]
    for policy in policies:
        iam.attach_role_policy(RoleName=name, PolicyArn=POLICY + policy)
    return arn


class Net:
    def __init__(self, aws):
        cfn = aws.client("cloudformation")
        cfn.create_stack(StackName="test-eks-vpc", TemplateBody=aws.samples.template_body())
        stack = cfn.describe_stacks(StackName="test-eks-vpc")["Stacks"][0]
        out = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        self.subnets = out["SubnetIds"].split(",")
        self.public, self.private = self.subnets[:2], self.subnets[2:]
        self.vpc = out["VpcId"]
        self.control_plane_sg = out["SecurityGroups"]
        self.cluster_role = make_role(aws, "test-eksClusterRole", "eks.amazonaws.com",
                                      ["AmazonEKSClusterPolicy"])
        self.node_role = make_role(aws, "test-eksNodeRole", "ec2.amazonaws.com", NODE_POLICIES)


@pytest.fixture(scope="session")
def net(aws):
    return Net(aws)


def active_cluster(aws, net, name: str) -> dict:
    eks = aws.client("eks")
    eks.create_cluster(name=name, roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    eks.get_waiter("cluster_active").wait(name=name)
    return eks.describe_cluster(name=name)["cluster"]
