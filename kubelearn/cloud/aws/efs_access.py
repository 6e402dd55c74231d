"""Can a node mount an EFS file system? Decided from the account, through boto3.

A pod's EFS volume mounts on node N (availability zone Z, IP address A) only if
the file system has a mount target in Z — the file system's DNS name resolves to
the mount target of the client's zone — and one of that mount target's security
groups lets TCP 2049 (NFS) in from A (a CIDR that holds A, or all traffic).
``mount_error`` gives None when the mount works, otherwise the mount helper's
output, as the EFS CSI driver reports it in the pod's ``FailedMount`` event:
a name that does not resolve, or ``mount.nfs4: Connection timed out``. It is
what the Kubernetes side's EFS gate (``kubelearn.cloud.eks.set_efs_gate``) asks.
"""
from __future__ import annotations

import ipaddress

NFS_PORT = 2049
TIMED_OUT = "mount.nfs4: Connection timed out"


def file_system_id(volume_handle: str) -> str:
    """``fs-1234``, ``fs-1234::fsap-5678`` and ``fs-1234:/sub/dir`` all name ``fs-1234``."""
    return volume_handle.split(":", 1)[0]


def dns_failure(fs_id: str, region: str) -> str:
    return (f'Failed to resolve "{fs_id}.efs.{region}.amazonaws.com" - check that your file '
            "system ID is correct, and ensure that the VPC has an EFS mount target for this "
            "file system ID.\nSee https://docs.aws.amazon.com/console/efs/mount-dns-name for "
            "more detail.")


def allows_nfs_from(group: dict, ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    for rule in group.get("IpPermissions", []):
        protocol = rule.get("IpProtocol")
        if protocol not in ("tcp", "6", "-1"):
            continue
        if protocol != "-1" and not (rule.get("FromPort", 0) <= NFS_PORT <= rule.get("ToPort", -1)):
            continue
        for cidr in rule.get("IpRanges", []):
            if address in ipaddress.ip_network(cidr["CidrIp"], strict=False):
                return True
    return False


def mount_error(aws, volume_handle: str, *, zone: str, ip: str,
                region: str | None = None) -> str | None:
    region = region or aws.region
    fs_id = file_system_id(volume_handle)
    efs, ec2 = aws.plain("efs", region), aws.plain("ec2", region)
    try:
        targets = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
    except efs.exceptions.ClientError:
        return dns_failure(fs_id, region)              # no such file system
    in_zone = [t for t in targets if t.get("AvailabilityZoneName") == zone]
    if not in_zone:
        return dns_failure(fs_id, region)
    for target in in_zone:
        groups = efs.describe_mount_target_security_groups(
            MountTargetId=target["MountTargetId"])["SecurityGroups"]
        described = ec2.describe_security_groups(GroupIds=groups)["SecurityGroups"] if groups else []
        if any(allows_nfs_from(group, ip) for group in described):
            return None
    return TIMED_OUT
