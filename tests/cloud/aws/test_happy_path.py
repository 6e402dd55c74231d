"""The notes' EKS walk-through, AWS side: once through boto3, once through ``aws``."""
from __future__ import annotations

import json

from tests.cloud.aws.conftest import NODE_POLICIES, POLICY, trust


def test_walkthrough_with_boto3(aws, tmp_path, monkeypatch):
    monkeypatch.setenv("KUBELEARN_HOME", str(tmp_path))
    iam, cfn, eks, ec2, efs = (aws.client(n) for n in ("iam", "cloudformation", "eks", "ec2",
                                                       "efs"))
    role = iam.create_role(RoleName="hp-eksClusterRole",
                           AssumeRolePolicyDocument=trust("eks.amazonaws.com"))["Role"]["Arn"]
    iam.attach_role_policy(RoleName="hp-eksClusterRole", PolicyArn=POLICY + "AmazonEKSClusterPolicy")
    cfn.create_stack(StackName="hp-vpc", TemplateBody=aws.samples.template_body())
    cfn.get_waiter("stack_create_complete").wait(StackName="hp-vpc")
    outputs = {o["OutputKey"]: o["OutputValue"]
               for o in cfn.describe_stacks(StackName="hp-vpc")["Stacks"][0]["Outputs"]}
    subnets = outputs["SubnetIds"].split(",")
    eks.create_cluster(name="hp-cluster", roleArn=role, version="1.32",
                       resourcesVpcConfig={"subnetIds": subnets,
                                           "securityGroupIds": [outputs["SecurityGroups"]]})
    eks.get_waiter("cluster_active").wait(name="hp-cluster")
    assert "Added new context" in aws.cli("eks update-kubeconfig --name hp-cluster").stdout
    node_role = iam.create_role(RoleName="hp-eksNodeRole",
                                AssumeRolePolicyDocument=trust("ec2.amazonaws.com"))["Role"]["Arn"]
    for policy in NODE_POLICIES:
        iam.attach_role_policy(RoleName="hp-eksNodeRole", PolicyArn=POLICY + policy)
    eks.create_nodegroup(clusterName="hp-cluster", nodegroupName="hp-nodes", nodeRole=node_role,
                         subnets=subnets[2:], instanceTypes=["t3.medium"],
                         scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2})
    eks.get_waiter("nodegroup_active").wait(clusterName="hp-cluster", nodegroupName="hp-nodes")
    group = ec2.create_security_group(GroupName="hp-efs-nfs", Description="NFS from the VPC",
                                      VpcId=outputs["VpcId"])["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
        "IpRanges": [{"CidrIp": "192.168.0.0/16"}]}])
    fs = efs.create_file_system(CreationToken="hp-efs")["FileSystemId"]
    for subnet in subnets[2:]:
        efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[group])
    targets = efs.describe_mount_targets(FileSystemId=fs)["MountTargets"]
    assert sorted(t["AvailabilityZoneName"] for t in targets) == ["us-east-2a", "us-east-2b"]
    assert eks.describe_nodegroup(clusterName="hp-cluster",
                                  nodegroupName="hp-nodes")["nodegroup"]["status"] == "ACTIVE"
    # cleanup, in the order AWS allows
    for target in targets:
        efs.delete_mount_target(MountTargetId=target["MountTargetId"])
    efs.delete_file_system(FileSystemId=fs)
    eks.delete_nodegroup(clusterName="hp-cluster", nodegroupName="hp-nodes")
    eks.delete_cluster(name="hp-cluster")
    ec2.delete_security_group(GroupId=group)
    # (the stack itself is not deleted: moto 5.2.5 cannot delete this template's VPC)
    assert "hp-cluster" not in eks.list_clusters()["clusters"]


