"""EKS add-ons (``kubelearn.cloud.aws.addons``): what moto 5.2.5 does not implement —
create/describe/list/delete with AWS's shapes, CREATING then ACTIVE on the simulated
clock, AWS's errors, and the driver the add-on installs on the Kubernetes side."""
from __future__ import annotations

import json
import re

import pytest
from botocore.exceptions import ClientError

from kubelearn.cloud.aws.addons import ADDON_CREATE_SECONDS, ADDON_DELETE_SECONDS
from kubelearn.node.volumes import EBS_CSI, EFS_CSI, storage_of
from tests.cloud.aws.conftest import active_cluster
from tests.cloud.aws.test_end_to_end import EFS, POD

EFS_ADDON = "aws-efs-csi-driver"


def error_of(call, **kwargs) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    err = raised.value.response
    return err["Error"]["Code"], err["Error"]["Message"], err["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture(scope="module")
def cluster(aws, net):
    active_cluster(aws, net, "addons")
    return "addons"


def test_create_then_active_after_a_minute_then_delete(aws, cluster):
    eks = aws.client("eks")
    created = eks.create_addon(clusterName=cluster, addonName=EFS_ADDON,
                               tags={"team": "course"})["addon"]
    assert created["addonName"] == EFS_ADDON and created["clusterName"] == cluster
    assert created["status"] == "CREATING"
    assert re.fullmatch(r"v2\.1\.\d+-eksbuild\.\d+", created["addonVersion"])
    assert re.fullmatch(rf"arn:aws:eks:us-east-2:123456789012:addon/{cluster}/{EFS_ADDON}/"
                        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                        created["addonArn"])
    assert created["health"] == {"issues": []} and created["tags"] == {"team": "course"}
    assert eks.list_addons(clusterName=cluster)["addons"] == [EFS_ADDON]
    aws.advance(ADDON_CREATE_SECONDS - 1)
    assert eks.describe_addon(clusterName=cluster,
                              addonName=EFS_ADDON)["addon"]["status"] == "CREATING"
    aws.advance(1)
    active = eks.describe_addon(clusterName=cluster, addonName=EFS_ADDON)["addon"]
    assert active["status"] == "ACTIVE" and active["addonArn"] == created["addonArn"]
    assert (active["modifiedAt"] - active["createdAt"]).total_seconds() == ADDON_CREATE_SECONDS
    assert EFS_CSI in storage_of(aws.cluster(cluster)).csi
    assert eks.delete_addon(clusterName=cluster, addonName=EFS_ADDON)["addon"]["status"] \
        == "DELETING"
    start = aws.now
    eks.get_waiter("addon_deleted").wait(clusterName=cluster, addonName=EFS_ADDON)
    assert aws.now - start >= ADDON_DELETE_SECONDS
    assert eks.list_addons(clusterName=cluster)["addons"] == []
    assert EFS_CSI not in storage_of(aws.cluster(cluster)).csi
    code, message, status = error_of(eks.describe_addon, clusterName=cluster,
                                     addonName=EFS_ADDON)
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert message == f"No addon: {EFS_ADDON} found in cluster: {cluster}"


def test_waiter_moves_simulated_time(aws, cluster):
    eks = aws.client("eks")
    eks.create_addon(clusterName=cluster, addonName="coredns")
    start = aws.now
    eks.get_waiter("addon_active").wait(clusterName=cluster, addonName="coredns")
    assert ADDON_CREATE_SECONDS <= aws.now - start < ADDON_CREATE_SECONDS + 11
    addon = eks.describe_addon(clusterName=cluster, addonName="coredns")["addon"]
    assert addon["status"] == "ACTIVE"
    assert addon["addonVersion"].startswith("v1.11.")


def test_the_ebs_add_on_registers_the_ebs_driver(aws, cluster):
    eks = aws.client("eks")
    role = "arn:aws:iam::123456789012:role/AmazonEKS_EBS_CSI_DriverRole"
    addon = eks.create_addon(clusterName=cluster, addonName="aws-ebs-csi-driver",
                             serviceAccountRoleArn=role)["addon"]
    assert addon["serviceAccountRoleArn"] == role
    assert EBS_CSI not in storage_of(aws.cluster(cluster)).csi
    eks.get_waiter("addon_active").wait(clusterName=cluster, addonName="aws-ebs-csi-driver")
    assert EBS_CSI in storage_of(aws.cluster(cluster)).csi


def test_cli_create_describe_wait_list(aws, cluster):
    out = aws.cli(f"eks create-addon --cluster-name {cluster} --addon-name kube-proxy")
    assert out.exit_code == 0, out.stderr
    created = json.loads(out.stdout)["addon"]
    assert created["status"] == "CREATING" and created["createdAt"].startswith("2025-")
    assert re.fullmatch(r"v1\.\d+\.\d+-eksbuild\.\d+", created["addonVersion"])
    wait = aws(f"eks wait addon-active --cluster-name {cluster} --addon-name kube-proxy")
    assert (wait.exit_code, wait.stdout) == (0, "")
    status = aws.cli(f"eks describe-addon --cluster-name {cluster} --addon-name kube-proxy "
                     "--query addon.status --output text")
    assert status.stdout == "ACTIVE\n"
    listed = aws.cli(f"eks list-addons --cluster-name {cluster} --output json")
    assert "kube-proxy" in json.loads(listed.stdout)["addons"]
    versions = aws.cli("eks describe-addon-versions --addon-name aws-efs-csi-driver "
                       "--kubernetes-version 1.32 --query addons[0].addonVersions[0].addonVersion "
                       "--output text")
    assert re.fullmatch(r"v2\.1\.\d+-eksbuild\.\d+\n", versions.stdout)


def test_errors_leave_the_add_ons_as_they_were(aws, net, cluster):
    eks = aws.client("eks")
    eks.create_addon(clusterName=cluster, addonName="vpc-cni")
    before = eks.list_addons(clusterName=cluster)["addons"]
    records = {k: dict(v) for k, v in aws.addons.records.items()}
    assert error_of(eks.create_addon, clusterName=cluster, addonName="vpc-cni") == (
        "ResourceInUseException", "Addon already exists.", 409)
    assert error_of(eks.create_addon, clusterName=cluster, addonName="cert-manager") == (
        "InvalidParameterException", "Addon specified is not supported", 400)
    assert error_of(eks.create_addon, clusterName=cluster, addonName="aws-efs-csi-driver",
                    addonVersion="v0.1.0-eksbuild.1") == (
        "InvalidParameterException", "Addon version specified is not supported", 400)
    assert error_of(eks.create_addon, clusterName="no-such", addonName="vpc-cni") == (
        "ResourceNotFoundException", "No cluster found for name: no-such.", 404)
    assert error_of(eks.list_addons, clusterName="no-such")[0] == "ResourceNotFoundException"
    assert error_of(eks.delete_addon, clusterName=cluster,
                    addonName="aws-ebs-csi-driver-x")[0] == "ResourceNotFoundException"
    eks.create_cluster(name="addons-creating", roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    code, message, _ = error_of(eks.create_addon, clusterName="addons-creating",
                                addonName="vpc-cni")
    assert code == "InvalidRequestException" and "CREATING" in message
    assert eks.list_addons(clusterName="addons-creating")["addons"] == []
    assert eks.list_addons(clusterName=cluster)["addons"] == before
    assert {k: dict(v) for k, v in aws.addons.records.items()} == records
    cli = aws.cli(f"eks create-addon --cluster-name {cluster} --addon-name vpc-cni")
    assert cli.exit_code == 254
    assert cli.stderr == ("\nAn error occurred (ResourceInUseException) when calling the "
                          "CreateAddon operation: Addon already exists.\n")
    eks.get_waiter("cluster_active").wait(name="addons-creating")
    eks.delete_cluster(name="addons-creating")


def test_efs_pod_waits_for_the_driver_until_the_add_on_is_active(aws, net):
    eks, ec2, efs = aws.client("eks"), aws.client("ec2"), aws.client("efs")
    active_cluster(aws, net, "addons-efs")
    eks.create_nodegroup(clusterName="addons-efs", nodegroupName="ng", nodeRole=net.node_role,
                         subnets=net.private,
                         scalingConfig={"minSize": 1, "maxSize": 1, "desiredSize": 1})
    eks.get_waiter("nodegroup_active").wait(clusterName="addons-efs", nodegroupName="ng")
    group = ec2.create_security_group(GroupName="addons-efs", Description="EFS",
                                      VpcId=net.vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpProtocol="tcp", FromPort=2049,
                                         ToPort=2049, CidrIp="192.168.0.0/16")
    fs = efs.create_file_system(CreationToken="addons-efs")["FileSystemId"]
    for subnet in net.private:
        efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[group])
    cluster = aws.cluster("addons-efs")
    cluster.apply(EFS.replace("HANDLE", fs))
    node = aws.bridge.nodes[("us-east-2", "addons-efs", "ng")][0]["name"]
    cluster.apply(POD.replace("NAME", "app").replace("NODE", node))
    aws.advance(60)
    waiting = cluster.get("pod", "app").status.containerStatuses[0].state.waiting
    assert waiting.reason == "ContainerCreating"
    described = cluster.kubectl("describe pod app").stdout
    assert "FailedMount" in described
    assert "driver name efs.csi.aws.com not found in the list of registered CSI drivers" \
        in described
    eks.create_addon(clusterName="addons-efs", addonName=EFS_ADDON)
    aws.advance(ADDON_CREATE_SECONDS - 1)
    assert cluster.get("pod", "app").status.phase == "Pending"
    eks.get_waiter("addon_active").wait(clusterName="addons-efs", addonName=EFS_ADDON)
    aws.advance(180)
    assert cluster.get("pod", "app").status.phase == "Running"
    assert cluster.kubectl("exec app -- sh -c 'echo hi > /data/x && cat /data/x'").stdout \
        == "hi\n"


def test_deleting_the_cluster_forgets_its_add_ons(aws, net):
    eks = aws.client("eks")
    active_cluster(aws, net, "addons-gone")
    eks.create_addon(clusterName="addons-gone", addonName="coredns")
    eks.delete_cluster(name="addons-gone")
    assert not [k for k in aws.addons.records if k[1] == "addons-gone"]
