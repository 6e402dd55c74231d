"""``aws`` command lines: output shapes, --query, exit codes, the CLI's own commands."""
from __future__ import annotations

import json
import os
import stat

import pytest
import yaml

from kubelearn.cloud.aws import aws as aws_function
from kubelearn.cloud.aws.cli import CLIENT_ERROR_RC, GENERAL_ERROR_RC, PARAM_VALIDATION_ERROR_RC
from tests.cloud.aws.conftest import active_cluster, trust

USAGE_HEAD = "\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"


@pytest.fixture
def homes(tmp_path, monkeypatch):
    """A temporary real HOME (with a ~/.kube/config of the learner's) and kubelearn home."""
    real = tmp_path / "home"
    (real / ".kube").mkdir(parents=True)
    (real / ".kube" / "config").write_text("apiVersion: v1\nkind: Config\n# the learner's\n")
    monkeypatch.setenv("HOME", str(real))
    monkeypatch.setenv("KUBELEARN_HOME", str(tmp_path / "kl"))
    return real, tmp_path / "kl"


def test_json_is_the_clis_four_space_json(aws):
    result = aws.cli("sts get-caller-identity")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == json.dumps({"UserId": "AKIAIOSFODNN7EXAMPLE",
                                        "Account": "123456789012",
                                        "Arn": "arn:aws:sts::123456789012:user/moto"},
                                       indent=4) + "\n"
    assert aws_function("aws sts get-caller-identity").stdout == result.stdout


def test_query_and_outputs(aws, net):
    arn = aws.cli("sts get-caller-identity --query Account --output text")
    assert arn.stdout == "123456789012\n"
    assert aws.cli("sts get-caller-identity --query Account").stdout == '"123456789012"\n'
    text = aws.cli(f"ec2 describe-subnets --subnet-ids {' '.join(net.private)} "
                   "--query 'Subnets[].[CidrBlock,AvailabilityZone]' --output text")
    assert text.stdout == "192.168.128.0/18\tus-east-2a\n192.168.192.0/18\tus-east-2b\n"
    table = aws.cli(f"ec2 describe-vpcs --vpc-ids {net.vpc} --query 'Vpcs[].{{Id:VpcId,"
                    f"Cidr:CidrBlock}}' --output table")
    lines = table.stdout.splitlines()
    assert lines[1].strip("| ") == "DescribeVpcs"
    assert any("192.168.0.0/16" in line and net.vpc in line for line in lines)
    assert all(len(line) == len(lines[0]) for line in lines)
    as_yaml = aws.cli(f"ec2 describe-vpcs --vpc-ids {net.vpc} --output yaml")
    assert yaml.safe_load(as_yaml.stdout)["Vpcs"][0]["CidrBlock"] == "192.168.0.0/16"
    assert aws.cli("sts get-caller-identity --query Nope").stdout == "null\n"


def test_service_error_exit_code_and_message(aws):
    result = aws.cli("eks describe-cluster --name nope")
    assert result.exit_code == CLIENT_ERROR_RC == 254
    assert result.stdout == ""
    assert result.stderr == ("\nAn error occurred (ResourceNotFoundException) when calling the "
                             "DescribeCluster operation: No cluster found for name: nope.\n")


@pytest.mark.parametrize("command, error", [
    ("eks describe-cluster", "aws: error: the following arguments are required: --name\n"),
    ("eks describe-cluster --name x --colour blue", "aws: error: Unknown options: --colour, blue\n"),
    ("", "aws: error: the following arguments are required: command\n"),
])
def test_usage_errors_exit_252(aws, command, error):
    result = aws.cli(command)
    assert result.exit_code == PARAM_VALIDATION_ERROR_RC == 252
    assert result.stderr.startswith(USAGE_HEAD) and result.stderr.endswith(error)


def test_parameter_validation_exit_252(aws):
    result = aws.cli("eks create-nodegroup --cluster-name c --nodegroup-name n --node-role "
                     "arn:aws:iam::123456789012:role/r --subnets s1 s2 "
                     "--scaling-config minSize=0,maxSize=2,desiredSize=-1")
    assert result.exit_code == 252
    assert result.stderr == ("\nParameter validation failed:\nInvalid value for parameter "
                             "scalingConfig.desiredSize, value: -1, valid min value: 0\n")


def test_shorthand_json_and_file_parameters(aws, net, tmp_path):
    policy = tmp_path / "trust.json"
    policy.write_text(trust("ec2.amazonaws.com"))
    made = aws.cli(f"iam create-role --role-name cli-file-role --assume-role-policy-document "
                   f"file://{policy} --query Role.RoleName --output text")
    assert made.stdout == "cli-file-role\n"
    filtered = aws.cli(f"ec2 describe-subnets --filters Name=vpc-id,Values={net.vpc} "
                       "Name=availability-zone,Values=us-east-2a,us-east-2b "
                       "--query 'length(Subnets)'")
    assert filtered.stdout == "4\n"
    as_json = aws.cli("ec2 describe-subnets --filters '[{\"Name\": \"vpc-id\", \"Values\": [\""
                      + net.vpc + "\"]}]' --query 'length(Subnets)'")
    assert as_json.stdout == "4\n"


