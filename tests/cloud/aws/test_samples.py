"""The EKS VPC template ships with kubelearn and moto can create it in any region."""
from __future__ import annotations

from pathlib import Path

import yaml

from kubelearn.cloud.aws import samples


def test_template_is_package_data_and_plain_yaml():
    body = Path(samples.EKS_VPC_TEMPLATE).read_text()
    template = yaml.safe_load(body)
    assert template["Resources"]["VPC"]["Properties"]["CidrBlock"] == {"Ref": "VpcBlock"}
    assert set(template["Outputs"]) == {"SubnetIds", "SecurityGroups", "VpcId"}
    kinds = [r["Type"] for r in template["Resources"].values()]
    assert kinds.count("AWS::EC2::Subnet") == 4 and kinds.count("AWS::EC2::NatGateway") == 2


def test_resolve_get_azs_forms():
    forms = ['"Fn::GetAZs": {"Ref": "AWS::Region"}', '"Fn::GetAZs": ""',
             "Fn::GetAZs:\n            Ref: AWS::Region", "Fn::GetAZs: ''",
             "Fn::GetAZs: {Ref: AWS::Region}", "!GetAZs ''", "!GetAZs !Ref AWS::Region"]
    for form in forms:
        resolved = samples.resolve_get_azs(form, "eu-west-1")
        assert "eu-west-1" in resolved and "AWS::Region" not in resolved, form
    assert "Ref: AWS::Region" not in samples.template_body("us-east-2")


def test_stack_in_two_azs_with_public_and_private_subnets(aws, net):
    ec2 = aws.client("ec2")
    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets(SubnetIds=net.subnets)["Subnets"]}
    assert {s["AvailabilityZone"] for s in subnets.values()} == {"us-east-2a", "us-east-2b"}
    assert [subnets[s]["MapPublicIpOnLaunch"] for s in net.subnets] == [True, True, False, False]
    assert [subnets[s]["CidrBlock"] for s in net.subnets] == [
        "192.168.0.0/18", "192.168.64.0/18", "192.168.128.0/18", "192.168.192.0/18"]
    routes = {}
    for table in ec2.describe_route_tables(Filters=[{"Name": "vpc-id",
                                                     "Values": [net.vpc]}])["RouteTables"]:
        for assoc in table["Associations"]:
            if assoc.get("SubnetId"):
                routes[assoc["SubnetId"]] = [r for r in table["Routes"]
                                             if r.get("DestinationCidrBlock") == "0.0.0.0/0"][0]
    assert all(routes[s]["GatewayId"].startswith("igw-") for s in net.public)
    assert all(routes[s]["NatGatewayId"].startswith("nat-") for s in net.private)


def test_learners_own_template_with_region_relative_get_azs(aws):
    body = ('{"Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": '
            '"10.9.0.0/16"}}, "S": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": '
            '{"Ref": "V"}, "CidrBlock": "10.9.0.0/24", "AvailabilityZone": {"Fn::Select": '
            '["1", {"Fn::GetAZs": {"Ref": "AWS::Region"}}]}}}}}')
    cfn, ec2 = aws.client("cloudformation"), aws.client("ec2")
    cfn.create_stack(StackName="own-template", TemplateBody=body)
    subnet = [r for r in cfn.list_stack_resources(StackName="own-template")
              ["StackResourceSummaries"] if r["LogicalResourceId"] == "S"][0]
    zone = ec2.describe_subnets(SubnetIds=[subnet["PhysicalResourceId"]])["Subnets"][0]
    assert zone["AvailabilityZone"] == "us-east-2b"
