"""``kubectl api-resources``, ``version`` and ``cluster-info``
(``kubelearn.kubectl.cmd_info``).

api-resources follows upstream pkg/cmd/apiresources (sorted by group then
name; wide adds VERBS as a Go slice and CATEGORIES); the version layouts and
the client-only errors were compared with real kubectl 1.32 (only the version
numbers differ: kubelearn is v1.32.0 on both sides).
"""
from __future__ import annotations

import json

import pytest

API_RESOURCES = """\
NAME                     SHORTNAMES   APIVERSION          NAMESPACED   KIND
configmaps               cm           v1                  true         ConfigMap
endpoints                ep           v1                  true         Endpoints
events                   ev           v1                  true         Event
namespaces               ns           v1                  false        Namespace
nodes                    no           v1                  false        Node
persistentvolumeclaims   pvc          v1                  true         PersistentVolumeClaim
persistentvolumes        pv           v1                  false        PersistentVolume
pods                     po           v1                  true         Pod
secrets                               v1                  true         Secret
serviceaccounts          sa           v1                  true         ServiceAccount
services                 svc          v1                  true         Service
daemonsets               ds           apps/v1             true         DaemonSet
deployments              deploy       apps/v1             true         Deployment
replicasets              rs           apps/v1             true         ReplicaSet
storageclasses           sc           storage.k8s.io/v1   false        StorageClass
"""

VERSION_INFO = {"major": "1", "minor": "32", "gitVersion": "v1.32.0",
                "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53",
                "gitTreeState": "clean", "buildDate": "2024-12-11T17:59:15Z",
                "goVersion": "go1.23.4", "compiler": "gc", "platform": "linux/amd64"}


def run(cluster, line):
    result = cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


# --- api-resources ----------------------------------------------------------------------

def test_api_resources(cluster):
    assert run(cluster, "api-resources") == (API_RESOURCES, "", 0)


def test_api_resources_cluster_scoped_only(cluster):
    assert run(cluster, "api-resources --namespaced=false") == (
        "NAME                SHORTNAMES   APIVERSION          NAMESPACED   KIND\n"
        "namespaces          ns           v1                  false        Namespace\n"
        "nodes               no           v1                  false        Node\n"
        "persistentvolumes   pv           v1                  false        PersistentVolume\n"
        "storageclasses      sc           storage.k8s.io/v1   false        StorageClass\n", "", 0)
    namespaced = run(cluster, "api-resources --namespaced=true")[0]
    assert "pods" in namespaced and "nodes" not in namespaced


def test_api_resources_names(cluster):
    assert run(cluster, "api-resources -o name") == (
        "configmaps\nendpoints\nevents\nnamespaces\nnodes\npersistentvolumeclaims\n"
        "persistentvolumes\npods\nsecrets\nserviceaccounts\nservices\ndaemonsets.apps\n"
        "deployments.apps\nreplicasets.apps\nstorageclasses.storage.k8s.io\n", "", 0)


def test_api_resources_wide(cluster):
    assert run(cluster, "api-resources -o wide --api-group=apps") == (
        "NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND         VERBS                   "
        "                                       CATEGORIES\n"
        "daemonsets    ds           apps/v1      true         DaemonSet    [create delete "
        "deletecollection get list patch update watch]   all\n"
        "deployments   deploy       apps/v1      true         Deployment   [create delete "
        "deletecollection get list patch update watch]   all\n"
        "replicasets   rs           apps/v1      true         ReplicaSet   [create delete "
        "deletecollection get list patch update watch]   all\n", "", 0)
    namespaces = [line for line in run(cluster, "api-resources -o wide")[0].splitlines()
                  if line.startswith("namespaces ")]
    assert namespaces[0].split()[-7:] == ["[create", "delete", "get", "list", "patch", "update",
                                          "watch]"]


def test_api_resources_core_group_and_no_headers(cluster):
    core = run(cluster, "api-resources --api-group= --no-headers")[0]
    assert core.splitlines()[0].split() == ["configmaps", "cm", "v1", "true", "ConfigMap"]
    assert "apps/v1" not in core


def test_api_resources_sort_by_name(cluster):
    names = [line.split()[0] for line in
             run(cluster, "api-resources --sort-by=name --no-headers")[0].splitlines()]
    assert names == sorted(names)


def test_api_resources_unsupported_output(cluster):
    # captured from kubectl 1.32
    assert run(cluster, "api-resources -o json") == (
        "", "error: --output json is not available\n", 1)


# --- version ----------------------------------------------------------------------------

def test_version(cluster):
    assert run(cluster, "version") == (
        "Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n", "", 0)
    assert run(cluster, "version --client") == (
        "Client Version: v1.32.0\nKustomize Version: v5.5.0\n", "", 0)


def test_version_json(cluster):
    stdout, stderr, code = run(cluster, "version -o json")
    assert (stderr, code) == ("", 0)
    assert stdout.startswith('{\n  "clientVersion": {\n    "major": "1",\n')
    assert json.loads(stdout) == {"clientVersion": VERSION_INFO, "kustomizeVersion": "v5.5.0",
                                  "serverVersion": VERSION_INFO}
    assert list(json.loads(run(cluster, "version --client -o json")[0])) == [
        "clientVersion", "kustomizeVersion"]


def test_version_yaml_ends_with_a_blank_line_like_kubectl(cluster):
    assert run(cluster, "version --client -o yaml") == (
        "clientVersion:\n"
        '  buildDate: "2024-12-11T17:59:15Z"\n'
        "  compiler: gc\n"
        "  gitCommit: 70d3cc986aa8221cd1dfb1121852688902d3bf53\n"
        "  gitTreeState: clean\n"
        "  gitVersion: v1.32.0\n"
        "  goVersion: go1.23.4\n"
        '  major: "1"\n'
        '  minor: "32"\n'
        "  platform: linux/amd64\n"
        "kustomizeVersion: v5.5.0\n\n", "", 0)


def test_version_bad_output(cluster):
    # captured from kubectl 1.32
    assert run(cluster, "version --client -o wide") == (
        "", "error: --output must be 'yaml' or 'json'\n", 1)


# --- cluster-info -----------------------------------------------------------------------

def test_cluster_info_kubeadm(cluster):
    assert run(cluster, "cluster-info") == (
        "Kubernetes control plane is running at https://192.168.49.2:6443\n"
        "CoreDNS is running at https://192.168.49.2:6443/api/v1/namespaces/kube-system/services/"
        "kube-dns:dns/proxy\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n", "",
        0)


def test_cluster_info_minikube():
    from kubelearn import Cluster

    assert run(Cluster.minikube(), "cluster-info") == (
        "Kubernetes control plane is running at https://192.168.49.2:8443\n"
        "CoreDNS is running at https://192.168.49.2:8443/api/v1/namespaces/kube-system/services/"
        "kube-dns:dns/proxy\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n", "",
        0)


def test_cluster_info_dump_is_not_built(cluster):
    stdout, stderr, code = run(cluster, "cluster-info dump")
    assert (stdout, code) == ("", 1)
    assert stderr.startswith("error: kubelearn does not support 'cluster-info dump'")


@pytest.mark.parametrize("line", ["api-resources", "version", "cluster-info"])
def test_info_commands_change_nothing(cluster, snapshot, line):
    before = snapshot(cluster)
    cluster.kubectl(line)
    assert snapshot(cluster) == before
