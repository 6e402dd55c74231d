"""An ACTIVE EKS cluster is a kubelearn cluster; update-kubeconfig gives it a context."""
from __future__ import annotations

import pytest

from kubelearn.contexts import kubeconfig
from kubelearn.magics import kubectl_magic
import kubelearn.magics as magics


def test_cluster_appears_when_active_and_follows_the_clock(aws, net):
    eks = aws.client("eks")
    eks.create_cluster(name="br-a", roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    with pytest.raises(KeyError, match="it is CREATING"):
        aws.cluster("br-a")
    eks.get_waiter("cluster_active").wait(name="br-a")
    cluster = aws.cluster("br-a")
    assert cluster.name == "br-a" and cluster.now == aws.now
    aws.advance(45)
    assert cluster.now == aws.now


def test_update_kubeconfig_adds_the_context_beside_minikube(aws, net, tmp_path, monkeypatch):
    from kubelearn import Cluster

    monkeypatch.setenv("KUBELEARN_HOME", str(tmp_path))
    minikube = Cluster.minikube()
    eks = aws.client("eks")
    eks.create_cluster(name="br-kc", roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    aws.cli("eks wait cluster-active --name br-kc")
    arn = "arn:aws:eks:us-east-2:123456789012:cluster/br-kc"
    assert kubeconfig().get(arn) is None                 # no context before update-kubeconfig
    assert aws.cli("eks update-kubeconfig --name br-kc").exit_code == 0
    assert kubeconfig().current == arn
    assert kubeconfig().cluster() is aws.cluster("br-kc")
    contexts = minikube.kubectl("config get-contexts").stdout
    assert arn in contexts and "minikube" in contexts
    kubectl_magic("get nodes")
    assert magics.last_result.stderr == "No resources found\n" or \
        magics.last_result.stdout == "No resources found\n"


def _nodes(cluster) -> dict:
    return {n["metadata"]["name"]: n for n in cluster.api.store.list("Node")}


def test_nodegroup_nodes_resize_and_drain(aws, net):
    eks = aws.client("eks")
    eks.create_cluster(name="br-ng", roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    eks.get_waiter("cluster_active").wait(name="br-ng")
    cluster = aws.cluster("br-ng")
    eks.create_nodegroup(clusterName="br-ng", nodegroupName="workers", nodeRole=net.node_role,
                         subnets=net.private, instanceTypes=["t3.medium"],
                         scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2},
                         labels={"role": "web"})
    assert _nodes(cluster) == {}
    eks.get_waiter("nodegroup_active").wait(clusterName="br-ng", nodegroupName="workers")
    nodes = _nodes(cluster)
    assert len(nodes) == 2
    zones = sorted(n["metadata"]["labels"]["topology.kubernetes.io/zone"] for n in nodes.values())
    assert zones == ["us-east-2a", "us-east-2b"]
    for name, node in nodes.items():
        assert name.startswith("ip-192-168-") and name.endswith(".us-east-2.compute.internal")
        assert node["metadata"]["labels"]["eks.amazonaws.com/nodegroup"] == "workers"
        assert node["metadata"]["labels"]["role"] == "web"
        ip = [a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP"][0]
        assert name == f"ip-{ip.replace('.', '-')}.us-east-2.compute.internal"
        assert ip.startswith(("192.168.1", "192.168.2"))          # the private /18s
    eks.update_nodegroup_config(clusterName="br-ng", nodegroupName="workers",
                                scalingConfig={"desiredSize": 3})
    assert len(_nodes(cluster)) == 3
    eks.update_nodegroup_config(clusterName="br-ng", nodegroupName="workers",
                                scalingConfig={"desiredSize": 1})
    aws.advance(60)
    assert len(_nodes(cluster)) == 1
    eks.delete_nodegroup(clusterName="br-ng", nodegroupName="workers")
    aws.advance(60)
    assert _nodes(cluster) == {}


def test_efs_gate_asks_the_account(aws, net):
    eks, ec2, efs = aws.client("eks"), aws.client("ec2"), aws.client("efs")
    eks.create_cluster(name="br-efs", roleArn=net.cluster_role,
                       resourcesVpcConfig={"subnetIds": net.subnets})
    eks.get_waiter("cluster_active").wait(name="br-efs")
    eks.create_nodegroup(clusterName="br-efs", nodegroupName="ng", nodeRole=net.node_role,
                         subnets=net.private,
                         scalingConfig={"minSize": 2, "maxSize": 2, "desiredSize": 2})
    eks.get_waiter("nodegroup_active").wait(clusterName="br-efs", nodegroupName="ng")
    group = ec2.create_security_group(GroupName="br-efs-sg", Description="x",
                                      VpcId=net.vpc)["GroupId"]
    fs = efs.create_file_system(CreationToken="br-efs")["FileSystemId"]
    efs.create_mount_target(FileSystemId=fs, SubnetId=net.private[0], SecurityGroups=[group])
    nodes = aws.bridge.nodes[("us-east-2", "br-efs", "ng")]
    in_a = [n for n in nodes if n["zone"] == "us-east-2a"][0]["name"]
    in_b = [n for n in nodes if n["zone"] == "us-east-2b"][0]["name"]
    gate = lambda node: aws.bridge._mount_error("us-east-2", "br-efs", node, fs)  # noqa: E731
    assert gate(in_a) == "mount.nfs4: Connection timed out"
    assert gate(in_b).startswith(f'Failed to resolve "{fs}.efs.us-east-2.amazonaws.com"')
    ec2.authorize_security_group_ingress(GroupId=group, IpProtocol="tcp", FromPort=2049,
                                         ToPort=2049, CidrIp="192.168.0.0/16")
    assert gate(in_a) is None


def test_describe_cluster_and_kubectl_show_one_endpoint(aws, net):
    """The endpoint in describe-cluster (and so in the kubeconfig) is the one kubectl's
    cluster-info shows."""
    from tests.cloud.aws.conftest import active_cluster

    described = active_cluster(aws, net, "br-endpoint")["endpoint"]
    shown = aws.cluster("br-endpoint").kubectl("cluster-info").stdout
    assert f"Kubernetes control plane is running at {described}\n" in shown
    assert described.endswith(".gr7.us-east-2.eks.amazonaws.com")
