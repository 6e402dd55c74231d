"""Each check refuses the call with the error AWS gives, and nothing changes."""
from __future__ import annotations

import pytest

from tests.cloud.aws.conftest import active_cluster, make_role

NODE_MESSAGE = ("The provided role doesn't have the Amazon EKS Managed Policies associated with "
                "it. Please ensure the following policies [{}] are attached")


def refused(call, error_class, message):
    with pytest.raises(error_class) as caught:
        call()
    assert caught.value.response["Error"]["Message"] == message
    return caught.value


def test_cluster_role_must_exist_and_trust_eks(aws, net):
    eks = aws.client("eks")
    before = eks.list_clusters()["clusters"]
    ghost = "arn:aws:iam::123456789012:role/no-such-role"
    message = (f"Role with arn: {ghost}, could not be assumed because it does not exist or the "
               "trusted entity is not correct")
    refused(lambda: eks.create_cluster(name="chk-role", roleArn=ghost,
                                       resourcesVpcConfig={"subnetIds": net.subnets}),
            eks.exceptions.InvalidParameterException, message)
    ec2_trusting = make_role(aws, "chk-ec2-trust", "ec2.amazonaws.com",
                             ["AmazonEKSClusterPolicy"])
    refused(lambda: eks.create_cluster(name="chk-role", roleArn=ec2_trusting,
                                       resourcesVpcConfig={"subnetIds": net.subnets}),
            eks.exceptions.InvalidParameterException, message.replace(ghost, ec2_trusting))
    assert eks.list_clusters()["clusters"] == before


def test_cluster_role_without_cluster_policy_fails_after_creating(aws, net):
    eks = aws.client("eks")
    bare = make_role(aws, "chk-bare-cluster-role", "eks.amazonaws.com")
    eks.create_cluster(name="chk-nopolicy", roleArn=bare,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    aws.advance(600)
    cluster = eks.describe_cluster(name="chk-nopolicy")["cluster"]
    assert cluster["status"] == "FAILED"
    assert cluster["health"]["issues"][0]["code"] == "AccessDenied"
    assert "AmazonEKSClusterPolicy" in cluster["health"]["issues"][0]["message"]


def test_subnets_two_azs_one_vpc_existing(aws, net):
    eks, ec2 = aws.client("eks"), aws.client("ec2")
    before = eks.list_clusters()["clusters"]
    refused(lambda: eks.create_cluster(name="chk-az", roleArn=net.cluster_role,
                                       resourcesVpcConfig={"subnetIds": net.subnets[:1]}),
            eks.exceptions.InvalidParameterException,
            "Subnets specified must be in at least two different AZs")
    refused(lambda: eks.create_cluster(name="chk-az", roleArn=net.cluster_role,
                                       resourcesVpcConfig={"subnetIds": ["subnet-00000000"]}),
            eks.exceptions.InvalidParameterException,
            "The subnet ID 'subnet-00000000' does not exist")
    default = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[
        {"Name": "default-for-az", "Values": ["true"]}])["Subnets"]]
    refused(lambda: eks.create_cluster(name="chk-az", roleArn=net.cluster_role,
                                       resourcesVpcConfig={"subnetIds": net.subnets[:1]
                                                           + default[1:2]}),
            eks.exceptions.InvalidParameterException, "Subnets specified must be in the same VPC")
    other_sg = ec2.describe_security_groups(Filters=[
        {"Name": "vpc-id", "Values": [ec2.describe_subnets(SubnetIds=default[:1])
                                      ["Subnets"][0]["VpcId"]]}])["SecurityGroups"][0]["GroupId"]
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_cluster(name="chk-az", roleArn=net.cluster_role,
                           resourcesVpcConfig={"subnetIds": net.subnets,
                                               "securityGroupIds": [other_sg]})
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_cluster(name="chk-az", roleArn=net.cluster_role, version="0.1",
                           resourcesVpcConfig={"subnetIds": net.subnets})
    assert eks.list_clusters()["clusters"] == before


@pytest.fixture(scope="module")
def cluster(aws, net):
    return active_cluster(aws, net, "chk-cluster")


def test_node_role_needs_the_three_policies(aws, net, cluster):
    eks = aws.client("eks")
    partial = make_role(aws, "chk-node-partial", "ec2.amazonaws.com",
                        ["AmazonEKSWorkerNodePolicy"])
    missing = ("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy, "
               "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")
    refused(lambda: eks.create_nodegroup(clusterName="chk-cluster", nodegroupName="ng",
                                         nodeRole=partial, subnets=net.private),
            eks.exceptions.InvalidParameterException, NODE_MESSAGE.format(missing))
    eks_trusting = make_role(aws, "chk-node-eks-trust", "eks.amazonaws.com")
    with pytest.raises(eks.exceptions.InvalidParameterException):
        eks.create_nodegroup(clusterName="chk-cluster", nodegroupName="ng",
                             nodeRole=eks_trusting, subnets=net.private)
    assert eks.list_nodegroups(clusterName="chk-cluster")["nodegroups"] == []


