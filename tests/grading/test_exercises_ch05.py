"""Chapter 5's exercises in the simulated AWS account, as the chapter's notebook runs them.

The states are built in a child process (``ch05_scenarios.py``): ``ch05.start()``
resets the process's one simulated account, which this session's other AWS tests
share. The starting state scores 0, the reference solutions (aws and kubectl steps,
run in the notebook's order) score full marks, and wrong attempts fail the checks they
must, with the words that matter: a cluster role trusting EC2, policies on the wrong
role, a node group still CREATING or created again in the public subnets without public
IPs, EFS without the NFS rule (pods stuck on ``mount.nfs4: Connection timed out``) or
with an SSH rule instead, the EKS context not the current one, a ClusterIP Service.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kubelearn.grading.model import Step
from kubelearn.grading.registry import exercises

SCENARIOS = Path(__file__).with_name("ch05_scenarios.py")
IDS = [ex.id for ex in exercises("5")]


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    home = tmp_path_factory.mktemp("ch05-home")
    import os

    env = dict(os.environ, KUBELEARN_HOME=str(home))
    done = subprocess.run([sys.executable, str(SCENARIOS)], capture_output=True, text=True,
                          env=env, timeout=600, cwd=SCENARIOS.parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def items(states, scenario, ex_id):
    return states[scenario][ex_id]["items"]


def test_four_exercises_are_registered_with_hints_and_solutions():
    assert IDS == ["5.1", "5.2", "5.3", "5.4"]
    for ex in exercises("5"):
        assert len(ex.hints) == 3 and ex.solution and ex.max_points > 0
        assert any(step.tool == "aws" for step in ex.solution)


def test_the_starting_state_scores_zero(states):
    for ex_id in IDS:
        assert states["fresh"][ex_id]["score"] == 0, states["fresh"][ex_id]


def test_untouched_and_solved_exercises_recognise_no_misconception(states):
    for scenario in ("fresh", "solved"):
        for ex_id in IDS:
            assert [i["misconception"] for i in items(states, scenario, ex_id).values()
                    if i["misconception"]] == [], (scenario, ex_id)


def test_the_reference_solutions_score_full_marks(states):
    assert states["steps failed"] == []
    for ex_id in IDS:
        got = states["solved"][ex_id]
        assert got["score"] == got["max"], got


def test_5_1_a_cluster_role_trusting_ec2_and_policies_on_the_wrong_role(states):
    got = items(states, "5.1 wrong trust, swapped policy", "5.1")
    assert not got["cluster-trust"]["passed"]
    assert "trust policy lets ec2.amazonaws.com assume it; it must be eks.amazonaws.com" \
        in got["cluster-trust"]["message"]
    assert got["cluster-trust"]["misconception"] == "eksClusterRole-trusts-ec2"
    assert got["node-trust"]["passed"]
    assert got["node-policies"]["misconception"] == "policies-swapped"
    assert "it lacks AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, " \
        "AmazonEC2ContainerRegistryReadOnly" in got["node-policies"]["message"]


def test_5_2_creating_then_failed_again_in_the_public_subnets(states):
    creating = items(states, "5.2 creating", "5.2")
    assert "is CREATING. Wait for it: aws eks wait nodegroup-active" in \
        creating["active"]["message"]
    failed = items(states, "5.2 same subnets again", "5.2")
    assert "CREATE_FAILED (NodeCreationFailure: Instances failed to join the kubernetes " \
        "cluster)" in failed["active"]["message"]
    assert failed["active"]["misconception"] == "nodegroup-public-subnets-no-public-ip"
    assert "does not give instances a public IP (MapPublicIpOnLaunch is false)" in \
        failed["subnets"]["message"]
    assert "0 Ready node(s)" in failed["nodes"]["message"]


def test_5_3_without_the_nfs_rule_the_pods_wait_on_the_mount(states):
    got = items(states, "5.3 no NFS rule", "5.3")
    assert got["mount-targets"]["passed"] and got["claim"]["passed"]
    assert "lets in: no inbound rules. NFS is TCP port 2049" in got["nfs-rule"]["message"]
    assert "ContainerCreating" in got["shared"]["message"]
    assert "mount.nfs4: Connection timed out" in got["shared"]["message"]
    ssh = items(states, "5.3 SSH instead of NFS", "5.3")
    assert "lets in: tcp 22-22 from 0.0.0.0/0" in ssh["nfs-rule"]["message"]


def test_5_4_the_context_exists_but_is_not_current_and_a_cluster_ip_service(states):
    got = items(states, "5.4 minikube current, ClusterIP", "5.4")
    assert "exists, but the current one is minikube: kubectl config use-context " \
        "arn:aws:eks:us-east-2:123456789012:cluster/kubelearn" in got["context"]["message"]
    assert got["deployment"]["passed"]
    assert "is a ClusterIP; only a LoadBalancer gets an ELB" in got["service"]["message"]
    assert not got["answers"]["passed"]


def test_aws_steps_show_and_parse_as_aws_command_lines():
    step = Step.of("aws eks describe-cluster --name kubelearn")
    assert step == Step.aws("eks describe-cluster --name kubelearn")
    assert step.tool == "aws" and step.shell() == "$ aws eks describe-cluster --name kubelearn"
    assert Step.of("kubectl get pods").shell() == "$ kubectl get pods"
    with pytest.raises(ValueError):
        Step("get pods", tool="helm")
