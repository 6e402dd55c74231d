"""The tabs of ``AWSConsole``: tables read through boto3, forms that call boto3.

Each tab is a VBox with ``redraw()``; its forms call ``console.run(command, call)``
with the equivalent ``aws`` command line and the boto3 call on the hooked client.
"""
from __future__ import annotations

import json
from html import escape

import ipywidgets as widgets

from kubelearn.cloud.aws.checks import INSTANCE_TYPES, NODE_POLICIES, trusted_services
from kubelearn.viz.aws import NFS_PORT, rule_text, subnet_kind
from kubelearn.widgets.aws_console import badge, cli_arg, html_table, set_options

POLICY = "arn:aws:iam::aws:policy/"
CLUSTER_POLICIES = (POLICY + "AmazonEKSClusterPolicy",)
POLICIES = ("AmazonEKSClusterPolicy", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy",
            "AmazonEC2ContainerRegistryReadOnly", "AmazonEKSVPCResourceController",
            "AmazonEKSServicePolicy")
SERVICES = {"eks": "eks.amazonaws.com", "ec2": "ec2.amazonaws.com"}
WIDE = widgets.Layout(width="420px")


def trust_document(service: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def _button(text: str, css: str) -> widgets.Button:
    button = widgets.Button(description=text, layout=widgets.Layout(width="auto"))
    button.add_class(css)
    return button


def _form(title: str, *children) -> widgets.VBox:
    return widgets.VBox([widgets.HTML(f"<strong>{escape(title)}</strong>"), *children])


def _need(value, what: str):
    if not value:
        raise ValueError(f"{what} is required")
    return value


class Tab(widgets.VBox):
    title = ""
    css = ""

    def __init__(self, console, forms: list):
        self.console = console
        self.stale = True
        self.tables = widgets.HTML()
        super().__init__([self.tables, *forms])
        self.add_class(self.css)

    def redraw(self) -> None:
        self.stale = False
        self.tables.value = self.html()

    def run(self, command: str, call):
        return self.console.run(command, call)

    def client(self, name: str):
        return self.console.client(name)

    def plain(self, name: str):
        return self.console.aws.plain(name, self.console.region)


# -- IAM ------------------------------------------------------------------------------
def roles(console) -> list[dict]:
    return sorted(console.aws.plain("iam").list_roles()["Roles"], key=lambda r: r["RoleName"])


class IamTab(Tab):
    title, css = "IAM roles", "kubelearn-aws-iam"

    def __init__(self, console):
        self.role_name = widgets.Text(description="Role name", placeholder="eksClusterRole")
        self.trusted = widgets.Dropdown(options=[("EKS (eks.amazonaws.com)", "eks"),
                                                 ("EC2 (ec2.amazonaws.com)", "ec2")],
                                        description="Trusted")
        self.create_button = _button("Create role", "kubelearn-aws-create-role")
        self.attach_role = widgets.Dropdown(description="Role")
        self.policy = widgets.Dropdown(options=POLICIES, description="Policy", layout=WIDE)
        self.attach_button = _button("Attach policy", "kubelearn-aws-attach-policy")
        self.create_button.on_click(lambda _b: self.create_role())
        self.attach_button.on_click(lambda _b: self.attach_policy())
        super().__init__(console, [
            _form("Create role", widgets.HBox([self.role_name, self.trusted, self.create_button])),
            _form("Attach a permissions policy",
                  widgets.HBox([self.attach_role, self.policy, self.attach_button]))])

    def html(self) -> str:
        iam = self.plain("iam")
        rows = []
        for role in roles(self.console):
            services = sorted(trusted_services(role))
            attached = {p["PolicyArn"] for p in iam.list_attached_role_policies(
                RoleName=role["RoleName"])["AttachedPolicies"]}
            needed = (list(CLUSTER_POLICIES) if "eks.amazonaws.com" in services else []) \
                + (list(NODE_POLICIES) if "ec2.amazonaws.com" in services else [])
            checks = "<br>".join(
                f'<span class="{"kubelearn-ok" if arn in attached else "kubelearn-bad"}">'
                f'{"✓" if arn in attached else "✗ missing"} {escape(arn.rsplit("/", 1)[-1])}'
                f"</span>" for arn in needed) or "–"
            others = sorted(a.rsplit("/", 1)[-1] for a in attached if a not in needed)
            rows.append((role["RoleName"], [escape(role["RoleName"]), escape(", ".join(services)),
                                            checks, escape(", ".join(others)) or "–"]))
        names = [r["RoleName"] for r in roles(self.console)]
        set_options(self.attach_role, names)
        return html_table("Roles", ["Role name", "Trusted entities", "EKS needs",
                                    "Other policies"], rows)

    def create_role(self):
        name, service = self.role_name.value.strip(), SERVICES[self.trusted.value]
        document = trust_document(service)
        return self.run(
            f"aws iam create-role --role-name {cli_arg(name)} "
            f"--assume-role-policy-document {cli_arg(document)}",
            lambda: self.client("iam").create_role(
                RoleName=_need(name, "role name"), AssumeRolePolicyDocument=document))

    def attach_policy(self):
        role, arn = self.attach_role.value, POLICY + self.policy.value
        return self.run(
            f"aws iam attach-role-policy --role-name {cli_arg(role)} --policy-arn {arn}",
            lambda: self.client("iam").attach_role_policy(RoleName=_need(role, "role"),
                                                          PolicyArn=arn))


# -- CloudFormation -------------------------------------------------------------------
def stack_outputs(console) -> dict[str, dict[str, str]]:
    """Stack name -> outputs, for the stacks that have any."""
    found = {}
    for stack in console.aws.plain("cloudformation", console.region).describe_stacks()["Stacks"]:
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}
        if outputs:
            found[stack["StackName"]] = outputs
    return dict(sorted(found.items()))


