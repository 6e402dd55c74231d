"""``aws.diagram()``: the AWS side of an EKS deployment, read through boto3.

* each VPC is a box (id, CIDR, the stack that made it), holding one box per
  Availability Zone, holding its subnets (public / private, id and CIDR);
* node group instances sit in their subnets, named as the Kubernetes nodes the
  bridge added (``ip-192-168-…​.REGION.compute.internal``); a node group that is
  not ACTIVE yet is one grey line in the VPC box;
* the EKS control plane is outside every VPC, in a box "managed by AWS", with
  an edge to each of its node groups' instances (they join it) and to the
  security groups of its ``resourcesVpcConfig``;
* an EFS file system is outside the VPC too (a regional service), with an edge
  to each mount target, drawn in its subnet; each mount target has a dashed edge
  to its security groups, labelled with the NFS rule (``NFS tcp/2049 from
  192.168.0.0/16``) or, in red, ``no NFS (tcp/2049) rule``;
* the security groups of each VPC are listed in the VPC box with their inbound
  rules.

Everything is sorted (VPCs, AZs, subnets, ids) so two identical accounts give
byte-identical DOT. Reads use ``aws.plain``: a diagram never moves time or
fires a hook.
"""
from __future__ import annotations

from kubelearn.viz.common import FAILING_COLOUR, IDLE_COLOUR, OBJECT_COLOUR, OK_COLOUR, PENDING_COLOUR
from kubelearn.viz.dot import Diagram, Digraph

NFS_PORT = 2049
AWS_COLOUR = "#ffe8cc"
STATUS_FILL = {"ACTIVE": OK_COLOUR, "available": OK_COLOUR, "CREATING": PENDING_COLOUR,
               "creating": PENDING_COLOUR, "UPDATING": PENDING_COLOUR}


def _tag(obj: dict, key: str) -> str:
    return next((t["Value"] for t in obj.get("Tags") or [] if t["Key"] == key), "")


def subnet_kind(subnet: dict) -> str:
    """``public`` or ``private``: the EKS template's ELB role tags, else the public-IP flag."""
    keys = {t["Key"] for t in subnet.get("Tags") or []}
    if "kubernetes.io/role/elb" in keys:
        return "public"
    if "kubernetes.io/role/internal-elb" in keys:
        return "private"
    return "public" if subnet.get("MapPublicIpOnLaunch") else "private"


def rule_text(rule: dict) -> list[str]:
    """One line per source of an inbound rule: ``tcp 2049 from 192.168.0.0/16``."""
    proto = rule.get("IpProtocol", "-1")
    if proto == "-1":
        what = "all traffic"
    else:
        low, high = rule.get("FromPort"), rule.get("ToPort")
        what = f"{proto} {low}" if low == high else f"{proto} {low}-{high}"
    sources = sorted([r["CidrIp"] for r in rule.get("IpRanges", [])]
                     + [r["CidrIpv6"] for r in rule.get("Ipv6Ranges", [])]
                     + [p["GroupId"] for p in rule.get("UserIdGroupPairs", [])])
    return [f"{what} from {source}" for source in sources] or [what]


def nfs_sources(group: dict) -> list[str]:
    """The sources a security group lets in on TCP 2049."""
    found = []
    for rule in group.get("IpPermissions", []):
        proto = rule.get("IpProtocol")
        if proto == "-1" or (proto == "tcp" and rule.get("FromPort", 0) <= NFS_PORT
                             <= rule.get("ToPort", -1)):
            found += [r["CidrIp"] for r in rule.get("IpRanges", [])]
            found += [p["GroupId"] for p in rule.get("UserIdGroupPairs", [])]
    return sorted(found)


def _status_fill(status: str) -> str:
    return STATUS_FILL.get(status, IDLE_COLOUR if status in ("DELETING", "deleting")
                           else FAILING_COLOUR)