def test_walkthrough_with_the_aws_command_line(aws, tmp_path, monkeypatch):
    monkeypatch.setenv("KUBELEARN_HOME", str(tmp_path))
    (tmp_path / "cluster-trust.json").write_text(trust("eks.amazonaws.com"))
    (tmp_path / "node-trust.json").write_text(trust("ec2.amazonaws.com"))

    def ok(command: str) -> str:
        result = aws.cli(command)
        assert result.exit_code == 0, (command, result.stderr)
        return result.stdout

    ok("configure set region us-east-2")
    ok("configure set output json")
    ok(f"iam create-role --role-name cl-eksClusterRole --assume-role-policy-document "
       f"file://{tmp_path}/cluster-trust.json")
    ok(f"iam attach-role-policy --role-name cl-eksClusterRole --policy-arn "
       f"{POLICY}AmazonEKSClusterPolicy")
    ok(f"cloudformation create-stack --stack-name cl-vpc --template-body "
       f"file://{aws.samples.EKS_VPC_TEMPLATE}")
    ok("cloudformation wait stack-create-complete --stack-name cl-vpc")
    outputs = json.loads(ok("cloudformation describe-stacks --stack-name cl-vpc "
                            "--query 'Stacks[0].Outputs'"))
    out = {o["OutputKey"]: o["OutputValue"] for o in outputs}
    role = ok("iam get-role --role-name cl-eksClusterRole --query Role.Arn --output text").strip()
    ok(f"eks create-cluster --name cl-cluster --role-arn {role} --resources-vpc-config "
       f"subnetIds={out['SubnetIds']},securityGroupIds={out['SecurityGroups']}")
    assert ok("eks describe-cluster --name cl-cluster --query cluster.status") == '"CREATING"\n'
    ok("eks wait cluster-active --name cl-cluster")
    assert ok("eks list-clusters --query \"clusters[?@=='cl-cluster']\" --output text") == \
        "cl-cluster\n"
    assert ok("eks update-kubeconfig --name cl-cluster").startswith("Added new context ")
    ok(f"iam create-role --role-name cl-eksNodeRole --assume-role-policy-document "
       f"file://{tmp_path}/node-trust.json")
    for policy in NODE_POLICIES:
        ok(f"iam attach-role-policy --role-name cl-eksNodeRole --policy-arn {POLICY}{policy}")
    attached = ok("iam list-attached-role-policies --role-name cl-eksNodeRole "
                  "--query 'AttachedPolicies[].PolicyName' --output text")
    assert sorted(attached.split()) == sorted(NODE_POLICIES)
    node_role = ok("iam get-role --role-name cl-eksNodeRole --query Role.Arn --output text")
    private = out["SubnetIds"].split(",")[2:]
    ok(f"eks create-nodegroup --cluster-name cl-cluster --nodegroup-name cl-nodes "
       f"--node-role {node_role.strip()} --subnets {' '.join(private)} --instance-types t3.medium "
       f"--scaling-config minSize=1,maxSize=3,desiredSize=2")
    ok("eks wait nodegroup-active --cluster-name cl-cluster --nodegroup-name cl-nodes")
    ok("eks update-nodegroup-config --cluster-name cl-cluster --nodegroup-name cl-nodes "
       "--scaling-config desiredSize=3")
    assert ok("eks describe-nodegroup --cluster-name cl-cluster --nodegroup-name cl-nodes "
              "--query nodegroup.scalingConfig.desiredSize") == "3\n"
    group = ok(f"ec2 create-security-group --group-name cl-efs --description 'EFS NFS' "
               f"--vpc-id {out['VpcId']} --query GroupId --output text").strip()
    ok(f"ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port 2049 "
       f"--cidr 192.168.0.0/16")
    rules = json.loads(ok(f"ec2 describe-security-groups --group-ids {group} "
                          "--query 'SecurityGroups[0].IpPermissions[0]'"))
    assert (rules["FromPort"], rules["IpRanges"][0]["CidrIp"]) == (2049, "192.168.0.0/16")
    fs = ok("efs create-file-system --creation-token cl-efs --query FileSystemId "
            "--output text").strip()
    for subnet in private:
        ok(f"efs create-mount-target --file-system-id {fs} --subnet-id {subnet} "
           f"--security-groups {group}")
    assert ok(f"efs describe-mount-targets --file-system-id {fs} "
              "--query 'length(MountTargets)'") == "2\n"
    assert ok("efs describe-file-systems --query "
              f"\"FileSystems[?FileSystemId=='{fs}'].LifeCycleState\" --output text") == \
        "available\n"
    in_use = aws.cli(f"efs delete-file-system --file-system-id {fs}")
    assert in_use.exit_code == 254 and "FileSystemInUse" in in_use.stderr
    for target in ok(f"efs describe-mount-targets --file-system-id {fs} --query "
                     "'MountTargets[].MountTargetId' --output text").split():
        ok(f"efs delete-mount-target --mount-target-id {target}")
    ok(f"efs delete-file-system --file-system-id {fs}")
    ok("cloudformation delete-stack --stack-name cl-vpc")       # AWS answers at once, then
    assert ok("cloudformation describe-stacks --stack-name cl-vpc --query "    # fails
              "'Stacks[0].[StackStatus,StackStatusReason]' --output text") == \
        "DELETE_FAILED\tThe following resource(s) failed to delete: [VPC]. \n"
    busy = aws.cli("eks delete-cluster --name cl-cluster")
    assert busy.exit_code == 254 and "ResourceInUseException" in busy.stderr
    assert ok("eks delete-nodegroup --cluster-name cl-cluster --nodegroup-name cl-nodes "
              "--query nodegroup.status") == '"DELETING"\n'
    assert ok("eks delete-cluster --name cl-cluster --query cluster.status") == '"DELETING"\n'
    ok(f"ec2 delete-security-group --group-id {group}")
    assert aws.cleanup.dependencies("us-east-2", "cl-vpc") == {}
    # (the stack itself is not deleted: moto 5.2.5 cannot delete this template's VPC)