class StackTab(Tab):
    title, css = "CloudFormation", "kubelearn-aws-cloudformation"

    def __init__(self, console):
        self.stack_name = widgets.Text(value="my-eks-vpc-stack", description="Stack name")
        self.create_button = _button("Create stack (EKS sample VPC template)",
                                     "kubelearn-aws-create-stack")
        self.create_button.on_click(lambda _b: self.create_stack())
        super().__init__(console, [_form("Create stack", widgets.HBox([
            self.stack_name, self.create_button]))])

    def html(self) -> str:
        cfn = self.plain("cloudformation")
        stacks = sorted(cfn.describe_stacks()["Stacks"], key=lambda s: s["StackName"])
        out = [html_table("Stacks", ["Stack name", "Status", "Reason"], [
            (s["StackName"], [escape(s["StackName"]), badge(s["StackStatus"]),
                              escape(s.get("StackStatusReason", ""))]) for s in stacks])]
        for stack in stacks:
            name = stack["StackName"]
            outputs = sorted(stack.get("Outputs") or [], key=lambda o: o["OutputKey"])
            out.append(html_table(f"{name}: outputs", ["Key", "Value", "Description"], [
                (f"{name}/{o['OutputKey']}", [escape(o["OutputKey"]), escape(o["OutputValue"]),
                                              escape(o.get("Description", ""))])
                for o in outputs]))
            events = cfn.describe_stack_events(StackName=name)["StackEvents"]
            out.append(html_table(f"{name}: events ({len(events)})", [
                "Logical ID", "Type", "Status"], [
                (f"{name}/{i}", [escape(e["LogicalResourceId"]), escape(e["ResourceType"]),
                                 badge(e["ResourceStatus"])])
                for i, e in enumerate(events)]))
        return "".join(out)

    def create_stack(self):
        name = self.stack_name.value.strip()
        aws = self.console.aws
        return self.run(
            f"aws cloudformation create-stack --stack-name {cli_arg(name)} "
            f"--template-body file://{aws.samples.EKS_VPC_TEMPLATE}",
            lambda: self.client("cloudformation").create_stack(
                StackName=_need(name, "stack name"), TemplateBody=aws.samples.template_body()))