def aws_diagram(aws, region: str | None = None) -> Diagram:
    region = region or aws.region
    ec2, eks, efs, cfn = (aws.plain(s, region) for s in ("ec2", "eks", "efs", "cloudformation"))
    vpcs = sorted(ec2.describe_vpcs()["Vpcs"], key=lambda v: v["VpcId"])
    subnets = sorted(ec2.describe_subnets()["Subnets"],
                     key=lambda s: (s["VpcId"], s["AvailabilityZone"], subnet_kind(s) != "public",
                                    s["CidrBlock"], s["SubnetId"]))
    groups = sorted(ec2.describe_security_groups()["SecurityGroups"], key=lambda g: g["GroupId"])
    stacks = {}
    for stack in cfn.describe_stacks()["Stacks"]:
        for out in stack.get("Outputs") or []:
            if out["OutputKey"] == "VpcId":
                stacks.setdefault(out["OutputValue"], stack["StackName"])
    in_subnet: dict[str, list[tuple[str, str, dict]]] = {}   # subnet -> (id, label, attrs)
    edges: list[tuple[str, str, dict]] = []
    pending: dict[str, list[str]] = {}                      # vpc -> lines
    subnet_vpc = {s["SubnetId"]: s["VpcId"] for s in subnets}

    g = Digraph("aws", rankdir="LR", compound=True, fontname="Helvetica", fontsize=11,
                label=f"AWS account {aws.account_id} · {region}", labelloc="t",
                node_attr={"shape": "box", "style": "rounded,filled", "fillcolor": "white",
                           "fontname": "Helvetica", "fontsize": 10},
                edge_attr={"fontname": "Helvetica", "fontsize": 9})

    # -- EKS -------------------------------------------------------------------------
    clusters = []
    for name in sorted(eks.list_clusters()["clusters"]):
        try:
            clusters.append(eks.describe_cluster(name=name)["cluster"])
        except eks.exceptions.ClientError:
            continue
    if clusters:
        with g.subgraph("aws_managed", "EKS control plane · managed by AWS (outside your VPC)",
                        style="rounded,dashed", color="#d9480f") as box:
            for cluster in clusters:
                record = aws.lifecycle.clusters.get((region, cluster["name"])) or {}
                status = record.get("status") or cluster["status"]
                box.node(f"eks/{cluster['name']}",
                         f"EKS cluster {cluster['name']}\n{status} · Kubernetes "
                         f"{record.get('version') or cluster.get('version', '')}\nAPI server + etcd",
                         fillcolor=_status_fill(status))
    for cluster in clusters:
        key = f"eks/{cluster['name']}"
        for group_id in sorted(cluster.get("resourcesVpcConfig", {}).get("securityGroupIds", [])):
            edges.append((key, f"sg/{group_id}", {"style": "dotted", "arrowhead": "none",
                                                  "label": "control plane ENIs"}))
        for ng_name in sorted(eks.list_nodegroups(clusterName=cluster["name"])["nodegroups"]):
            ng = eks.describe_nodegroup(clusterName=cluster["name"],
                                        nodegroupName=ng_name)["nodegroup"]
            record = aws.lifecycle.nodegroups.get((region, cluster["name"], ng_name))
            status = record["status"] if record else ng["status"]
            nodes = aws.bridge.nodes.get((region, cluster["name"], ng_name), [])
            for node in sorted(nodes, key=lambda n: n["name"]):
                node_id = f"node/{node['name']}"
                in_subnet.setdefault(node["subnet"], []).append((
                    node_id, f"{node['name']}\n{ng_name} · {node['ip']}",
                    {"fillcolor": OK_COLOUR if status in ("ACTIVE", "UPDATING") else IDLE_COLOUR}))
                edges.append((node_id, key, {"label": "kubelet", "color": "#6c757d"}))
            if not nodes:
                vpc = next((subnet_vpc[s] for s in ng.get("subnets", []) if s in subnet_vpc), "")
                scaling = ng.get("scalingConfig", {})
                pending.setdefault(vpc, []).append(
                    f"node group {cluster['name']}/{ng_name}: {status} "
                    f"(desired {scaling.get('desiredSize', 0)})")

    # -- EFS -------------------------------------------------------------------------
    systems = sorted(efs.describe_file_systems()["FileSystems"], key=lambda f: f["FileSystemId"])
    group_by_id = {grp["GroupId"]: grp for grp in groups}
    for fs in systems:
        fs_id = fs["FileSystemId"]
        fs_key = f"efs/{fs_id}"
        name = fs.get("Name") or fs.get("CreationToken", "")
        g.node(fs_key, f"EFS {fs_id}\n{name}\n{fs['LifeCycleState']} · regional, outside the VPC",
               shape="cylinder", style="filled", fillcolor=AWS_COLOUR)
        targets = sorted(efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"],
                         key=lambda t: (t["AvailabilityZoneName"], t["MountTargetId"]))
        for target in targets:
            mt = target["MountTargetId"]
            mt_key = f"mt/{mt}"
            in_subnet.setdefault(target["SubnetId"], []).append((
                mt_key, f"mount target {mt}\n{target.get('IpAddress', '')} · "
                        f"{target['LifeCycleState']}",
                {"shape": "box", "fillcolor": AWS_COLOUR}))
            edges.append((fs_key, mt_key, {"label": "NFS", "color": "#d9480f"}))
            sgs = sorted(efs.describe_mount_target_security_groups(
                MountTargetId=mt)["SecurityGroups"])
            for group_id in sgs:
                sources = nfs_sources(group_by_id.get(group_id, {}))
                if sources:
                    edges.append((mt_key, f"sg/{group_id}", {
                        "style": "dashed", "arrowhead": "none", "color": "#1a7f37",
                        "label": f"NFS tcp/{NFS_PORT} from {', '.join(sources)}"}))
                else:
                    edges.append((mt_key, f"sg/{group_id}", {
                        "style": "dashed", "arrowhead": "none", "color": "#dc3545",
                        "fontcolor": "#dc3545", "label": f"no NFS (tcp/{NFS_PORT}) rule"}))

    # -- VPCs ------------------------------------------------------------------------
    used = {subnet_vpc.get(s) for s in in_subnet} | set(pending)
    used |= {grp["VpcId"] for grp in groups if grp["GroupName"] != "default"}
    for vpc in vpcs:
        vpc_id = vpc["VpcId"]
        if vpc.get("IsDefault") and vpc_id not in used and len(vpcs) > 1:
            continue                    # the untouched default VPC: left out
        title = f"VPC {vpc_id} · {vpc['CidrBlock']}"
        name = _tag(vpc, "Name") or stacks.get(vpc_id, "")
        if vpc.get("IsDefault"):
            title += " · default VPC"
        elif name:
            title += f" · {name}"
        with g.subgraph(f"vpc_{vpc_id}", title, style="rounded", color="#1c7ed6",
                        fontsize=12) as box:
            mine = [s for s in subnets if s["VpcId"] == vpc_id]
            for zone in sorted({s["AvailabilityZone"] for s in mine}):
                with box.subgraph(f"az_{vpc_id}_{zone}", f"Availability Zone {zone}",
                                  style="dashed", color="#868e96") as az:
                    for subnet in (s for s in mine if s["AvailabilityZone"] == zone):
                        _subnet_box(az, subnet, in_subnet.get(subnet["SubnetId"], []))
            for group in (grp for grp in groups if grp["VpcId"] == vpc_id):
                rules = [line for rule in group.get("IpPermissions", []) for line in rule_text(rule)]
                lines = [f"security group {group['GroupId']}", group["GroupName"]]
                lines += [f"in: {line}" for line in sorted(rules)] or ["in: (no rules)"]
                box.node(f"sg/{group['GroupId']}", "\n".join(lines), shape="note",
                         fillcolor=OBJECT_COLOUR)
            for i, line in enumerate(sorted(pending.get(vpc_id, []))):
                box.node(f"pending/{vpc_id}/{i}", line, shape="plaintext", style="",
                         fontcolor="#6c757d")
    for vpc, lines in sorted(pending.items()):
        if vpc not in {v["VpcId"] for v in vpcs}:
            for i, line in enumerate(sorted(lines)):
                g.node(f"pending/-/{i}", line, shape="plaintext", style="")
    known = {f"sg/{grp['GroupId']}" for grp in groups}
    for a, b, attrs in edges:
        if b.startswith("sg/") and b not in known:
            continue
        g.edge(a, b, **attrs)
    counts = (f"{len(vpcs)} VPC(s), {len(subnets)} subnet(s), {len(clusters)} EKS cluster(s), "
              f"{len(systems)} EFS file system(s)")
    return Diagram(g, f"AWS {region}: {counts}")


def _subnet_box(az, subnet: dict, members: list[tuple[str, str, dict]]) -> None:
    kind = subnet_kind(subnet)
    name = _tag(subnet, "Name")
    label = f"{kind} subnet {subnet['SubnetId']}\n{subnet['CidrBlock']}"
    if name:
        label += f" · {name}"
    fill = "#e7f5ff" if kind == "public" else "#f1f3f5"
    with az.subgraph(f"subnet_{subnet['SubnetId']}", label, style="rounded,filled",
                     fillcolor=fill, color="#adb5bd") as box:
        if not members:
            box.node(f"empty/{subnet['SubnetId']}", "", shape="point", style="invis")
        for node_id, text, attrs in sorted(members):
            box.node(node_id, text, **attrs)
