"""Chapter 5 exercises: EKS in the simulated AWS account — the two IAM roles, a node
group that fails and why, the NFS rule and an EFS volume shared across nodes, and
``update-kubeconfig`` with a Deployment behind an ELB.

The checks read AWS state only through boto3 describe/list calls on the kernel's
simulated account (``kubelearn.cloud.aws.current()``, clients without the course
hooks: ``aws.plain``), and the Kubernetes side through ``aws.cluster("kubelearn")``.
The ``cluster`` a check receives (the current kubectl context's) is not used, except
that 5.4 asks for the EKS context to be the current one.

``start()`` builds the chapter's starting state (the notebook's first cell, and
``kubelearn validate``): a fresh account with the EKS VPC stack ``eks-vpc``, the
course's own roles (``course-cluster-role``, ``course-node-role``), the ACTIVE EKS
cluster ``kubelearn`` with a healthy node group ``base`` (2 nodes, one per private
subnet), the node group ``workers`` in CREATE_FAILED (created in the public subnets
after they stopped giving instances public IPs: the nodes could not reach the control
plane), an EFS file system ``story-fs`` and a security group ``efs-nfs`` with no
rules, and the EFS CSI driver on the nodes. The ids are the same on every run
(moto's seeded ids), which is why the reference solutions can name them.

The reference solutions are ``aws`` and ``kubectl`` steps (``Step.aws``); ``aws eks
update-kubeconfig`` switches the kubectl steps that follow to the EKS cluster.
"""
from __future__ import annotations

import ipaddress
import json
import shlex

from kubelearn.grading.checks import rollout_complete
from kubelearn.grading.model import Check, Exercise, Misconception, Outcome, Step

NOTEBOOK = "exercises/05-deploying-to-eks.ipynb"
REGION = "us-east-2"
ACCOUNT = "123456789012"
CLUSTER = "kubelearn"
STACK = "eks-vpc"
POLICY = "arn:aws:iam::aws:policy/"
CLUSTER_POLICY = "AmazonEKSClusterPolicy"
NODE_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy",
                 "AmazonEC2ContainerRegistryReadOnly")
CLUSTER_ROLE, NODE_ROLE = "eksClusterRole", "eksNodeRole"           # 5.1 (the learner's)
COURSE_CLUSTER_ROLE, COURSE_NODE_ROLE = "course-cluster-role", "course-node-role"
NODEGROUP, BASE_NODEGROUP, NODES = "workers", "base", 2
FILE_SYSTEM, NFS_GROUP = "story-fs", "efs-nfs"
VPC_CIDR = "192.168.0.0/16"
CONTEXT = f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/{CLUSTER}"
# moto's seeded ids (seed 0) for the starting state start() builds; a test keeps them true
VPC_ID = "vpc-1940410ea352d768f"
PUBLIC_SUBNETS = ("subnet-6b302fea36c31a641", "subnet-3a4369559fe6ec03a")
PRIVATE_SUBNETS = ("subnet-62784d3a4e2686825", "subnet-a1439b890d5509da6")
FILE_SYSTEM_ID = "fs-04a876ac"
NFS_GROUP_ID = "sg-fcad811531bac2508"


# -- the starting state ---------------------------------------------------------------