# -- EKS ------------------------------------------------------------------------------
def subnet_options(console) -> list[tuple[str, str]]:
    """The subnets of the stacks' ``SubnetIds`` outputs (else all), labelled by AZ and kind."""
    ids = [s for out in stack_outputs(console).values()
           for s in out.get("SubnetIds", "").split(",") if s]
    ec2 = console.aws.plain("ec2", console.region)
    subnets = ec2.describe_subnets(**({"SubnetIds": ids} if ids else {}))["Subnets"]
    subnets.sort(key=lambda s: (s["VpcId"], subnet_kind(s), s["AvailabilityZone"], s["SubnetId"]))
    return [(f"{s['SubnetId']} · {s['AvailabilityZone']} · {subnet_kind(s)} · {s['CidrBlock']}",
             s["SubnetId"]) for s in subnets]


def group_options(console) -> list[tuple[str, str]]:
    groups = console.aws.plain("ec2", console.region).describe_security_groups()["SecurityGroups"]
    return [(f"{g['GroupId']} · {g['GroupName']} · {g['VpcId']}", g["GroupId"])
            for g in sorted(groups, key=lambda g: (g["VpcId"], g["GroupName"], g["GroupId"]))]


class EksTab(Tab):
    title, css = "EKS", "kubelearn-aws-eks"

    def __init__(self, console):
        self.cluster_name = widgets.Text(value="my-cluster", description="Name")
        self.cluster_role = widgets.Dropdown(description="Cluster role", layout=WIDE)
        self.cluster_subnets = widgets.SelectMultiple(description="Subnets", layout=WIDE)
        self.cluster_groups = widgets.SelectMultiple(description="Security groups", layout=WIDE)
        self.create_cluster_button = _button("Create cluster", "kubelearn-aws-create-cluster")
        self.ng_cluster = widgets.Dropdown(description="Cluster")
        self.ng_name = widgets.Text(value="my-nodes", description="Node group")
        self.ng_role = widgets.Dropdown(description="Node role", layout=WIDE)
        self.ng_subnets = widgets.SelectMultiple(description="Subnets", layout=WIDE)
        self.ng_min, self.ng_desired, self.ng_max = (
            widgets.BoundedIntText(value=v, min=0, max=100, description=d,
                                   layout=widgets.Layout(width="160px"))
            for v, d in ((1, "min"), (2, "desired"), (3, "max")))
        self.ng_instance = widgets.Dropdown(options=sorted(INSTANCE_TYPES), value="t3.medium",
                                            description="Instance type")
        self.create_ng_button = _button("Create node group", "kubelearn-aws-create-nodegroup")
        self.scale_target = widgets.Dropdown(description="Node group")
        self.scale_min, self.scale_desired, self.scale_max = (
            widgets.BoundedIntText(value=v, min=0, max=100, description=d,
                                   layout=widgets.Layout(width="160px"))
            for v, d in ((1, "min"), (2, "desired"), (3, "max")))
        self.scale_button = _button("Update scaling", "kubelearn-aws-update-scaling")
        self.create_cluster_button.on_click(lambda _b: self.create_cluster())
        self.create_ng_button.on_click(lambda _b: self.create_nodegroup())
        self.scale_button.on_click(lambda _b: self.update_scaling())
        super().__init__(console, [
            _form("Create cluster", widgets.HBox([self.cluster_name, self.cluster_role]),
                  widgets.HBox([self.cluster_subnets, self.cluster_groups]),
                  self.create_cluster_button),
            _form("Compute: add node group", widgets.HBox([self.ng_cluster, self.ng_name,
                                                           self.ng_role]),
                  widgets.HBox([self.ng_subnets, self.ng_instance]),
                  widgets.HBox([self.ng_min, self.ng_desired, self.ng_max,
                                self.create_ng_button])),
            _form("Compute: edit node group scaling", widgets.HBox([
                self.scale_target, self.scale_min, self.scale_desired, self.scale_max,
                self.scale_button]))])

    def html(self) -> str:
        eks, aws, region = self.client("eks"), self.console.aws, self.console.region
        clusters, groups, addons = [], [], []
        for name in sorted(eks.list_clusters()["clusters"]):
            cluster = eks.describe_cluster(name=name)["cluster"]
            clusters.append((name, [escape(name), badge(cluster["status"]),
                                    escape(cluster.get("version", "")),
                                    escape(cluster.get("endpoint", "")),
                                    escape(cluster["roleArn"].rsplit("/", 1)[-1])]))
            for ng_name in sorted(eks.list_nodegroups(clusterName=name)["nodegroups"]):
                ng = eks.describe_nodegroup(clusterName=name, nodegroupName=ng_name)["nodegroup"]
                scaling = ng.get("scalingConfig", {})
                issues = "<br>".join(f"{escape(i['code'])}: {escape(i.get('message', ''))}"
                                     for i in (ng.get("health") or {}).get("issues", []))
                nodes = aws.bridge.nodes.get((region, name, ng_name), [])
                groups.append((f"{name}/{ng_name}", [
                    escape(name), escape(ng_name), badge(ng["status"]),
                    f"{scaling.get('minSize')}/{scaling.get('desiredSize')}/"
                    f"{scaling.get('maxSize')}",
                    escape(", ".join(ng.get("instanceTypes") or [])),
                    "<br>".join(escape(n["name"]) for n in sorted(nodes, key=lambda n: n["name"]))
                    or "–", issues or "–"]))
            try:
                for addon in sorted(eks.list_addons(clusterName=name).get("addons", [])):
                    found = eks.describe_addon(clusterName=name, addonName=addon)["addon"]
                    addons.append((f"{name}/{addon}", [escape(name), escape(addon),
                                                       badge(found.get("status", "")),
                                                       escape(found.get("addonVersion", ""))]))
            except Exception:          # noqa: BLE001 - add-ons are optional here
                pass
        role_names = [r["Arn"] for r in roles(self.console)]
        role_options = [(arn.rsplit("/", 1)[-1], arn) for arn in role_names]
        set_options(self.cluster_role, role_options)
        set_options(self.ng_role, role_options)
        subnets = subnet_options(self.console)
        set_options(self.cluster_subnets, subnets)
        set_options(self.ng_subnets, subnets)
        set_options(self.cluster_groups, group_options(self.console))
        set_options(self.ng_cluster, [key for key, _ in clusters])
        set_options(self.scale_target, [key for key, _ in groups])
        return (html_table("Clusters", ["Name", "Status", "Version", "API server endpoint",
                                        "Cluster role"], clusters)
                + html_table("Compute: node groups", ["Cluster", "Node group", "Status",
                                                      "Min/desired/max", "Instance types",
                                                      "Nodes", "Health issues"], groups)
                + html_table("Add-ons", ["Cluster", "Add-on", "Status", "Version"], addons))

    def create_cluster(self):
        name, role = self.cluster_name.value.strip(), self.cluster_role.value
        config = {"subnetIds": list(self.cluster_subnets.value)}
        if self.cluster_groups.value:
            config["securityGroupIds"] = list(self.cluster_groups.value)
        short = ",".join(f"{k}={','.join(v)}" for k, v in config.items())
        return self.run(
            f"aws eks create-cluster --name {cli_arg(name)} --role-arn {role} "
            f"--resources-vpc-config {short}",
            lambda: self.client("eks").create_cluster(
                name=_need(name, "cluster name"), roleArn=_need(role, "cluster role"),
                resourcesVpcConfig=config))

    def create_nodegroup(self):
        cluster, name, role = self.ng_cluster.value, self.ng_name.value.strip(), self.ng_role.value
        scaling = {"minSize": self.ng_min.value, "maxSize": self.ng_max.value,
                   "desiredSize": self.ng_desired.value}
        subnets = list(self.ng_subnets.value)
        return self.run(
            f"aws eks create-nodegroup --cluster-name {cli_arg(cluster)} --nodegroup-name "
            f"{cli_arg(name)} --node-role {role} --subnets {' '.join(subnets)} "
            f"--instance-types {self.ng_instance.value} --scaling-config "
            f"minSize={scaling['minSize']},maxSize={scaling['maxSize']},"
            f"desiredSize={scaling['desiredSize']}",
            lambda: self.client("eks").create_nodegroup(
                clusterName=_need(cluster, "cluster"), nodegroupName=_need(name, "name"),
                nodeRole=_need(role, "node role"), subnets=subnets,
                instanceTypes=[self.ng_instance.value], scalingConfig=scaling))

    def update_scaling(self):
        cluster, _, name = (self.scale_target.value or "/").partition("/")
        scaling = {"minSize": self.scale_min.value, "maxSize": self.scale_max.value,
                   "desiredSize": self.scale_desired.value}
        return self.run(
            f"aws eks update-nodegroup-config --cluster-name {cli_arg(cluster)} "
            f"--nodegroup-name {cli_arg(name)} --scaling-config minSize={scaling['minSize']},"
            f"maxSize={scaling['maxSize']},desiredSize={scaling['desiredSize']}",
            lambda: self.client("eks").update_nodegroup_config(
                clusterName=_need(cluster, "node group"), nodegroupName=name,
                scalingConfig=scaling))