@pytest.mark.parametrize("scaling, message", [
    ({"minSize": 5, "maxSize": 9, "desiredSize": 2},
     "Minimum capacity 5 can't be greater than desired size 2"),
    ({"minSize": 1, "maxSize": 1, "desiredSize": 9},
     "Desired capacity 9 can't be greater than max size 1"),
])
def test_scaling_sizes(aws, net, cluster, scaling, message):
    eks = aws.client("eks")
    refused(lambda: eks.create_nodegroup(clusterName="chk-cluster", nodegroupName="ng",
                                         nodeRole=net.node_role, subnets=net.private,
                                         scalingConfig=scaling),
            eks.exceptions.InvalidParameterException, message)
    assert eks.list_nodegroups(clusterName="chk-cluster")["nodegroups"] == []


def test_instance_type_and_update_config(aws, net, cluster):
    eks = aws.client("eks")
    refused(lambda: eks.create_nodegroup(clusterName="chk-cluster", nodegroupName="ng",
                                         nodeRole=net.node_role, subnets=net.private,
                                         instanceTypes=["t9.gigantic"]),
            eks.exceptions.InvalidParameterException, "Instance type t9.gigantic is not supported")
    eks.create_nodegroup(clusterName="chk-cluster", nodegroupName="chk-ng",
                         nodeRole=net.node_role, subnets=net.private,
                         scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2})
    with pytest.raises(eks.exceptions.ResourceInUseException):    # still CREATING
        eks.update_nodegroup_config(clusterName="chk-cluster", nodegroupName="chk-ng",
                                    scalingConfig={"desiredSize": 3})
    eks.get_waiter("nodegroup_active").wait(clusterName="chk-cluster", nodegroupName="chk-ng")
    refused(lambda: eks.update_nodegroup_config(clusterName="chk-cluster",
                                                nodegroupName="chk-ng",
                                                scalingConfig={"desiredSize": 4}),
            eks.exceptions.InvalidParameterException,
            "Desired capacity 4 can't be greater than max size 3")
    ng = eks.describe_nodegroup(clusterName="chk-cluster", nodegroupName="chk-ng")["nodegroup"]
    assert ng["scalingConfig"] == {"minSize": 1, "maxSize": 3, "desiredSize": 2}
    eks.update_nodegroup_config(clusterName="chk-cluster", nodegroupName="chk-ng",
                                scalingConfig={"desiredSize": 3})
    ng = eks.describe_nodegroup(clusterName="chk-cluster", nodegroupName="chk-ng")["nodegroup"]
    assert ng["scalingConfig"]["desiredSize"] == 3
    # cleanup order: the cluster cannot go while the node group is attached (moto's check)
    with pytest.raises(eks.exceptions.ResourceInUseException):
        eks.delete_cluster(name="chk-cluster")
    assert "chk-cluster" in eks.list_clusters()["clusters"]


def test_nodegroup_on_a_creating_cluster(aws, net):
    eks = aws.client("eks")
    eks.create_cluster(name="chk-young", roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    refused(lambda: eks.create_nodegroup(clusterName="chk-young", nodegroupName="ng",
                                         nodeRole=net.node_role, subnets=net.private),
            eks.exceptions.InvalidRequestException, "Cluster 'chk-young' is not in ACTIVE status")
    assert eks.list_nodegroups(clusterName="chk-young")["nodegroups"] == []


def test_efs_security_group_in_the_mount_targets_vpc(aws, net):
    ec2, efs = aws.client("ec2"), aws.client("efs")
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])
    other = ec2.create_security_group(GroupName="chk-other-vpc", Description="x",
                                      VpcId=default_vpc["Vpcs"][0]["VpcId"])["GroupId"]
    fs = efs.create_file_system(CreationToken="chk-efs")["FileSystemId"]
    with pytest.raises(efs.exceptions.SecurityGroupNotFound) as caught:
        efs.create_mount_target(FileSystemId=fs, SubnetId=net.private[0], SecurityGroups=[other])
    assert net.vpc in caught.value.response["Error"]["Message"]
    assert efs.describe_mount_targets(FileSystemId=fs)["MountTargets"] == []
    # cleanup order: a file system with mount targets cannot be deleted (moto's check)
    ours = ec2.create_security_group(GroupName="chk-efs-sg", Description="x",
                                     VpcId=net.vpc)["GroupId"]
    efs.create_mount_target(FileSystemId=fs, SubnetId=net.private[0], SecurityGroups=[ours])
    with pytest.raises(efs.exceptions.FileSystemInUse):
        efs.delete_file_system(FileSystemId=fs)


def test_other_region_sees_nothing(aws, net, cluster):
    assert "chk-cluster" not in aws.client("eks", region="us-east-1").list_clusters()["clusters"]