def trust(service: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def _install_efs_driver(aws, cluster) -> None:
    """The aws-efs-csi-driver add-on, installed as AWS documents it, and waited for."""
    eks = aws.client("eks")
    eks.create_addon(clusterName=CLUSTER, addonName="aws-efs-csi-driver")
    eks.get_waiter("addon_active").wait(clusterName=CLUSTER, addonName="aws-efs-csi-driver")


def _warm(aws) -> None:
    """Touch each service once, so that moto has built its backends before the reset
    (built later, they draw from the seeded ids and change them)."""
    aws.plain("iam").list_roles()
    aws.plain("cloudformation").list_stacks()
    aws.plain("ec2").describe_vpcs()
    aws.plain("eks").list_clusters()
    aws.plain("efs").describe_file_systems()


def start():
    """A fresh account in the chapter's starting state (see the module's docstring);
    returns the account. Run again, it starts over."""
    from kubelearn.cloud.aws import SimulatedAWS, current

    aws = current() or SimulatedAWS(region=REGION)
    _warm(aws)
    aws.reset()         # always: the seeded ids after a reset are the same on every run
    iam, cfn, ec2, eks, efs = (aws.client(n) for n in ("iam", "cloudformation", "ec2", "eks",
                                                        "efs"))
    cfn.create_stack(StackName=STACK, TemplateBody=aws.samples.template_body())
    roles = {}
    for name, service, policies in ((COURSE_CLUSTER_ROLE, "eks.amazonaws.com", (CLUSTER_POLICY,)),
                                    (COURSE_NODE_ROLE, "ec2.amazonaws.com", NODE_POLICIES)):
        roles[name] = iam.create_role(RoleName=name,
                                      AssumeRolePolicyDocument=trust(service))["Role"]["Arn"]
        for policy in policies:
            iam.attach_role_policy(RoleName=name, PolicyArn=POLICY + policy)
    eks.create_cluster(name=CLUSTER, roleArn=roles[COURSE_CLUSTER_ROLE],
                       resourcesVpcConfig={"subnetIds": list(PUBLIC_SUBNETS + PRIVATE_SUBNETS)})
    eks.get_waiter("cluster_active").wait(name=CLUSTER)
    scaling = {"minSize": NODES, "maxSize": NODES, "desiredSize": NODES}
    eks.create_nodegroup(clusterName=CLUSTER, nodegroupName=BASE_NODEGROUP,
                         nodeRole=roles[COURSE_NODE_ROLE], subnets=list(PRIVATE_SUBNETS),
                         scalingConfig=scaling)
    for subnet in PUBLIC_SUBNETS:
        ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": False})
    eks.create_nodegroup(clusterName=CLUSTER, nodegroupName=NODEGROUP,
                         nodeRole=roles[COURSE_NODE_ROLE], subnets=list(PUBLIC_SUBNETS),
                         scalingConfig=scaling)
    aws.settle()
    ec2.create_security_group(GroupName=NFS_GROUP, Description="NFS for EFS", VpcId=VPC_ID)
    efs.create_file_system(CreationToken=FILE_SYSTEM, Tags=[{"Key": "Name",
                                                              "Value": FILE_SYSTEM}])
    _install_efs_driver(aws, aws.cluster(CLUSTER))
    return aws


# -- reading the account ----------------------------------------------------------------

def _account():
    from kubelearn.cloud.aws import current

    aws = current()
    if aws is None:
        raise RuntimeError("no simulated AWS account runs in this kernel: run the notebook's "
                           "first cell")
    return aws


def _eks_cluster():
    """The Kubernetes side of EKS cluster kubelearn, or None (with why)."""
    try:
        return _account().cluster(CLUSTER), ""
    except KeyError as missing:
        return None, str(missing).strip("'\"")


def _obj(eks, kind: str, name: str, namespace: str = "default") -> dict | None:
    from kubelearn.apiserver.errors import StatusError

    try:
        return eks.api.get(kind, name, namespace)
    except StatusError as err:
        if err.reason == "NotFound":
            return None
        raise


def _role(name: str) -> dict | None:
    iam = _account().plain("iam")
    try:
        return iam.get_role(RoleName=name)["Role"]
    except iam.exceptions.NoSuchEntityException:
        return None


def _attached(name: str) -> list[str]:
    iam = _account().plain("iam")
    try:
        found = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    except iam.exceptions.NoSuchEntityException:
        return []
    return sorted(p["PolicyName"] for p in found)


def _trusted(role: dict) -> set[str]:
    from kubelearn.cloud.aws.checks import trusted_services

    return trusted_services(role)


# -- 5.1 --------------------------------------------------------------------------------

def role_trusts(name: str, service: str):
    def fn(_cluster) -> Outcome:
        role = _role(name)
        want = f"role {name} trusting {service}"
        if role is None:
            return Outcome(False, want, "no such role",
                           f"There is no IAM role {name}. The task asks for a role {name} whose "
                           f"trust policy lets {service} assume it.")
        trusted = sorted(_trusted(role))
        if service not in trusted:
            shown = ", ".join(trusted) or "nobody (no Allow statement with a Service principal)"
            return Outcome(False, want, f"trusts {shown}",
                           f"Role {name} exists, but its trust policy lets {shown} assume it; "
                           f"it must be {service}.")
        return Outcome(True, want, want, f"Role {name} trusts {service}.")
    fn.about = (f"Role/{name}",)
    return fn


def role_policies(name: str, policies: tuple[str, ...]):
    def fn(_cluster) -> Outcome:
        want = ", ".join(policies)
        if _role(name) is None:
            return Outcome(False, want, "no such role", f"There is no IAM role {name} to attach "
                           f"{want} to.")
        attached = _attached(name)
        missing = [p for p in policies if p not in attached]
        shown = ", ".join(attached) or "none"
        if missing:
            return Outcome(False, want, shown,
                           f"Role {name} has the managed policies: {shown}; it lacks "
                           f"{', '.join(missing)}.")
        return Outcome(True, want, shown, f"Role {name} has {want} attached.")
    fn.about = (f"Role/{name}",)
    return fn


def _role_trusts_instead(name: str, service: str) -> Misconception:
    other = "eks.amazonaws.com" if service == "ec2.amazonaws.com" else "ec2.amazonaws.com"
    who = ("The worker nodes are EC2 instances: the node role is assumed by "
           "ec2.amazonaws.com, not by EKS" if service == "ec2.amazonaws.com" else
           "The cluster role is assumed by the EKS service itself (eks.amazonaws.com), "
           "not by EC2 instances")
    return Misconception(f"{name}-trusts-{other.split('.')[0]}", who,
                         lambda _c, _o: other in _trusted(_role(name) or {}))


def _policies_swapped() -> Misconception:
    def test(_c, _o):
        return CLUSTER_POLICY in _attached(NODE_ROLE) or any(p in _attached(CLUSTER_ROLE)
                                                             for p in NODE_POLICIES)
    return Misconception("policies-swapped", "The policies are on the wrong roles: "
                         "AmazonEKSClusterPolicy belongs to the cluster role, the three worker "
                         "node policies to the node role", test)


def _inline_only(name: str) -> Misconception:
    def test(_c, _o):
        iam = _account().plain("iam")
        return bool(iam.list_role_policies(RoleName=name)["PolicyNames"])
    return Misconception(f"{name}-inline-policy", f"Role {name} has an inline policy; EKS looks "
                         "for the AWS managed policies attached by ARN "
                         "(aws iam attach-role-policy --policy-arn "
                         "arn:aws:iam::aws:policy/NAME)", test)


def _create_role(name: str, service: str) -> Step:
    return Step.aws(f"iam create-role --role-name {name} --assume-role-policy-document "
                    f"{shlex.quote(trust(service))} --query Role.Arn --output text")


def _attach(name: str, policy: str) -> Step:
    return Step.aws(f"iam attach-role-policy --role-name {name} --policy-arn {POLICY}{policy}")


# -- 5.2 --------------------------------------------------------------------------------

def _nodegroup(name: str) -> dict | None:
    eks = _account().plain("eks")
    try:
        found = eks.describe_nodegroup(clusterName=CLUSTER, nodegroupName=name)["nodegroup"]
    except eks.exceptions.ResourceNotFoundException:
        return None
    record = _account().lifecycle.nodegroups.get((_account().region, CLUSTER, name))
    if record is not None:          # the statuses of simulated time, as the hooked client says
        found = dict(found, status=record["status"], health={"issues": record["issues"]})
    return found


def _why_unreachable(ec2, subnet: dict) -> str:
    from kubelearn.cloud.aws.network import route_table

    routes = (route_table(ec2, subnet) or {}).get("Routes", [])
    default = next((r for r in routes if r.get("DestinationCidrBlock") == "0.0.0.0/0"), None)
    name = subnet["SubnetId"]
    if default is None:
        return f"{name} has no route to 0.0.0.0/0 (neither a NAT gateway nor an internet gateway)"
    if str(default.get("GatewayId", "")).startswith("igw-"):
        return (f"{name} routes to the internet gateway but does not give instances a public IP "
                "(MapPublicIpOnLaunch is false)")
    return f"{name} has no usable default route"


def unreachable(subnet_ids) -> list[str]:
    """Why each of these subnets cannot reach the EKS control plane ([] if all can)."""
    from kubelearn.cloud.aws.network import reaches_control_plane

    ec2 = _account().plain("ec2")
    subnets = ec2.describe_subnets(SubnetIds=list(subnet_ids))["Subnets"]
    return [_why_unreachable(ec2, s) for s in sorted(subnets, key=lambda s: s["SubnetId"])
            if not reaches_control_plane(ec2, s)]


def nodegroup_active(name: str):
    def fn(_cluster) -> Outcome:
        ng = _nodegroup(name)
        want = f"node group {name} ACTIVE"
        if ng is None:
            return Outcome(False, want, "no such node group",
                           f"Cluster {CLUSTER} has no node group {name}; the task asks you to "
                           "create it again once you know why it failed.")
        status = ng["status"]
        if status == "ACTIVE":
            return Outcome(True, want, want, f"Node group {name} is ACTIVE.")
        issues = "; ".join(f"{i['code']}: {i['message']}" for i in ng.get("health", {})
                           .get("issues", []))
        text = f"Node group {name} is {status}" + (f" ({issues})" if issues else "") + "."
        if status == "CREATE_FAILED":
            text += (" A failed node group stays failed: find why, delete it, and create it "
                     "again with what was wrong put right.")
        elif status in ("CREATING", "UPDATING"):
            text += f" Wait for it: aws eks wait nodegroup-active --cluster-name {CLUSTER} " \
                    f"--nodegroup-name {name}."
        return Outcome(False, want, status, text)
    fn.about = (f"Nodegroup/{name}",)
    return fn


def nodegroup_subnets_reach(name: str):
    def fn(_cluster) -> Outcome:
        ng = _nodegroup(name)
        want = "subnets whose instances reach the control plane (a NAT route, or an internet " \
               "gateway route with public IPs)"
        if ng is None:
            return Outcome(False, want, "no node group", f"There is no node group {name} yet.")
        bad = unreachable(ng.get("subnets", []))
        if bad:
            return Outcome(False, want, "; ".join(bad),
                           f"Node group {name} uses subnets its instances cannot reach the "
                           f"control plane from: {'; '.join(bad)}.")
        return Outcome(True, want, ", ".join(ng.get("subnets", [])),
                       f"Every subnet of node group {name} reaches the control plane.")
    fn.about = (f"Nodegroup/{name}",)
    return fn


def _nodes_of(eks_cluster, nodegroup: str) -> list[dict]:
    return [n for n in eks_cluster.api.list("Node")
            if n["metadata"].get("labels", {}).get("eks.amazonaws.com/nodegroup") == nodegroup]


def _ready(node: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in node.get("status", {}).get("conditions", []))


def nodegroup_nodes(name: str, count: int):
    def fn(_cluster) -> Outcome:
        want = f"{count} Ready nodes of node group {name}"
        eks, why = _eks_cluster()
        if eks is None:
            return Outcome(False, want, "no cluster", f"No nodes to look at: {why}.")
        nodes = _nodes_of(eks, name)
        ready = [n for n in nodes if _ready(n)]
        if len(ready) != count:
            return Outcome(False, want, f"{len(ready)} Ready of {len(nodes)}",
                           f"kubectl get nodes -l eks.amazonaws.com/nodegroup={name} shows "
                           f"{len(ready)} Ready node(s) of {len(nodes)}; the task asks for {count}.")
        return Outcome(True, want, f"{count} Ready", f"Node group {name} has {count} Ready nodes.")
    return fn


def _recreated_in_same_subnets() -> Misconception:
    def test(_c, outcome):
        aws = _account()
        records = aws.lifecycle.nodegroups
        mine = records.get((aws.region, CLUSTER, NODEGROUP))
        base = records.get((aws.region, CLUSTER, BASE_NODEGROUP))
        # created again by the learner (the starting one was made with the base group)
        again = mine is not None and base is not None and mine["created"] > base["created"]
        ng = _nodegroup(NODEGROUP)
        return again and ng is not None and ng["status"] == "CREATE_FAILED" and \
            set(ng.get("subnets", [])) & set(PUBLIC_SUBNETS) and \
            outcome.actual == "CREATE_FAILED"
    return Misconception("nodegroup-public-subnets-no-public-ip",
                         "Created again, it failed again: its instances start in the public "
                         "subnets, which no longer give them a "
                         "public IP, so they cannot reach the control plane: aws ec2 "
                         "describe-subnets shows MapPublicIpOnLaunch. Use the private subnets "
                         "(their route goes through the NAT gateway), or turn MapPublicIpOnLaunch "
                         "back on before creating the node group again", test)


# -- 5.3 --------------------------------------------------------------------------------

def _vpc_cidr() -> str:
    ec2 = _account().plain("ec2")
    return ec2.describe_vpcs(VpcIds=[VPC_ID])["Vpcs"][0]["CidrBlock"]


def _group(name: str) -> dict | None:
    ec2 = _account().plain("ec2")
    found = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]},
                                                  {"Name": "vpc-id", "Values": [VPC_ID]}])
    return (found["SecurityGroups"] or [None])[0]