# -- VPC ------------------------------------------------------------------------------
class VpcTab(Tab):
    title, css = "VPC", "kubelearn-aws-vpc"

    def __init__(self, console):
        self.vpc = widgets.Dropdown(description="VPC", layout=WIDE)
        self.group_name = widgets.Text(value="efs-nfs", description="Name")
        self.description = widgets.Text(value="NFS from the VPC", description="Description")
        self.create_button = _button("Create security group", "kubelearn-aws-create-sg")
        self.rule_group = widgets.Dropdown(description="Group", layout=WIDE)
        self.nfs_button = _button(f"Add rule: NFS (TCP {NFS_PORT}) from VPC CIDR",
                                  "kubelearn-aws-add-nfs-rule")
        self.create_button.on_click(lambda _b: self.create_group())
        self.nfs_button.on_click(lambda _b: self.add_nfs_rule())
        super().__init__(console, [
            _form("Create security group", widgets.HBox([self.vpc, self.group_name]),
                  widgets.HBox([self.description, self.create_button])),
            _form("Edit inbound rules", widgets.HBox([self.rule_group, self.nfs_button]))])

    def vpcs(self) -> list[dict]:
        return sorted(self.plain("ec2").describe_vpcs()["Vpcs"], key=lambda v: v["VpcId"])

    def html(self) -> str:
        ec2 = self.plain("ec2")
        groups = ec2.describe_security_groups()["SecurityGroups"]
        out = []
        for vpc in self.vpcs():
            mine = sorted((g for g in groups if g["VpcId"] == vpc["VpcId"]),
                          key=lambda g: g["GroupId"])
            rows = [(g["GroupId"], [escape(g["GroupId"]), escape(g["GroupName"]),
                                    escape(g.get("Description", "")),
                                    "<br>".join(escape(line) for rule in g["IpPermissions"]
                                                for line in rule_text(rule)) or "–"])
                    for g in mine]
            out.append(html_table(f"VPC {vpc['VpcId']} ({vpc['CidrBlock']}): security groups",
                                  ["Group ID", "Name", "Description", "Inbound rules"], rows))
        set_options(self.vpc, [(f"{v['VpcId']} · {v['CidrBlock']}", v["VpcId"])
                               for v in self.vpcs()])
        set_options(self.rule_group, group_options(self.console))
        return "".join(out)

    def create_group(self):
        name, text, vpc = self.group_name.value.strip(), self.description.value, self.vpc.value
        return self.run(
            f"aws ec2 create-security-group --group-name {cli_arg(name)} --description "
            f"{cli_arg(text)} --vpc-id {vpc}",
            lambda: self.client("ec2").create_security_group(
                GroupName=_need(name, "group name"), Description=text, VpcId=_need(vpc, "VPC")))

    def add_nfs_rule(self):
        group = self.rule_group.value
        ec2 = self.plain("ec2")
        cidr = ""
        if group:
            vpc = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["VpcId"]
            cidr = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["CidrBlock"]
        return self.run(
            f"aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp "
            f"--port {NFS_PORT} --cidr {cidr}",
            lambda: self.client("ec2").authorize_security_group_ingress(
                GroupId=_need(group, "security group"), IpPermissions=[{
                    "IpProtocol": "tcp", "FromPort": NFS_PORT, "ToPort": NFS_PORT,
                    "IpRanges": [{"CidrIp": cidr}]}]))


