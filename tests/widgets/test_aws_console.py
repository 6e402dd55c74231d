"""The AWS console widget: forms call the hooked boto3 clients, errors as the CLI prints them."""
from __future__ import annotations

import pytest

from kubelearn.widgets.aws_console import AWSConsole
from tests.cloud.aws.conftest import NODE_POLICIES, aws, make_role  # noqa: F401

POLICY = "arn:aws:iam::aws:policy/"


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
    return LocalNet(aws, "con-net")


@pytest.fixture(scope="module")
def console(aws):
    return aws.console()


def test_console_has_the_tabs_and_clock(console, aws):
    assert isinstance(console, AWSConsole)
    assert [s.title for s in console.sections] == ["IAM roles", "CloudFormation", "EKS", "VPC",
                                                   "EFS", "Diagram"]
    assert "kubelearn-aws-console" in console._dom_classes
    start = aws.now
    console.clock.step(60)
    assert aws.now == start + 60
    assert f"t={aws.now:g}s" in console.clock.time_label.value


def test_create_role_and_attach_policy_from_forms(console, aws):
    iam = console.show("IAM roles")
    iam.role_name.value, iam.trusted.value = "con-nodeRole", "ec2"
    iam.create_button.click()
    assert console.last_result.exit_code == 0
    assert "$ aws iam create-role --role-name con-nodeRole" in console.output.value
    role = aws.client("iam").get_role(RoleName="con-nodeRole")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"] == \
        "ec2.amazonaws.com"
    assert "✗ missing AmazonEKS_CNI_Policy" in iam.tables.value
    iam.attach_role.value, iam.policy.value = "con-nodeRole", "AmazonEKSWorkerNodePolicy"
    iam.attach_button.click()
    attached = aws.client("iam").list_attached_role_policies(
        RoleName="con-nodeRole")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonEKSWorkerNodePolicy"]
    assert "✓ AmazonEKSWorkerNodePolicy" in iam.tables.value
    iam.create_button.click()                     # again: the name is taken
    assert console.last_result.exit_code == 254
    assert "An error occurred (EntityAlreadyExists) when calling the CreateRole operation" in \
        console.last_result.stderr


def test_stack_tab_creates_the_sample_stack(console, aws):
    tab = console.show("CloudFormation")
    tab.stack_name.value = "con-stack"
    tab.create_button.click()
    assert console.last_result.exit_code == 0, console.last_result.stderr
    assert "--template-body file://" in console.last_command
    stack = aws.client("cloudformation").describe_stacks(StackName="con-stack")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert 'data-key="con-stack/SubnetIds"' in tab.tables.value
    assert "con-stack: events" in tab.tables.value


def test_cluster_then_failing_nodegroup_then_working_one(console, aws, net):
    eks_tab = console.show("EKS")
    eks_tab.cluster_name.value = "con-cluster"
    eks_tab.cluster_role.value = net.cluster_role
    eks_tab.cluster_subnets.value = tuple(net.subnets)
    eks_tab.create_cluster_button.click()
    assert console.last_result.exit_code == 0, console.last_result.stderr
    assert console.last_command.startswith("aws eks create-cluster --name con-cluster "
                                           "--role-arn ")
    assert "CREATING" in eks_tab.tables.value
    console.clock.step(600)
    assert aws.client("eks").describe_cluster(name="con-cluster")["cluster"]["status"] == "ACTIVE"
    assert 'kubelearn-ok">ACTIVE<' in eks_tab.tables.value
    # a node role with one policy of three: EKS refuses, nothing changes
    weak = make_role(aws, "con-weakNodeRole", "ec2.amazonaws.com", NODE_POLICIES[:1])
    console.refresh()                 # what the kernel does after a cell
    eks_tab.ng_cluster.value = "con-cluster"
    eks_tab.ng_name.value = "con-nodes"
    eks_tab.ng_role.value = weak
    eks_tab.ng_subnets.value = tuple(net.private)
    eks_tab.create_ng_button.click()
    assert console.last_result.exit_code == 254
    assert console.last_result.stderr.startswith(
        "\nAn error occurred (InvalidParameterException) when calling the CreateNodegroup "
        "operation: The provided role doesn't have the Amazon EKS Managed Policies")
    assert "An error occurred (InvalidParameterException)" in console.output.value
    cli = aws.cli(console.last_command)                 # the CLI line fails the same way
    assert cli.stderr == console.last_result.stderr
    assert aws.client("eks").list_nodegroups(clusterName="con-cluster")["nodegroups"] == []
    eks_tab.ng_role.value = net.node_role
    eks_tab.create_ng_button.click()
    assert console.last_result.exit_code == 0, console.last_result.stderr
    console.clock.step(180)
    ng = aws.client("eks").describe_nodegroup(clusterName="con-cluster",
                                              nodegroupName="con-nodes")["nodegroup"]
    assert ng["status"] == "ACTIVE"
    assert len(aws.cluster("con-cluster").api.list("Node")) == 2
    eks_tab.scale_target.value = "con-cluster/con-nodes"
    eks_tab.scale_desired.value = 3
    eks_tab.scale_button.click()
    assert console.last_result.exit_code == 0, console.last_result.stderr
    ng = aws.client("eks").describe_nodegroup(clusterName="con-cluster",
                                              nodegroupName="con-nodes")["nodegroup"]
    assert ng["scalingConfig"]["desiredSize"] == 3


