"""Statuses on simulated time; waiters move simulated time, not the wall clock."""
from __future__ import annotations

import time

import pytest
from botocore.exceptions import WaiterError

from kubelearn.cloud.aws.lifecycle import CLUSTER_CREATE_SECONDS, NODEGROUP_CREATE_SECONDS
from tests.cloud.aws.conftest import active_cluster


def test_cluster_creating_then_active(aws, net):
    eks = aws.client("eks")
    start = aws.now
    created = eks.create_cluster(name="lc-a", roleArn=net.cluster_role,
                                 resourcesVpcConfig={"subnetIds": net.subnets})["cluster"]
    assert created["status"] == "CREATING"
    assert created["version"] == "1.32"                      # not moto's default
    aws.advance(CLUSTER_CREATE_SECONDS - 1)
    assert eks.describe_cluster(name="lc-a")["cluster"]["status"] == "CREATING"
    aws.advance(1)
    cluster = eks.describe_cluster(name="lc-a")["cluster"]
    assert cluster["status"] == "ACTIVE"
    assert cluster["endpoint"].endswith(".gr7.us-east-2.eks.amazonaws.com")
    assert aws.now - start == CLUSTER_CREATE_SECONDS


def test_waiter_advances_simulated_time(aws, net):
    eks = aws.client("eks")
    eks.create_cluster(name="lc-w", roleArn=net.cluster_role, version="1.32",
                       resourcesVpcConfig={"subnetIds": net.subnets})
    start, wall = aws.now, time.monotonic()
    eks.get_waiter("cluster_active").wait(name="lc-w")
    assert aws.now - start == CLUSTER_CREATE_SECONDS          # 20 polls of 30 s
    assert time.monotonic() - wall < 5
    assert eks.describe_cluster(name="lc-w")["cluster"]["version"] == "1.32"


@pytest.fixture(scope="module")
def cluster(aws, net):
    return active_cluster(aws, net, "lc-cluster")


def test_nodegroup_creating_then_active_with_cluster_version(aws, net, cluster):
    eks = aws.client("eks")
    ng = eks.create_nodegroup(clusterName="lc-cluster", nodegroupName="lc-ng",
                              nodeRole=net.node_role, subnets=net.private)["nodegroup"]
    assert ng["status"] == "CREATING" and ng["version"] == "1.32"
    start = aws.now
    eks.get_waiter("nodegroup_active").wait(clusterName="lc-cluster", nodegroupName="lc-ng")
    assert aws.now - start == NODEGROUP_CREATE_SECONDS
    ng = eks.describe_nodegroup(clusterName="lc-cluster", nodegroupName="lc-ng")["nodegroup"]
    assert ng["status"] == "ACTIVE" and ng["health"] == {"issues": []}
    assert ng["releaseVersion"].startswith("1.32.")


def test_nodes_that_cannot_reach_the_control_plane(aws, net, cluster):
    """A subnet with no NAT route and no public IPs: NodeCreationFailure."""
    ec2, eks = aws.client("ec2"), aws.client("eks")
    ec2.associate_vpc_cidr_block(VpcId=net.vpc, CidrBlock="10.99.0.0/16")
    isolated = ec2.create_subnet(VpcId=net.vpc, CidrBlock="10.99.1.0/24",
                                 AvailabilityZone="us-east-2a")["Subnet"]["SubnetId"]
    eks.create_nodegroup(clusterName="lc-cluster", nodegroupName="lc-lost",
                         nodeRole=net.node_role, subnets=[isolated])
    with pytest.raises(WaiterError) as caught:
        eks.get_waiter("nodegroup_active").wait(clusterName="lc-cluster",
                                                nodegroupName="lc-lost")
    assert "CREATE_FAILED" in str(caught.value)
    ng = eks.describe_nodegroup(clusterName="lc-cluster", nodegroupName="lc-lost")["nodegroup"]
    assert ng["status"] == "CREATE_FAILED"
    issue = ng["health"]["issues"][0]
    assert issue["code"] == "NodeCreationFailure"
    assert issue["message"] == "Instances failed to join the kubernetes cluster"


def test_public_subnets_of_the_sample_template_reach_the_control_plane(aws, net, cluster):
    eks = aws.client("eks")
    eks.create_nodegroup(clusterName="lc-cluster", nodegroupName="lc-public",
                         nodeRole=net.node_role, subnets=net.public)
    aws.settle()
    ng = eks.describe_nodegroup(clusterName="lc-cluster", nodegroupName="lc-public")["nodegroup"]
    assert ng["status"] == "ACTIVE"


def test_settle_and_timestamps_on_the_simulated_clock(aws, net):
    from kubelearn.clock import EPOCH

    eks = aws.client("eks")
    at = aws.now
    eks.create_cluster(name="lc-s", roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    aws.settle()
    cluster = eks.describe_cluster(name="lc-s")["cluster"]
    assert cluster["status"] == "ACTIVE"
    assert (cluster["createdAt"] - EPOCH).total_seconds() == at
    eks.delete_cluster(name="lc-s")
    with pytest.raises(eks.exceptions.ResourceNotFoundException):
        eks.describe_cluster(name="lc-s")


def test_nodegroup_shows_eks_defaults_not_motos(aws, net, cluster):
    """AL2023 is EKS's default AMI type (the nodes run Amazon Linux 2023), and a node group
    made without remote access has neither an SSH key nor a remote-access security group."""
    eks = aws.client("eks")
    eks.create_nodegroup(clusterName="lc-cluster", nodegroupName="lc-defaults",
                         nodeRole=net.node_role, subnets=net.private)
    ng = eks.describe_nodegroup(clusterName="lc-cluster",
                                nodegroupName="lc-defaults")["nodegroup"]
    assert ng["amiType"] == "AL2023_x86_64_STANDARD"
    assert "remoteAccess" not in ng
    assert "remoteAccessSecurityGroup" not in ng["resources"]
    assert ng["resources"]["autoScalingGroups"]
    eks.create_nodegroup(clusterName="lc-cluster", nodegroupName="lc-al2", amiType="AL2_x86_64",
                         nodeRole=net.node_role, subnets=net.private)
    assert eks.describe_nodegroup(clusterName="lc-cluster", nodegroupName="lc-al2")[
        "nodegroup"]["amiType"] == "AL2_x86_64"