# -- EFS ------------------------------------------------------------------------------
class EfsTab(Tab):
    title, css = "EFS", "kubelearn-aws-efs"

    def __init__(self, console):
        self.token = widgets.Text(value="my-efs", description="Creation token")
        self.create_button = _button("Create file system", "kubelearn-aws-create-fs")
        self.fs = widgets.Dropdown(description="File system")
        self.subnet = widgets.Dropdown(description="Subnet", layout=WIDE)
        self.group = widgets.Dropdown(description="Security group", layout=WIDE)
        self.mount_button = _button("Create mount target", "kubelearn-aws-create-mount-target")
        self.create_button.on_click(lambda _b: self.create_file_system())
        self.mount_button.on_click(lambda _b: self.create_mount_target())
        super().__init__(console, [
            _form("Create file system", widgets.HBox([self.token, self.create_button])),
            _form("Create mount target", widgets.HBox([self.fs, self.subnet]),
                  widgets.HBox([self.group, self.mount_button]))])

    def html(self) -> str:
        efs = self.plain("efs")
        systems = sorted(efs.describe_file_systems()["FileSystems"],
                         key=lambda f: f["FileSystemId"])
        out, fs_rows = [], []
        for fs in systems:
            fs_id = fs["FileSystemId"]
            targets = sorted(efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"],
                             key=lambda t: (t["AvailabilityZoneName"], t["MountTargetId"]))
            fs_rows.append((fs_id, [escape(fs_id), escape(fs.get("CreationToken", "")),
                                    badge(fs["LifeCycleState"]), str(len(targets))]))
            rows = []
            for t in targets:
                sgs = efs.describe_mount_target_security_groups(
                    MountTargetId=t["MountTargetId"])["SecurityGroups"]
                rows.append((t["MountTargetId"], [
                    escape(t["AvailabilityZoneName"]), escape(t["MountTargetId"]),
                    escape(t["SubnetId"]), escape(", ".join(sorted(sgs))),
                    escape(t.get("IpAddress", "")), badge(t["LifeCycleState"])]))
            out.append(html_table(f"{fs_id}: mount targets per AZ", [
                "Availability Zone", "Mount target", "Subnet", "Security groups", "IP address",
                "State"], rows, empty="No mount target: no node can mount it"))
        set_options(self.fs, [f["FileSystemId"] for f in systems])
        set_options(self.subnet, subnet_options(self.console))
        set_options(self.group, group_options(self.console))
        return html_table("File systems", ["File system ID", "Creation token", "State",
                                           "Mount targets"], fs_rows) + "".join(out)

    def create_file_system(self):
        token = self.token.value.strip()
        return self.run(
            f"aws efs create-file-system --creation-token {cli_arg(token)}",
            lambda: self.client("efs").create_file_system(
                CreationToken=_need(token, "creation token")))

    def create_mount_target(self):
        fs, subnet, group = self.fs.value, self.subnet.value, self.group.value
        return self.run(
            f"aws efs create-mount-target --file-system-id {fs} --subnet-id {subnet} "
            f"--security-groups {group}",
            lambda: self.client("efs").create_mount_target(
                FileSystemId=_need(fs, "file system"), SubnetId=_need(subnet, "subnet"),
                SecurityGroups=[_need(group, "security group")]))


# -- Diagram --------------------------------------------------------------------------
class DiagramTab(Tab):
    title, css = "Diagram", "kubelearn-aws-diagram"

    def __init__(self, console):
        super().__init__(console, [])
        self.diagram = None

    def html(self) -> str:
        self.diagram = self.console.aws.diagram(self.console.region)
        try:
            return self.diagram.svg
        except RuntimeError as error:            # graphviz-pure missing: say so, show DOT
            return f"<p>{escape(str(error))}</p><pre>{escape(self.diagram.source)}</pre>"
