"""Chapter 5's states, built in a process of their own (run by test_exercises_ch05).

``ch05.start()`` resets the process's one simulated AWS account, which a test
session's other AWS tests share; so the states are made here, in a child process
with a temporary kubelearn home, and graded with every check (hidden ones too).
Prints one JSON object: scenario -> exercise id -> score, max and the items
(passed, message, misconception, per check name).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kubelearn import Cluster  # noqa: E402
from kubelearn.grading import registry  # noqa: E402
from kubelearn.grading.exercises import ch05  # noqa: E402
from kubelearn.grading.feedback import run_steps_on  # noqa: E402

IDS = ("5.1", "5.2", "5.3", "5.4")


def graded(c, ids=IDS) -> dict:
    found = {}
    for ex_id in ids:
        result = registry.exercise(ex_id).run(c, include_hidden=True)
        found[ex_id] = {"score": result.score, "max": result.max_score,
                        "items": {i.name: {"passed": i.passed, "message": i.message,
                                           "misconception": i.misconception}
                                  for i in result.items}}
    return found


def main() -> None:
    out = {}
    aws = ch05.start()
    c = Cluster.minikube()
    out["fresh"] = graded(c)
    iam, ec2, eks, efs = (aws.client(n) for n in ("iam", "ec2", "eks", "efs"))

    # 5.1: the cluster role trusts EC2; the node role got the cluster's policy
    iam.create_role(RoleName="eksClusterRole", AssumeRolePolicyDocument=ch05.trust(
        "ec2.amazonaws.com"))
    iam.create_role(RoleName="eksNodeRole", AssumeRolePolicyDocument=ch05.trust(
        "ec2.amazonaws.com"))
    iam.attach_role_policy(RoleName="eksNodeRole", PolicyArn=ch05.POLICY + "AmazonEKSClusterPolicy")
    out["5.1 wrong trust, swapped policy"] = graded(c, ["5.1"])

    # 5.2: deleted and created again in the same public subnets
    eks.delete_nodegroup(clusterName="kubelearn", nodegroupName="workers")
    eks.create_nodegroup(clusterName="kubelearn", nodegroupName="workers",
                         nodeRole=f"arn:aws:iam::{ch05.ACCOUNT}:role/course-node-role",
                         subnets=list(ch05.PUBLIC_SUBNETS),
                         scalingConfig={"minSize": 2, "maxSize": 2, "desiredSize": 2})
    out["5.2 creating"] = graded(c, ["5.2"])
    aws.settle()
    out["5.2 same subnets again"] = graded(c, ["5.2"])

    # 5.3: mount targets and the volume, but no NFS rule
    for subnet in ch05.PRIVATE_SUBNETS:
        efs.create_mount_target(FileSystemId=ch05.FILE_SYSTEM_ID, SubnetId=subnet,
                                SecurityGroups=[ch05.NFS_GROUP_ID])
    aws.cli("eks update-kubeconfig --name kubelearn")
    k = aws.cluster("kubelearn")
    k.kubectl("apply -f -", stdin=ch05.EFS_VOLUME.format(fs=ch05.FILE_SYSTEM_ID))
    k.kubectl("apply -f -", stdin=ch05.story_pods())
    k.advance(120)
    out["5.3 no NFS rule"] = graded(c, ["5.3"])
    ec2.authorize_security_group_ingress(GroupId=ch05.NFS_GROUP_ID, IpProtocol="tcp",
                                         FromPort=22, ToPort=22, CidrIp="0.0.0.0/0")
    out["5.3 SSH instead of NFS"] = graded(c, ["5.3"])

    # 5.4: the EKS context exists but minikube is current; a ClusterIP Service
    k.kubectl("config use-context minikube")
    k.kubectl("apply -f -", stdin=ch05.WEB.replace("  type: LoadBalancer\n", ""))
    k.advance(60)
    out["5.4 minikube current, ClusterIP"] = graded(c, ["5.4"])

    # every reference solution, in a fresh account, in the notebook's order
    ch05.start()
    c = Cluster.minikube()
    for ex_id in IDS:
        ran, target = run_steps_on(c, registry.exercise(ex_id).solution)
        target.settle()
        out.setdefault("steps failed", []).extend(
            f"{s.tool} {s.command}: {r.stderr}" for s, r in ran if r.exit_code != 0)
    out["solved"] = graded(c)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