def _nfs_from_vpc(group: dict, cidr: str) -> bool:
    vpc = ipaddress.ip_network(cidr)
    for perm in group.get("IpPermissions", []):
        protocol = perm.get("IpProtocol")
        if protocol == "-1":
            ports = True
        else:
            ports = protocol in ("tcp", "6") and \
                perm.get("FromPort", 0) <= 2049 <= perm.get("ToPort", -1)
        if not ports:
            continue
        for block in perm.get("IpRanges", []):
            try:
                if vpc.subnet_of(ipaddress.ip_network(block["CidrIp"], strict=False)):
                    return True
            except (KeyError, ValueError, TypeError):
                continue
    return False


def _rules(group: dict) -> str:
    shown = []
    for perm in group.get("IpPermissions", []):
        ports = "all" if perm.get("IpProtocol") == "-1" else \
            f"{perm.get('IpProtocol')} {perm.get('FromPort')}-{perm.get('ToPort')}"
        sources = [r["CidrIp"] for r in perm.get("IpRanges", [])] + \
            [g["GroupId"] for g in perm.get("UserIdGroupPairs", [])]
        shown.append(f"{ports} from {', '.join(sources) or 'nowhere'}")
    return "; ".join(shown) or "no inbound rules"


def nfs_rule(_cluster) -> Outcome:
    cidr = _vpc_cidr()
    want = f"inbound TCP 2049 from {cidr}"
    group = _group(NFS_GROUP)
    if group is None:
        return Outcome(False, want, "no such group",
                       f"There is no security group {NFS_GROUP} in the cluster's VPC {VPC_ID}.")
    if not _nfs_from_vpc(group, cidr):
        return Outcome(False, want, _rules(group),
                       f"Security group {NFS_GROUP} ({group['GroupId']}) lets in: "
                       f"{_rules(group)}. NFS is TCP port 2049, and the nodes' addresses are "
                       f"anywhere in the VPC's {cidr}.")
    return Outcome(True, want, _rules(group),
                   f"Security group {NFS_GROUP} lets NFS in from the VPC ({cidr}).")