def test_security_group_nfs_rule_and_efs(console, aws, net):
    vpc_tab = console.show("VPC")
    vpc_tab.vpc.value = net.vpc
    vpc_tab.group_name.value = "con-efs"
    vpc_tab.create_button.click()
    assert console.last_result.exit_code == 0, console.last_result.stderr
    group = next(g for g in aws.client("ec2").describe_security_groups()["SecurityGroups"]
                 if g["GroupName"] == "con-efs")
    vpc_tab.rule_group.value = group["GroupId"]
    vpc_tab.nfs_button.click()
    assert console.last_command.endswith("--protocol tcp --port 2049 --cidr 192.168.0.0/16")
    rules = aws.client("ec2").describe_security_groups(
        GroupIds=[group["GroupId"]])["SecurityGroups"][0]["IpPermissions"]
    assert (rules[0]["FromPort"], rules[0]["IpRanges"][0]["CidrIp"]) == (2049, "192.168.0.0/16")
    assert "tcp 2049 from 192.168.0.0/16" in vpc_tab.tables.value
    efs_tab = console.show("EFS")
    efs_tab.token.value = "con-efs"
    efs_tab.create_button.click()
    fs = console.last_result.stdout.split('"FileSystemId": "')[1].split('"')[0]
    efs_tab.redraw()
    efs_tab.fs.value = fs
    efs_tab.group.value = group["GroupId"]
    for subnet in net.private:
        efs_tab.subnet.value = subnet
        efs_tab.mount_button.click()
        assert console.last_result.exit_code == 0, console.last_result.stderr
    targets = aws.client("efs").describe_mount_targets(FileSystemId=fs)["MountTargets"]
    assert sorted(t["AvailabilityZoneName"] for t in targets) == ["us-east-2a", "us-east-2b"]
    assert f"{fs}: mount targets per AZ" in efs_tab.tables.value
    # a mount target in a subnet that has one already: the AWS error, nothing new
    efs_tab.mount_button.click()
    assert "An error occurred (MountTargetConflict) when calling the CreateMountTarget " \
        "operation" in console.last_result.stderr
    assert len(aws.client("efs").describe_mount_targets(FileSystemId=fs)["MountTargets"]) == 2


def test_diagram_tab_shows_svg(console):
    tab = console.show("Diagram")
    assert tab.tables.value.lstrip().startswith(("<?xml", "<svg"))
    # the account's title is always there (what else is drawn depends on which tests
    # of this worker built clusters before)
    assert "AWS account 123456789012" in tab.tables.value


def test_rendering_is_deterministic(console, aws):
    first = AWSConsole(aws)
    second = AWSConsole(aws)
    for title in ("IAM roles", "CloudFormation", "EKS", "VPC", "EFS"):
        assert first.show(title).tables.value == second.show(title).tables.value
