"""EFS mounts need a mount target in the node's AZ and an NFS rule for the node."""
from __future__ import annotations

import pytest

from kubelearn.cloud.aws.efs_access import TIMED_OUT, dns_failure, file_system_id, mount_error


@pytest.fixture(scope="module")
def fs(aws, net):
    ec2, efs = aws.client("ec2"), aws.client("efs")
    nfs = ec2.create_security_group(GroupName="ea-nfs", Description="NFS", VpcId=net.vpc)
    ec2.authorize_security_group_ingress(GroupId=nfs["GroupId"], IpProtocol="tcp",
                                         FromPort=2049, ToPort=2049, CidrIp="192.168.0.0/16")
    closed = ec2.create_security_group(GroupName="ea-closed", Description="no NFS",
                                       VpcId=net.vpc)["GroupId"]
    open_fs = efs.create_file_system(CreationToken="ea-open")["FileSystemId"]
    efs.create_mount_target(FileSystemId=open_fs, SubnetId=net.private[0],   # us-east-2a only
                            SecurityGroups=[nfs["GroupId"]])
    closed_fs = efs.create_file_system(CreationToken="ea-closed")["FileSystemId"]
    for subnet in net.private:
        efs.create_mount_target(FileSystemId=closed_fs, SubnetId=subnet, SecurityGroups=[closed])
    return open_fs, closed_fs


def test_volume_handles():
    assert file_system_id("fs-12ab") == "fs-12ab"
    assert file_system_id("fs-12ab::fsap-99") == "fs-12ab"
    assert file_system_id("fs-12ab:/shared") == "fs-12ab"


def test_mount_target_in_zone_with_nfs_rule_mounts(aws, fs):
    open_fs, _ = fs
    assert mount_error(aws, open_fs, zone="us-east-2a", ip="192.168.130.7") is None
    assert mount_error(aws, f"{open_fs}::fsap-1", zone="us-east-2a", ip="192.168.130.7") is None


def test_no_mount_target_in_the_nodes_zone(aws, fs):
    open_fs, _ = fs
    assert mount_error(aws, open_fs, zone="us-east-2b", ip="192.168.200.9") == \
        dns_failure(open_fs, "us-east-2")


def test_no_nfs_rule_times_out(aws, fs):
    _, closed_fs = fs
    assert mount_error(aws, closed_fs, zone="us-east-2b", ip="192.168.200.9") == TIMED_OUT
    open_fs, _ = fs
    assert mount_error(aws, open_fs, zone="us-east-2a", ip="10.1.2.3") == TIMED_OUT   # not in CIDR


def test_wrong_volume_handle(aws, fs):
    assert mount_error(aws, "fs-00000000", zone="us-east-2a", ip="192.168.130.7") == \
        dns_failure("fs-00000000", "us-east-2")
