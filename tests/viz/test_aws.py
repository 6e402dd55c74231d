"""``aws.diagram()``: the VPC, subnets per AZ, EKS, node instances, EFS mount targets, SGs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cloud.aws.conftest import NODE_POLICIES, aws, make_role  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]

class LocalNet:
    """The sample VPC stack and the notes' two roles, under names of this module's own
    (``tests/cloud/aws``'s ``net`` makes ``test-eks-vpc`` once per process)."""

    def __init__(self, aws, prefix: str):
        cfn = aws.client("cloudformation")
        cfn.create_stack(StackName=f"{prefix}-vpc", TemplateBody=aws.samples.template_body())
        stack = cfn.describe_stacks(StackName=f"{prefix}-vpc")["Stacks"][0]
        out = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        self.subnets = out["SubnetIds"].split(",")
        self.public, self.private = self.subnets[:2], self.subnets[2:]
        self.vpc = out["VpcId"]
        self.cluster_role = make_role(aws, f"{prefix}-eksClusterRole", "eks.amazonaws.com",
                                      ["AmazonEKSClusterPolicy"])
        self.node_role = make_role(aws, f"{prefix}-eksNodeRole", "ec2.amazonaws.com",
                                   NODE_POLICIES)


@pytest.fixture(scope="module")
def net(aws):
    return LocalNet(aws, "viz-net")


# One account with the notes' AWS side; run in a fresh process (one account per process)
BUILD = """
import sys
from tests.cloud.aws.conftest import Net
from kubelearn.cloud.aws import SimulatedAWS
aws = SimulatedAWS(region="us-east-2")
net = Net(aws)
eks, ec2, efs = aws.client("eks"), aws.client("ec2"), aws.client("efs")
eks.create_cluster(name="d", roleArn=net.cluster_role, resourcesVpcConfig={
    "subnetIds": net.subnets, "securityGroupIds": [net.control_plane_sg]})
eks.get_waiter("cluster_active").wait(name="d")
eks.create_nodegroup(clusterName="d", nodegroupName="ng", nodeRole=net.node_role,
                     subnets=net.private, scalingConfig={"minSize": 1, "maxSize": 3,
                                                         "desiredSize": 2})
eks.get_waiter("nodegroup_active").wait(clusterName="d", nodegroupName="ng")
sg = ec2.create_security_group(GroupName="efs-nfs", Description="NFS", VpcId=net.vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
    "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
    "IpRanges": [{"CidrIp": "192.168.0.0/16"}]}])
fs = efs.create_file_system(CreationToken="d-efs")["FileSystemId"]
for subnet in net.private:
    efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[sg])
sys.stdout.write(aws.diagram().source)
"""


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory):
    """The DOT of two identical accounts, each in a process of its own."""
    runs = []
    for i in range(2):
        home = tmp_path_factory.mktemp(f"aws-home-{i}")
        env = {**__import__("os").environ, "KUBELEARN_HOME": str(home)}
        runs.append(subprocess.Popen([sys.executable, "-c", BUILD], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    out = []
    for run in runs:
        stdout, stderr = run.communicate(timeout=240)
        assert run.returncode == 0, stderr
        out.append(stdout)
    return out


def test_diagram_shows_vpc_subnets_per_az_and_mount_targets(two_sources):
    dot = two_sources[0]
    assert 'subgraph "cluster_vpc_vpc-' in dot and "192.168.0.0/16" in dot
    assert dot.count("Availability Zone us-east-2a") >= 1
    assert "Availability Zone us-east-2b" in dot
    assert dot.count('label="public subnet subnet-') >= 2
    assert dot.count('label="private subnet subnet-') == 2
    assert dot.count('"mt/fsmt-') >= 4                       # two targets, drawn and linked
    assert "EKS control plane · managed by AWS" in dot
    assert 'EKS cluster d\\nACTIVE · Kubernetes 1.32' in dot
    assert dot.count('"node/ip-192-168-') >= 4               # two instances, and their edges
    assert '"NFS tcp/2049 from 192.168.0.0/16"' in dot
    assert "default VPC" not in dot                          # untouched: left out


def test_same_account_same_dot(two_sources):
    assert two_sources[0] == two_sources[1]


def test_diagram_renders_to_svg(two_sources):
    from kubelearn.viz.dot import Diagram

    svg = Diagram(two_sources[0]).svg
    assert "<svg" in svg and "mount target" in svg


def test_diagram_of_the_shared_account(aws, net):
    """In this process's account: a mount target without an NFS rule is drawn in red."""
    ec2, efs = aws.client("ec2"), aws.client("efs")
    sg = ec2.create_security_group(GroupName="viz-no-nfs", Description="no rule",
                                   VpcId=net.vpc)["GroupId"]
    fs = efs.create_file_system(CreationToken="viz-efs")["FileSystemId"]
    efs.create_mount_target(FileSystemId=fs, SubnetId=net.private[0], SecurityGroups=[sg])
    d = aws.diagram()
    assert f'"efs/{fs}"' in d.source
    assert '"no NFS (tcp/2049) rule"' in d.source
    assert repr(d).startswith("AWS us-east-2: ")
    assert aws.diagram().source == d.source
