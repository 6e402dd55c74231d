"""``kubelearn.kubectl.resources``: resource arguments as kubectl's builder reads them.

The argument errors were captured from real kubectl 1.32 (they happen before
the server is asked anything).
"""
from __future__ import annotations

import pytest

from kubelearn.api.kinds import kind_info
from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.resources import (Request, gvr_string, parse_resource_args, resolve_type,
                                         resolve_types, select)
from kubelearn.kubectl.result import KubectlError

POD, SVC, DEPLOY = kind_info("Pod"), kind_info("Service"), kind_info("Deployment")


def message(args) -> str:
    with pytest.raises(KubectlError) as info:
        parse_resource_args(args)
    return info.value.message


@pytest.mark.parametrize("typed", ["pods", "pod", "po", "Pod", "PODS", "pods.v1."])
def test_resolve_type_spellings_of_pods(typed):
    assert resolve_type(typed) == POD


@pytest.mark.parametrize("typed", ["deployments", "deploy", "deployment.apps",
                                   "deployments.v1.apps", "Deployment"])
def test_resolve_type_spellings_of_deployments(typed):
    assert resolve_type(typed) == DEPLOY


def test_unknown_type():
    with pytest.raises(KubectlError) as info:
        resolve_type("deploymentz")
    assert info.value.message == 'error: the server doesn\'t have a resource type "deploymentz"'


def test_resolve_types_lists_and_all_in_kubectl_order():
    assert resolve_types("pods,svc") == [POD, SVC]
    assert [k.kind for k in resolve_types("all")] == [
        "Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet"]
    assert resolve_types("deploy,all") == [DEPLOY, POD, SVC, kind_info("DaemonSet"),
                                           kind_info("ReplicaSet")]
    assert resolve_types("pods,po") == [POD]


def test_type_and_names():
    assert parse_resource_args(["pods", "a", "b"]) == [Request(POD, ["a", "b"])]
    assert parse_resource_args(["pods"]) == [Request(POD, [])]
    assert parse_resource_args([]) == []


def test_type_slash_name_groups_names_by_kind_in_first_seen_order():
    assert parse_resource_args(["svc/web", "pod/a", "po/b"]) == [
        Request(SVC, ["web"]), Request(POD, ["a", "b"])]


def test_several_types_with_names_become_type_slash_name_pairs():
    # upstream normalizeMultipleResourcesArgs: "pods,svc web" is "pods/web svc/web"
    assert parse_resource_args(["pods,svc", "web", "api"]) == [
        Request(POD, ["web", "api"]), Request(SVC, ["web", "api"])]


def test_all_with_a_name_is_refused():
    assert message(["all", "web"]) == "error: you must specify only one resource"


@pytest.mark.parametrize("args,text", [
    (["pods", "pod/web"],
     "error: there is no need to specify a resource type as a separate argument when passing "
     "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
     "'kubectl get resource resource/<resource_name>'"),
    (["pods/x/y"], "error: arguments in resource/name form may not have more than one slash"),
    (["/x"], "error: arguments in resource/name form must have a single resource and name"),
    (["pods/"], "error: arguments in resource/name form must have a single resource and name"),
    (["pods,svc/x"], "error: arguments in resource/name form must have a single resource and name"),
    (["foo/x"], 'error: the server doesn\'t have a resource type "foo"'),
])
def test_argument_errors(args, text):
    assert message(args) == text


def test_gvr_string_as_go_prints_it():
    assert gvr_string(POD) == "/v1, Resource=pods"
    assert gvr_string(DEPLOY) == "apps/v1, Resource=deployments"


def test_select_lists_with_a_selector(cluster):
    names = [o["metadata"]["name"] for o in select(cluster.api, POD, "kube-system",
                                                   "k8s-app=kube-proxy")]
    assert len(names) == 3 and all(n.startswith("kube-proxy-") for n in names)
    assert select(cluster.api, POD, "default", None) == []


def test_select_with_a_bad_selector_is_the_servers_bad_request(cluster):
    with pytest.raises(StatusError) as info:
        select(cluster.api, POD, "default", "app in (web")
    err = info.value
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == ('Unable to find "/v1, Resource=pods" that match label selector '
                           '"app in (web", field selector "": unable to parse requirement: '
                           "found '', expected: ',' or ')'")
