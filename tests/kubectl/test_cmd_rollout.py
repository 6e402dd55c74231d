"""rollout status|history|undo|restart|pause|resume.

Wording follows kubectl 1.32's pkg/cmd/rollout and polymorphichelpers
(rollout_status.go, history.go, rollback.go, objectpauser/resumer/restarter.go);
[obs-1.32] marks output printed by the real kubectl v1.32.4 client.
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.clock import rfc3339
from kubelearn.kubectl.cmd_rollout import deployment_status, parse_duration
from kubelearn.kubectl.flags import FlagError
from kubelearn.kubectl.result import KubectlError


def run(cluster, line):
    result = cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


@pytest.fixture
def web(cluster, manifests):
    """The sample Deployment (2 × nginx:1.25), rolled out; then nginx:1.26 (revision 2)."""
    cluster.apply(manifests.WEB_DEPLOYMENT)
    cluster.settle()
    assert cluster.kubectl("set image deployment/web nginx=nginx:1.26").ok
    cluster.settle()
    return cluster


def _rs_of_revision(cluster, revision):
    for rs in cluster.api.list("ReplicaSet", "default"):
        if rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == str(revision):
            return rs
    raise AssertionError(revision)


# --- history ---------------------------------------------------------------------------------

def test_history_table_has_the_trailing_space_and_final_blank_line(web):
    assert run(web, "rollout history deployment/web") == (
        "deployment.apps/web \n"
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "2         <none>\n"
        "\n", "", 0)


def test_history_change_cause_comes_from_the_replicaset(web):
    web.kubectl('annotate deployment/web kubernetes.io/change-cause="update to 1.27"')
    web.kubectl("set image deployment/web nginx=nginx:1.27")
    web.settle()
    out, _, _ = run(web, "rollout history deployment web")
    assert out.splitlines()[1:] == ["REVISION  CHANGE-CAUSE", "1         <none>",
                                    "2         update to 1.27", "3         update to 1.27", ""]


def test_history_of_one_revision_keeps_raw_tabs(web):
    hash_ = _rs_of_revision(web, 1)["metadata"]["labels"]["pod-template-hash"]
    assert run(web, "rollout history deployment/web --revision=1") == (
        "deployment.apps/web with revision #1\n"
        "Pod Template:\n"
        "  Labels:\tapp=web\n"
        f"\tpod-template-hash={hash_}\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.25\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "\n", "", 0)


@pytest.mark.parametrize("line, stderr", [
    ("rollout history deployment/web --revision=7",
     "error: unable to find the specified revision\n"),
    ("rollout history deployment/web --revision=-1",
     "error: revision must be a positive integer: -1\n"),
    ("rollout history", "error: required resource not specified\n"),       # [obs-1.32]
    ("rollout history deployment/nope",
     'Error from server (NotFound): deployments.apps "nope" not found\n'),
    ("rollout history pod/x", 'Error from server (NotFound): pods "x" not found\n'),
    ("rollout history service/kubernetes",
     'error: error retrieving history for "Service", no visitor method exists for '
     "{ Service}\n"),
])
def test_history_errors(web, line, stderr):
    assert run(web, line) == ("", stderr, 1)


def test_history_of_a_replicaset_has_no_viewer(web):
    rs = _rs_of_revision(web, 2)["metadata"]["name"]
    assert run(web, f"rollout history rs/{rs}") == (
        "", 'error: no history viewer has been implemented for "ReplicaSet.apps"\n', 1)


# --- undo ------------------------------------------------------------------------------------

def test_undo_restores_the_previous_template_and_reuses_its_replicaset(web):
    old = _rs_of_revision(web, 1)["metadata"]["name"]
    assert run(web, "rollout undo deployment/web") == ("deployment.apps/web rolled back\n", "", 0)
    web.settle()
    d = web.api.get("Deployment", "web", "default")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert "pod-template-hash" not in d["spec"]["template"]["metadata"]["labels"]
    assert _rs_of_revision(web, 3)["metadata"]["name"] == old
    out, _, _ = run(web, "rollout history deployment/web")
    assert out.splitlines()[2:] == ["2         <none>", "3         <none>", ""]


def test_undo_to_a_named_revision_and_skipped_rollback(web):
    assert run(web, "rollout undo deployment/web --to-revision=2") == (
        "deployment.apps/web skipped rollback (current template already matches revision 2)\n",
        "", 0)
    assert run(web, "rollout undo deployment/web --to-revision=1")[0] == \
        "deployment.apps/web rolled back\n"


def test_undo_keeps_the_deployment_s_own_annotations_and_copies_the_rs_ones(web):
    web.kubectl('annotate deployment/web kubernetes.io/change-cause="to 1.27" team=blue')
    web.kubectl("set image deployment/web nginx=nginx:1.27")
    web.settle()
    web.kubectl("rollout undo deployment/web --to-revision=1")
    annotations = web.api.get("Deployment", "web", "default")["metadata"]["annotations"]
    # revision 1's ReplicaSet carried no change-cause and no team: they are gone
    assert "kubernetes.io/change-cause" not in annotations
    assert "team" not in annotations
    assert annotations["deployment.kubernetes.io/revision"] == "4"


def test_undo_dry_run_prints_the_target_template(web, snapshot):
    before = snapshot(web)
    out, err, code = run(web, "rollout undo deployment/web --dry-run=client")
    assert (err, code) == ("", 0)
    assert out.startswith("deployment.apps/web Pod Template:\n  Labels:\tapp=web\n")
    assert "    Image:\tnginx:1.25\n" in out
    assert out.endswith("  Tolerations:\t<none>\n (dry run)\n")
    assert snapshot(web) == before


@pytest.mark.parametrize("line, stderr", [
    ("rollout undo deployment/web --to-revision=9",
     "error: unable to find specified revision 9 in history\n"),
    ("rollout undo deployment/web --to-revision=-1",
     "error: unable to find specified revision -1 in history\n"),
    ("rollout undo", "error: required resource not specified\n"),          # [obs-1.32]
    # the notes' "- -to-revision=2" typo                                    [obs-1.32]
    ("rollout undo deployment/web - -to-revision=2",
     "Error: unknown shorthand flag: 't' in -to-revision=2\n"
     "See 'kubectl rollout undo --help' for usage.\n"),
])
def test_undo_errors(web, snapshot, line, stderr):
    before = snapshot(web)
    assert run(web, line) == ("", stderr, 1)
    assert snapshot(web) == before


def test_undo_without_history(cluster, manifests):
    cluster.apply(manifests.WEB_DEPLOYMENT)
    cluster.settle()
    assert run(cluster, "rollout undo deployment/web") == (
        "", 'error: no rollout history found for deployment "web"\n', 1)


def test_undo_of_a_paused_deployment(web, snapshot):
    web.kubectl("rollout pause deployment/web")
    before = snapshot(web)
    assert run(web, "rollout undo deployment/web") == (
        "", "error: you cannot rollback a paused deployment; resume it first with 'kubectl "
            "rollout resume deployment/web' and try again\n", 1)
    assert snapshot(web) == before


# --- pause, resume, restart ------------------------------------------------------------------

def test_pause_and_resume(web):
    assert run(web, "rollout pause deployment/web") == ("deployment.apps/web paused\n", "", 0)
    assert web.api.get("Deployment", "web", "default")["spec"]["paused"] is True
    assert run(web, "rollout pause deployment/web") == (
        "", 'error: deployments.apps "web" is already paused\n', 1)
    assert run(web, "rollout resume deployment/web") == ("deployment.apps/web resumed\n", "", 0)
    assert "paused" not in web.api.get("Deployment", "web", "default")["spec"]
    assert run(web, "rollout resume deployment/web") == (
        "", 'error: deployments.apps "web" is not paused\n', 1)


def test_restart_stamps_the_template_with_the_simulated_time(web):
    web.advance(42)
    assert run(web, "rollout restart deployment/web") == ("deployment.apps/web restarted\n", "", 0)
    template = web.api.get("Deployment", "web", "default")["spec"]["template"]
    assert template["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/restartedAt": rfc3339(web.clock.now)}
    web.settle()
    out, _, _ = run(web, "rollout history deployment/web")
    assert out.splitlines()[-2:] == ["3         <none>", ""]


@pytest.mark.parametrize("line, stderr", [
    ("rollout restart deployment/web",
     'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume '
     "first)\n"),
    ("rollout pause service/kubernetes",
     'error: services "kubernetes" pausing is not supported\n'),
    ("rollout pause", "error: required resource not specified\n"),         # [obs-1.32]
    ("rollout foo", "error: unknown command \"foo\"\nSee 'kubectl rollout -h' for help and "
                    "examples\n"),                                          # [obs-1.32]
])
def test_patch_verb_errors(web, line, stderr):
    web.kubectl("rollout pause deployment/web")
    assert run(web, line) == ("", stderr, 1)


# --- status ----------------------------------------------------------------------------------

def test_status_of_a_finished_rollout_prints_one_line(web):
    start = web.clock.now
    assert run(web, "rollout status deployment/web") == (
        'deployment "web" successfully rolled out\n', "", 0)
    assert web.clock.now == start


def test_status_advances_time_until_the_rollout_is_done(web):
    web.kubectl("set image deployment/web nginx=nginx:1.27")
    start = web.clock.now
    out, err, code = run(web, "rollout status deployment/web")
    assert (err, code) == ("", 0)
    lines = out.splitlines()
    assert len(lines) > 1
    assert lines[-1] == 'deployment "web" successfully rolled out'
    assert all(line.startswith('Waiting for deployment "web" rollout to finish: ')
               for line in lines[:-1])
    assert web.clock.now > start
    d = web.api.get("Deployment", "web", "default")
    assert d["status"]["updatedReplicas"] == d["status"]["availableReplicas"] == 2


def test_status_as_in_the_notes():
    c = Cluster.minikube()
    c.kubectl("create deployment my-first-kube --image=repo/my-docker-image")
    c.kubectl("scale deployment/my-first-kube --replicas=3")
    out, _, code = run(c, "rollout status deployment/my-first-kube")
    assert code == 0 and out.endswith('deployment "my-first-kube" successfully rolled out\n')


def test_status_without_watch_prints_once(web):
    web.kubectl("set image deployment/web nginx=nginx:1.27")
    start = web.clock.now
    out, err, code = run(web, "rollout status deployment/web --watch=false")
    assert (out.count("\n"), err, code) == (1, "", 0)
    assert out.startswith('Waiting for deployment "web" rollout to finish: ')
    assert web.clock.now == start


def test_status_timeout(web):
    web.kubectl("set image deployment/web nginx=nginx:1.27")
    start = web.clock.now
    out, err, code = run(web, "rollout status deployment/web --timeout=1ms")
    assert (err, code) == ("error: timed out waiting for the condition\n", 1)
    assert out.startswith('Waiting for deployment "web"')
    assert web.clock.now == pytest.approx(start + 0.001)


def test_status_of_an_image_that_never_pulls_times_out(web):
    web.kubectl("set image deployment/web nginx=nope/missing:1")
    out, err, code = run(web, "rollout status deployment/web --timeout=30s")
    assert code == 1 and err in ("error: timed out waiting for the condition\n",
                                 'error: deployment "web" exceeded its progress deadline\n')


@pytest.mark.parametrize("line, stderr", [
    ("rollout status", "error: required resource not specified\n"),        # [obs-1.32]
    ("rollout status deployment/web --revision=-1",
     "error: revision must be a positive integer: -1\n"),
    ("rollout status deployment/web --revision=1",
     "error: desired revision (1) is different from the running revision (2)\n"),
    ("rollout status deployment/nope",
     'Error from server (NotFound): deployments.apps "nope" not found\n'),
    ("rollout status service/kubernetes",
     "error: no status viewer has been implemented for Service\n"),
    ("rollout status deployment/web --timeout=abc",                         # [obs-1.32]
     'Error: invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"\n'
     "See 'kubectl rollout status --help' for usage.\n"),
])
def test_status_errors(web, line, stderr):
    assert run(web, line) == ("", stderr, 1)


def _deployment(generation=2, observed=2, desired=3, **status):
    return {"metadata": {"name": "web", "generation": generation},
            "spec": {"replicas": desired},
            "status": {"observedGeneration": observed, **status}}


@pytest.mark.parametrize("d, line, done", [
    (_deployment(observed=1), "Waiting for deployment spec update to be observed...\n", False),
    (_deployment(updatedReplicas=1, replicas=3),
     'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been '
     "updated...\n", False),
    (_deployment(updatedReplicas=3, replicas=4),
     'Waiting for deployment "web" rollout to finish: 1 old replicas are pending '
     "termination...\n", False),
    (_deployment(updatedReplicas=3, replicas=3, availableReplicas=2),
     'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are '
     "available...\n", False),
    (_deployment(updatedReplicas=3, replicas=3, availableReplicas=3),
     'deployment "web" successfully rolled out\n', True),
])
def test_status_messages(d, line, done):
    assert deployment_status(d) == (line, done)


def test_status_progress_deadline_exceeded():
    d = _deployment(conditions=[{"type": "Progressing", "status": "False",
                                 "reason": "ProgressDeadlineExceeded"}])
    with pytest.raises(KubectlError) as err:
        deployment_status(d)
    assert err.value.message == 'error: deployment "web" exceeded its progress deadline'


@pytest.mark.parametrize("text, seconds", [("0", 0), ("0s", 0), ("30s", 30), ("1m30s", 90),
                                           ("1.5h", 5400), ("500ms", 0.5)])
def test_parse_duration(text, seconds):
    assert parse_duration(text, "timeout", "rollout status") == pytest.approx(seconds)


def test_parse_duration_missing_unit():
    with pytest.raises(FlagError) as err:
        parse_duration("30", "timeout", "rollout status")
    assert err.value.message.startswith('Error: invalid argument "30" for "--timeout" flag: '
                                        'time: missing unit in duration "30"')
