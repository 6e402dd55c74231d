"""The acceptance flow across both sides: two pods on two EKS nodes share EFS, once the
security group lets NFS in from the VPC."""
from __future__ import annotations

from tests.cloud.aws.conftest import active_cluster

EFS = """
apiVersion: v1
kind: PersistentVolume
metadata: {name: efs-pv}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteMany]
  storageClassName: efs-sc
  csi: {driver: efs.csi.aws.com, volumeHandle: HANDLE}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: efs-claim}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: efs-sc
  resources: {requests: {storage: 5Gi}}
"""
POD = """
apiVersion: v1
kind: Pod
metadata: {name: NAME}
spec:
  nodeName: NODE
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "sleep 3600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: efs-claim}}]
"""


def test_two_pods_on_two_nodes_share_efs_after_the_nfs_rule(aws, net):
    eks, ec2, efs = aws.client("eks"), aws.client("ec2"), aws.client("efs")
    active_cluster(aws, net, "e2e")
    eks.create_nodegroup(clusterName="e2e", nodegroupName="ng", nodeRole=net.node_role,
                         subnets=net.private,
                         scalingConfig={"minSize": 2, "maxSize": 2, "desiredSize": 2})
    eks.get_waiter("nodegroup_active").wait(clusterName="e2e", nodegroupName="ng")
    group = ec2.create_security_group(GroupName="e2e-efs", Description="EFS",
                                      VpcId=net.vpc)["GroupId"]
    fs = efs.create_file_system(CreationToken="e2e")["FileSystemId"]
    for subnet in net.private:
        efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[group])
    cluster = aws.cluster("e2e")
    eks.create_addon(clusterName="e2e", addonName="aws-efs-csi-driver")
    eks.get_waiter("addon_active").wait(clusterName="e2e", addonName="aws-efs-csi-driver")
    cluster.apply(EFS.replace("HANDLE", fs))
    nodes = [n["name"] for n in aws.bridge.nodes[("us-east-2", "e2e", "ng")]]
    for name, node in zip(("app1", "app2"), nodes):
        cluster.apply(POD.replace("NAME", name).replace("NODE", node))
    aws.advance(120)
    waiting = cluster.get("pod", "app1").status.containerStatuses[0].state.waiting
    assert waiting.reason == "ContainerCreating"
    assert "mount.nfs4: Connection timed out" in cluster.kubectl("describe pod app1").stdout
    ec2.authorize_security_group_ingress(GroupId=group, IpProtocol="tcp", FromPort=2049,
                                         ToPort=2049, CidrIp="192.168.0.0/16")
    aws.advance(300)
    assert [cluster.get("pod", p).status.phase for p in ("app1", "app2")] == ["Running"] * 2
    assert cluster.kubectl("exec app1 -- sh -c 'echo shared story > /data/story.txt'").ok
    assert cluster.kubectl("exec app2 -- cat /data/story.txt").stdout == "shared story\n"