def test_security_group_nfs_rule_shortcut(aws, net):
    group = aws.cli(f"ec2 create-security-group --group-name cli-nfs --description NFS "
                    f"--vpc-id {net.vpc} --query GroupId --output text").stdout.strip()
    rule = aws.cli(f"ec2 authorize-security-group-ingress --group-id {group} --protocol tcp "
                   "--port 2049 --cidr 192.168.0.0/16")
    assert rule.exit_code == 0, rule.stderr
    assert json.loads(rule.stdout)["SecurityGroupRules"][0]["FromPort"] == 2049
    again = aws.cli(f"ec2 authorize-security-group-ingress --group-id {group} --protocol tcp "
                    "--port 2049 --cidr 192.168.0.0/16")
    assert again.exit_code == 254 and "InvalidPermission.Duplicate" in again.stderr


def test_wait_and_update_kubeconfig(aws, net, homes):
    real, kl = homes
    before = (real / ".kube" / "config").read_text()
    aws.cli(f"eks create-cluster --name cli-kc --role-arn {net.cluster_role} "
            f"--resources-vpc-config subnetIds={','.join(net.subnets)}")
    early = aws.cli("eks update-kubeconfig --name cli-kc")
    assert (early.exit_code, early.stderr) == (GENERAL_ERROR_RC, "\nCluster status is CREATING\n")
    assert not (kl / "kube" / "config").exists()
    start = aws.now
    assert aws.cli("eks wait cluster-active --name cli-kc").exit_code == 0
    assert aws.now - start == 600
    done = aws.cli("eks update-kubeconfig --region us-east-2 --name cli-kc")
    path = kl / "kube" / "config"
    arn = "arn:aws:eks:us-east-2:123456789012:cluster/cli-kc"
    assert done.stdout == f"Added new context {arn} to {path}\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    config = yaml.safe_load(path.read_text())
    assert config["current-context"] == arn
    assert config["users"][0]["user"]["exec"]["args"] == [
        "--region", "us-east-2", "eks", "get-token", "--cluster-name", "cli-kc", "--output",
        "json"]
    again = aws.cli("eks update-kubeconfig --name cli-kc")
    assert again.stdout == f"Updated context {arn} to {path}\n"
    assert (real / ".kube" / "config").read_text() == before
    assert not (real / ".aws").exists()


def test_nodegroup_wait_failure_exit_255(aws, net):
    active_cluster(aws, net, "cli-ngfail")
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    lonely = ec2.create_subnet(VpcId=vpc, CidrBlock="10.77.0.0/24")["Subnet"]["SubnetId"]
    made = aws.cli(f"eks create-nodegroup --cluster-name cli-ngfail --nodegroup-name ng "
                   f"--node-role {net.node_role} --subnets {lonely} "
                   "--scaling-config minSize=1,maxSize=2,desiredSize=1 --query nodegroup.status")
    assert made.stdout == '"CREATING"\n'
    failed = aws.cli("eks wait nodegroup-active --cluster-name cli-ngfail --nodegroup-name ng")
    assert failed.exit_code == 255
    assert failed.stderr == ('\nWaiter NodegroupActive failed: Waiter encountered a terminal '
                             'failure state: For expression "nodegroup.status" we matched '
                             'expected path: "CREATE_FAILED"\n')
    issue = aws.cli("eks describe-nodegroup --cluster-name cli-ngfail --nodegroup-name ng "
                    "--query 'nodegroup.health.issues[0].[code,message]' --output text")
    assert issue.stdout == "NodeCreationFailure\tInstances failed to join the kubernetes cluster\n"


def test_configure(aws, homes):
    _, kl = homes
    assert aws.cli("configure set region us-east-2").stdout == ""
    assert aws.cli("configure set aws_access_key_id AKIAEXAMPLEEXAMPLE12").exit_code == 0
    assert aws.cli("configure get region").stdout == "us-east-2\n"
    listing = aws.cli("configure list").stdout
    assert "****************LE12" in listing and str(kl / "aws" / "config") in listing
    assert "AKIAEXAMPLEEXAMPLE12" in (kl / "aws" / "credentials").read_text()
    assert aws.cli("configure get nothing-set").exit_code == 1


def test_aws_magic_writes_like_a_terminal(aws, capsys):
    import kubelearn.magics as magics

    magics.aws_magic("sts get-caller-identity --query Account --output text")
    magics.aws_magic("eks describe-cluster --name nope")
    out, err = capsys.readouterr()
    assert out == "123456789012\n"
    assert err.startswith("\nAn error occurred (ResourceNotFoundException)")
    assert magics.last_result.exit_code == 254


def test_eks_version_is_kubernetes_version_on_the_command_line(aws, net):
    """The CLI renames EKS's ``version`` to ``--kubernetes-version`` (``--version`` is its
    own global option), as awscli's argrename does."""
    subnets = ",".join(net.subnets)
    created = aws.cli(f"eks create-cluster --name cli-k8s-version --kubernetes-version 1.32 "
                      f"--role-arn {net.cluster_role} --resources-vpc-config "
                      f"subnetIds={subnets} --query cluster.version --output text")
    assert (created.exit_code, created.stdout) == (0, "1.32\n")