nfs_rule.about = (f"SecurityGroup/{NFS_GROUP}",)


def _file_system() -> dict | None:
    efs = _account().plain("efs")
    found = [f for f in efs.describe_file_systems()["FileSystems"]
             if f.get("CreationToken") == FILE_SYSTEM or f.get("Name") == FILE_SYSTEM]
    return found[0] if found else None


def _node_zones() -> set[str]:
    eks, _ = _eks_cluster()
    if eks is None:
        return {"us-east-2a", "us-east-2b"}
    return {n["metadata"].get("labels", {}).get("topology.kubernetes.io/zone")
            for n in eks.api.list("Node")} - {None}


def mount_targets(_cluster) -> Outcome:
    fs = _file_system()
    zones = sorted(_node_zones())
    want = f"a mount target with {NFS_GROUP} in {', '.join(zones)}"
    if fs is None:
        return Outcome(False, want, "no file system",
                       f"There is no EFS file system {FILE_SYSTEM}.")
    efs = _account().plain("efs")
    targets = efs.describe_mount_targets(FileSystemId=fs["FileSystemId"])["MountTargets"]
    group = _group(NFS_GROUP)
    covered, without = set(), []
    for target in targets:
        groups = efs.describe_mount_target_security_groups(
            MountTargetId=target["MountTargetId"])["SecurityGroups"]
        zone = target.get("AvailabilityZoneName")
        if group is not None and group["GroupId"] in groups:
            covered.add(zone)
        else:
            without.append(zone)
    missing = [z for z in zones if z not in covered]
    found = ", ".join(sorted(covered)) or "none"
    if missing:
        extra = (f" The mount target(s) in {', '.join(sorted(without))} do not use "
                 f"{NFS_GROUP}." if without else "")
        return Outcome(False, want, f"with {NFS_GROUP}: {found}",
                       f"File system {FILE_SYSTEM} ({fs['FileSystemId']}) has mount targets "
                       f"with {NFS_GROUP} in: {found}; the nodes run in {', '.join(zones)}, "
                       f"so it lacks {', '.join(missing)}.{extra} A node mounts EFS through "
                       "the mount target of its own zone.")
    return Outcome(True, want, found, f"File system {FILE_SYSTEM} has a mount target with "
                   f"{NFS_GROUP} in every zone of the nodes ({found}).")


mount_targets.about = (f"FileSystem/{FILE_SYSTEM}",)


def efs_claim(_cluster) -> Outcome:
    fs = _file_system()
    want = "PVC efs-claim Bound to a PV of driver efs.csi.aws.com with the file system's id"
    eks, why = _eks_cluster()
    if eks is None or fs is None:
        return Outcome(False, want, "nothing to look at", f"Nothing to look at: {why or 'no '}"
                       f"{'' if fs else 'file system ' + FILE_SYSTEM}.")
    claim = _obj(eks, "PersistentVolumeClaim", "efs-claim")
    if claim is None:
        return Outcome(False, want, "no claim", "There is no PersistentVolumeClaim efs-claim in "
                       "namespace default on the EKS cluster (kubectl talks to the EKS cluster "
                       "after aws eks update-kubeconfig).")
    phase = claim.get("status", {}).get("phase")
    volume = claim.get("spec", {}).get("volumeName")
    if phase != "Bound" or not volume:
        return Outcome(False, want, f"efs-claim {phase}",
                       f"PersistentVolumeClaim efs-claim is {phase or 'not bound'}: kubectl "
                       "describe pvc efs-claim says why (a PV with the same storageClassName, "
                       "access mode and enough capacity is needed).")
    pv = eks.api.get("PersistentVolume", volume)
    csi = pv.get("spec", {}).get("csi") or {}
    handle = str(csi.get("volumeHandle", ""))
    if csi.get("driver") != "efs.csi.aws.com" or handle.split(":")[0] != fs["FileSystemId"]:
        return Outcome(False, want, f"{volume}: driver {csi.get('driver')}, handle {handle}",
                       f"efs-claim is bound to {volume}, whose csi driver is "
                       f"{csi.get('driver') or 'not set'} with volumeHandle {handle or 'unset'};"
                       f" the task asks for driver efs.csi.aws.com and volumeHandle "
                       f"{fs['FileSystemId']} ({FILE_SYSTEM}).")
    return Outcome(True, want, f"Bound to {volume}",
                   f"efs-claim is Bound to {volume} (EFS {fs['FileSystemId']}).")


def _pod_state(eks, name: str) -> tuple[dict | None, str]:
    pod = _obj(eks, "Pod", name)
    if pod is None:
        return None, f"there is no pod {name}"
    phase = pod.get("status", {}).get("phase")
    if phase == "Running":
        return pod, ""
    waiting = [s.get("state", {}).get("waiting", {}).get("reason")
               for s in pod.get("status", {}).get("containerStatuses", [])]
    why = f"pod {name} is {phase}" + (f" ({', '.join(w for w in waiting if w)})"
                                      if any(waiting) else "")
    events = [e for e in eks.api.list("Event", "default")
              if e.get("involvedObject", {}).get("name") == name
              and e.get("reason") == "FailedMount"]
    if events:
        lines = [ln.strip() for ln in events[-1].get("message", "").splitlines() if ln.strip()]
        telling = [ln for ln in lines if "mount.nfs4" in ln or "resolve" in ln.lower()]
        line = (telling or lines or [""])[0]
        why += f": FailedMount: {line[:240]}"
    return None, why


def shared_file(_cluster) -> Outcome:
    want = "story-1 and story-2 Running on two nodes, both reading the same /data/story.txt"
    eks, why = _eks_cluster()
    if eks is None:
        return Outcome(False, want, "no cluster", f"No pods to look at: {why}.")
    pods, problems = [], []
    for name in ("story-1", "story-2"):
        pod, problem = _pod_state(eks, name)
        (pods.append(pod) if pod is not None else problems.append(problem))
    if problems:
        text = "; ".join(problems)
        if "timed out" in text.lower():
            text += ". The mount cannot reach the mount target: the NFS rule is missing"
        return Outcome(False, want, text, text[0].upper() + text[1:] + ".")
    claims = [[v.get("persistentVolumeClaim", {}).get("claimName")
               for v in p["spec"].get("volumes", [])] for p in pods]
    if not all("efs-claim" in c for c in claims):
        return Outcome(False, want, "not both on efs-claim",
                       "Both pods must mount the claim efs-claim (a volume with "
                       "persistentVolumeClaim: {claimName: efs-claim}).")
    nodes = [p["spec"].get("nodeName") for p in pods]
    if nodes[0] == nodes[1]:
        return Outcome(False, want, f"both on {nodes[0]}",
                       f"Both pods run on {nodes[0]}; the task asks for two nodes (a "
                       "nodeSelector on topology.kubernetes.io/zone, or nodeName).")
    texts = []
    for name in ("story-1", "story-2"):
        result = eks.kubectl(f"exec {name} -- cat /data/story.txt")
        if not result.ok:
            return Outcome(False, want, f"{name}: {result.stderr.strip()}",
                           f"cat /data/story.txt in {name} fails: {result.stderr.strip()}. "
                           "Write the file from one pod (kubectl exec story-1 -- sh -c 'echo "
                           "... > /data/story.txt').")
        texts.append(result.stdout)
    if texts[0] != texts[1] or not texts[0].strip():
        return Outcome(False, want, f"{texts[0]!r} vs {texts[1]!r}",
                       f"The pods read different files: story-1 {texts[0]!r}, story-2 "
                       f"{texts[1]!r}; both must mount the same EFS volume at /data.")
    return Outcome(True, want, f"both read {texts[0].strip()!r}",
                   f"story-1 ({nodes[0]}) and story-2 ({nodes[1]}) read the same "
                   f"/data/story.txt: {texts[0].strip()!r}.")


EFS_VOLUME = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: efs-pv
spec:
  capacity:
    storage: 5Gi
  accessModes: [ReadWriteMany]
  storageClassName: efs-sc
  csi:
    driver: efs.csi.aws.com
    volumeHandle: {fs}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: efs-claim
spec:
  accessModes: [ReadWriteMany]
  storageClassName: efs-sc
  resources:
    requests:
      storage: 5Gi
"""

STORY_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  nodeSelector:
    topology.kubernetes.io/zone: {zone}
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "{command}"]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: efs-claim
"""


def story_pods() -> str:
    write = "echo once upon a time > /data/story.txt; sleep 3600"
    return "---\n".join(STORY_POD.format(name=f"story-{i}", zone=zone, command=command)
                        for i, zone, command in ((1, "us-east-2a", write),
                                                 (2, "us-east-2b", "sleep 3600")))


# -- 5.4 --------------------------------------------------------------------------------

def eks_context(cluster) -> Outcome:
    from kubelearn.contexts import kubeconfig

    want = f"context {CONTEXT} for the EKS cluster, current"
    eks, why = _eks_cluster()
    if eks is None:
        return Outcome(False, want, "no cluster", f"There is no EKS cluster to talk to: {why}.")
    config = kubeconfig()
    names = [c.name for c in config.contexts() if config.cluster(c.name) is eks]
    if not names:
        return Outcome(False, want, f"contexts: {', '.join(c.name for c in config.contexts())}",
                       f"kubectl has no context for EKS cluster {CLUSTER}: aws eks "
                       f"update-kubeconfig --name {CLUSTER} adds it.")
    if config.cluster() is not eks:
        return Outcome(False, want, f"current: {config.current}",
                       f"The context {names[0]} exists, but the current one is "
                       f"{config.current}: kubectl config use-context {names[0]}.")
    return Outcome(True, want, config.current, f"kubectl talks to EKS cluster {CLUSTER} "
                   f"(context {config.current}).")


def on_eks(fn):
    """A check of ``kubelearn.grading.checks`` run against the EKS cluster."""
    def check(_cluster) -> Outcome:
        eks, why = _eks_cluster()
        if eks is None:
            return Outcome(False, message=f"There is no EKS cluster to look at: {why}.")
        return fn(eks)
    check.about = getattr(fn, "about", ())
    return check


def load_balancer(name: str, port: int, target: int):
    def fn(_cluster) -> Outcome:
        want = f"LoadBalancer {name} {port} -> {target} with an ELB hostname"
        eks, why = _eks_cluster()
        if eks is None:
            return Outcome(False, want, "no cluster", f"There is no EKS cluster: {why}.")
        svc = _obj(eks, "Service", name)
        if svc is None:
            return Outcome(False, want, "no Service", f"There is no Service {name} on the EKS "
                           "cluster (is kubectl talking to EKS? kubectl config current-context).")
        spec = svc.get("spec", {})
        kind = spec.get("type", "ClusterIP")
        if kind != "LoadBalancer":
            return Outcome(False, want, kind, f"Service {name} is a {kind}; only a LoadBalancer "
                           "gets an ELB from AWS.")
        ports = spec.get("ports", [{}])[0]
        if ports.get("port") != port or ports.get("targetPort") != target:
            return Outcome(False, want, f"{ports.get('port')} -> {ports.get('targetPort')}",
                           f"Service {name} listens on {ports.get('port')} and sends to "
                           f"{ports.get('targetPort')}; the task asks {port} -> {target}.")
        ingress = svc.get("status", {}).get("loadBalancer", {}).get("ingress") or []
        host = (ingress[0].get("hostname") if ingress else "") or ""
        if not host.endswith(".elb.amazonaws.com"):
            return Outcome(False, want, "<pending>", f"Service {name} has no ELB hostname yet "
                           "(EXTERNAL-IP <pending>): give AWS a few seconds (eks.advance(30), with "
                           "eks = aws.cluster(\"kubelearn\")).")
        return Outcome(True, want, host, f"Service {name} is behind the ELB {host}.")
    fn.about = (f"Service/default/{name}",)
    return fn


def elb_answers(name: str):
    def fn(_cluster) -> Outcome:
        want = "GET http://ELB-HOSTNAME/ answers 200"
        eks, why = _eks_cluster()
        svc = _obj(eks, "Service", name) if eks is not None else None
        if svc is None:
            return Outcome(False, want, "no Service", f"There is no Service {name} on the EKS "
                           "cluster to send a request to.")
        ingress = svc.get("status", {}).get("loadBalancer", {}).get("ingress") or []
        host = (ingress[0].get("hostname") if ingress else "") or ""
        if not host:
            return Outcome(False, want, "no hostname", f"Service {name} has no ELB hostname yet.")
        try:
            response = eks.http_get(f"http://{host}/")
        except Exception as exc:  # noqa: BLE001 - what curl would say
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return Outcome(False, want, text, f"http://{host}/ does not answer: {text}. A new "
                           "ELB's name takes a minute or so to resolve (eks.advance(90)); "
                           "if it still fails, are the pods ready and the ports right?")
        if response.status != 200:
            return Outcome(False, want, str(response.status),
                           f"http://{host}/ answered {response.status}.")
        return Outcome(True, want, "200", f"http://{host}/ answers 200 (pod {response.pod}).")
    return fn


WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: kubelearn/hello:1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
"""

UPDATE_KUBECONFIG = Step.aws(f"eks update-kubeconfig --region {REGION} --name {CLUSTER}")


# -- the exercises ------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        id="5.1", chapter="5", title="Two roles: one for EKS, one for the nodes",
        task=("EKS needs two IAM roles. Create the cluster role `eksClusterRole`, which the EKS "
              "service (`eks.amazonaws.com`) may assume, with the AWS managed policy "
              "`AmazonEKSClusterPolicy` attached; and the node role `eksNodeRole`, which EC2 "
              "instances (`ec2.amazonaws.com`) may assume, with `AmazonEKSWorkerNodePolicy`, "
              "`AmazonEKS_CNI_Policy` and `AmazonEC2ContainerRegistryReadOnly` attached. Use "
              "`%aws iam ...`, boto3 (`aws.client(\"iam\")`) or the console, as you like."),
        checks=(
            Check("cluster-trust", "role eksClusterRole trusts eks.amazonaws.com", 1,
                  role_trusts(CLUSTER_ROLE, "eks.amazonaws.com"),
                  tip="aws iam get-role --role-name eksClusterRole shows its "
                      "AssumeRolePolicyDocument.",
                  misconceptions=(_role_trusts_instead(CLUSTER_ROLE, "eks.amazonaws.com"),)),
            Check("cluster-policy", "eksClusterRole has AmazonEKSClusterPolicy", 1,
                  role_policies(CLUSTER_ROLE, (CLUSTER_POLICY,)),
                  tip="aws iam list-attached-role-policies --role-name eksClusterRole",
                  misconceptions=(_policies_swapped(), _inline_only(CLUSTER_ROLE))),
            Check("node-trust", "role eksNodeRole trusts ec2.amazonaws.com", 1,
                  role_trusts(NODE_ROLE, "ec2.amazonaws.com"),
                  misconceptions=(_role_trusts_instead(NODE_ROLE, "ec2.amazonaws.com"),)),
            Check("node-policies", "eksNodeRole has the three worker node policies", 2,
                  role_policies(NODE_ROLE, NODE_POLICIES),
                  tip="aws iam list-attached-role-policies --role-name eksNodeRole",
                  misconceptions=(_policies_swapped(), _inline_only(NODE_ROLE))),
        ),
        hints=("A role has two parts: a trust policy (who may assume it: a `Principal` with a "
               "`Service`) and permission policies attached to it. EKS itself assumes the "
               "cluster role; the worker nodes are EC2 instances and assume the node role.",
               "`aws iam create-role --role-name eksClusterRole --assume-role-policy-document "
               "'{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
               "\"Principal\": {\"Service\": \"eks.amazonaws.com\"}, \"Action\": "
               "\"sts:AssumeRole\"}]}'`, and the same for eksNodeRole with ec2.amazonaws.com.",
               "Then `aws iam attach-role-policy --role-name eksClusterRole --policy-arn "
               "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy`, and three times for "
               "eksNodeRole with AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy and "
               "AmazonEC2ContainerRegistryReadOnly."),
        solution=(_create_role(CLUSTER_ROLE, "eks.amazonaws.com"),
                  _attach(CLUSTER_ROLE, CLUSTER_POLICY),
                  _create_role(NODE_ROLE, "ec2.amazonaws.com"),
                  *(_attach(NODE_ROLE, p) for p in NODE_POLICIES),
                  Step.aws(f"iam list-attached-role-policies --role-name {NODE_ROLE} "
                           "--query AttachedPolicies[].PolicyName --output text")),
    ),
    Exercise(
        id="5.2", chapter="5", title="A node group that fails, and why",
        task=("Cluster `kubelearn` has a node group `workers` (2 nodes of t3.medium) in "
              "`CREATE_FAILED`. Find out why (`%aws eks describe-nodegroup --cluster-name "
              "kubelearn --nodegroup-name workers`, then look at its subnets: `aws ec2 "
              "describe-subnets`, `aws ec2 describe-route-tables`), and end with node group "
              "`workers` ACTIVE with 2 Ready nodes, in subnets from which its instances reach "
              "the control plane. A failed node group cannot be repaired in place. The node "
              "role `course-node-role` is fine (or use your `eksNodeRole` from 5.1); leave the "
              "node group `base` alone."),
        checks=(
            Check("active", "node group workers is ACTIVE", 2, nodegroup_active(NODEGROUP),
                  tip="aws eks delete-nodegroup, aws eks wait nodegroup-deleted, then aws eks "
                      "create-nodegroup and aws eks wait nodegroup-active.",
                  misconceptions=(_recreated_in_same_subnets(),)),
            Check("subnets", "its subnets reach the control plane", 1,
                  nodegroup_subnets_reach(NODEGROUP),
                  tip="the private subnets of the eks-vpc stack route through a NAT gateway."),
            Check("nodes", "2 Ready nodes of node group workers", 1,
                  nodegroup_nodes(NODEGROUP, NODES)),
        ),
        hints=("`describe-nodegroup` shows `health.issues`: NodeCreationFailure, \"Instances "
               "failed to join the kubernetes cluster\". A node joins over the network: what "
               "can the node group's subnets reach?",
               "The node group uses the two public subnets. Their route table sends 0.0.0.0/0 "
               "to the internet gateway, but `describe-subnets` shows `MapPublicIpOnLaunch: "
               "false`: an instance without a public IP gets nowhere through an internet "
               "gateway. The private subnets route through the NAT gateway.",
               "`aws eks delete-nodegroup --cluster-name kubelearn --nodegroup-name workers`, "
               "`aws eks wait nodegroup-deleted ...`, then `aws eks create-nodegroup "
               "--cluster-name kubelearn --nodegroup-name workers --node-role "
               "arn:aws:iam::123456789012:role/course-node-role --subnets <the two private "
               "subnet ids> --scaling-config minSize=2,maxSize=2,desiredSize=2` and `aws eks "
               "wait nodegroup-active ...`."),
        solution=(Step.aws(f"eks describe-nodegroup --cluster-name {CLUSTER} --nodegroup-name "
                           f"{NODEGROUP} --query nodegroup.[status,subnets,health]"),
                  Step.aws(f"ec2 describe-subnets --subnet-ids {' '.join(PUBLIC_SUBNETS)} "
                           "--query Subnets[].[SubnetId,MapPublicIpOnLaunch] --output text"),
                  Step.aws(f"eks delete-nodegroup --cluster-name {CLUSTER} --nodegroup-name "
                           f"{NODEGROUP} --query nodegroup.status"),
                  Step.aws(f"eks wait nodegroup-deleted --cluster-name {CLUSTER} "
                           f"--nodegroup-name {NODEGROUP}"),
                  Step.aws(f"eks create-nodegroup --cluster-name {CLUSTER} --nodegroup-name "
                           f"{NODEGROUP} --node-role arn:aws:iam::{ACCOUNT}:role/"
                           f"{COURSE_NODE_ROLE} --subnets {' '.join(PRIVATE_SUBNETS)} "
                           f"--scaling-config minSize={NODES},maxSize={NODES},"
                           f"desiredSize={NODES} --query nodegroup.status"),
                  Step.aws(f"eks wait nodegroup-active --cluster-name {CLUSTER} "
                           f"--nodegroup-name {NODEGROUP}"),
                  Step.aws(f"eks describe-nodegroup --cluster-name {CLUSTER} --nodegroup-name "
                           f"{NODEGROUP} --query nodegroup.status")),
    ),
    Exercise(
        id="5.3", chapter="5", title="The NFS rule, and one EFS volume on two nodes",
        task=("The EFS file system `story-fs` and the security group `efs-nfs` (in the "
              "cluster's VPC) exist, with no mount targets and no rules. Let NFS (TCP 2049) "
              "into `efs-nfs` from the VPC's CIDR (192.168.0.0/16); give `story-fs` a mount "
              "target with `efs-nfs` in each zone the nodes run in (the private subnets); and, "
              "with kubectl talking to the EKS cluster (`%aws eks update-kubeconfig --name "
              "kubelearn`), create a PersistentVolume `efs-pv` (driver `efs.csi.aws.com`, "
              "volumeHandle the file system's id, 5Gi, ReadWriteMany, storageClassName "
              "`efs-sc`), a claim `efs-claim` bound to it, and two pods `story-1` and `story-2` "
              "(`busybox:1.36`, `sleep 3600`) on two different nodes, both mounting the claim at "
              "`/data`. Write `/data/story.txt` from one: both must read it."),
        checks=(
            Check("nfs-rule", "efs-nfs lets TCP 2049 in from the VPC CIDR", 1, nfs_rule,
                  tip="aws ec2 authorize-security-group-ingress --group-id SG --protocol tcp "
                      "--port 2049 --cidr 192.168.0.0/16"),
            Check("mount-targets", "story-fs has a mount target with efs-nfs in each node zone",
                  1, mount_targets,
                  tip="aws efs create-mount-target --file-system-id FS --subnet-id SUBNET "
                      "--security-groups SG, once per private subnet."),
            Check("claim", "efs-claim is Bound to an EFS PersistentVolume of story-fs", 1,
                  efs_claim),
            Check("shared", "story-1 and story-2, on two nodes, read the same /data/story.txt",
                  2, shared_file,
                  tip="kubectl describe pod story-1 shows the FailedMount events, if any."),
        ),
        hints=("EFS is NFS over the network: a node in a zone mounts through the file system's "
               "mount target in that zone, and the mount target's security group must let the "
               "node's NFS traffic (TCP 2049) in. Without the rule the pods wait in "
               "ContainerCreating (`mount.nfs4: Connection timed out`).",
               "`aws ec2 describe-security-groups --filters Name=group-name,Values=efs-nfs` and "
               "`aws efs describe-file-systems` give the ids; `aws ec2 "
               "authorize-security-group-ingress --group-id SG --protocol tcp --port 2049 --cidr "
               "192.168.0.0/16`; `aws efs create-mount-target --file-system-id FS --subnet-id "
               "SUBNET --security-groups SG` for each private subnet.",
               "Apply the PV (csi: driver efs.csi.aws.com, volumeHandle FS) and the claim, then "
               "two pods with `nodeSelector: {topology.kubernetes.io/zone: us-east-2a}` and "
               "`us-east-2b`; `kubectl exec story-1 -- sh -c 'echo once upon a time > "
               "/data/story.txt'` and `kubectl exec story-2 -- cat /data/story.txt`."),
        solution=(Step.aws("ec2 describe-security-groups --filters Name=group-name,Values="
                           f"{NFS_GROUP} --query SecurityGroups[].GroupId --output text"),
                  Step.aws(f"ec2 authorize-security-group-ingress --group-id {NFS_GROUP_ID} "
                           f"--protocol tcp --port 2049 --cidr {VPC_CIDR}"),
                  *(Step.aws(f"efs create-mount-target --file-system-id {FILE_SYSTEM_ID} "
                             f"--subnet-id {s} --security-groups {NFS_GROUP_ID} "
                             "--query LifeCycleState") for s in PRIVATE_SUBNETS),
                  UPDATE_KUBECONFIG,
                  Step("apply -f -", EFS_VOLUME.format(fs=FILE_SYSTEM_ID)),
                  Step("apply -f -", story_pods()),
                  "get pods -o wide"),
    ),
    Exercise(
        id="5.4", chapter="5", title="kubectl on EKS, and an app behind an ELB",
        task=("Point kubectl at the EKS cluster `kubelearn` (`aws eks update-kubeconfig`: the "
              "EKS context must be the current one), then run a Deployment `web` (2 replicas of "
              "`kubelearn/hello:1`, port 8080) on it behind a Service `web` of type "
              "`LoadBalancer` on port 80 (to 8080). AWS gives the Service an ELB, whose "
              "hostname is its EXTERNAL-IP; `GET http://HOSTNAME/` (`eks.http_get(...)`, with "
              "`eks = aws.cluster(\"kubelearn\")`) must answer 200. A new ELB's name takes a "
              "minute or so to resolve: let time pass with `eks.advance(90)`."),
        checks=(
            Check("context", "kubectl's current context is the EKS cluster kubelearn", 1,
                  eks_context,
                  tip=f"aws eks update-kubeconfig --region {REGION} --name {CLUSTER}"),
            Check("deployment", "web runs 2 ready replicas on the EKS nodes", 1,
                  on_eks(rollout_complete("web", replicas=2)),
                  tip="kubectl rollout status deployment/web"),
            Check("service", "Service web is a LoadBalancer 80 -> 8080 with an ELB hostname", 1,
                  load_balancer("web", 80, 8080)),
            Check("answers", "GET http://ELB-HOSTNAME/ answers 200", 1, elb_answers("web")),
        ),
        hints=("`aws eks update-kubeconfig --name kubelearn` writes a context for the cluster "
               "and makes it current; `kubectl config get-contexts` shows minikube's too.",
               "Apply a Deployment web (kubelearn/hello:1, containerPort 8080) and a Service "
               "web with `type: LoadBalancer`, `port: 80`, `targetPort: 8080` (or `kubectl "
               "expose deployment web --type=LoadBalancer --port=80 --target-port=8080`).",
               "`kubectl get service web` shows the ELB hostname as EXTERNAL-IP; `eks = "
               "aws.cluster(\"kubelearn\")`, `eks.advance(90)`, then "
               "`eks.http_get(f\"http://{hostname}/\").status`."),
        solution=(UPDATE_KUBECONFIG,
                  "config get-contexts",
                  ("apply -f -", WEB),
                  "rollout status deployment/web",
                  "get service web"),
    ),
]
