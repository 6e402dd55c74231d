"""Tests for kubelearn.node.apps: processes from image app data, the tiny shell, HTTP."""

from kubelearn.node.apps import (exec_command, http_response, parse_script, plan_process,
                                 render, stamp, trace)
from kubelearn.node.images import BUSYBOX_APP, hello_app, nginx_app, placeholder_app


def test_busybox_default_sh_exits_at_once_with_zero():
    plan = plan_process(BUSYBOX_APP, {})
    assert (plan.kind, plan.argv, plan.exit_after, plan.exit_code) == ("script", ("sh",), 0.0, 0)


def test_sleep_and_command_are_honoured():
    assert plan_process(BUSYBOX_APP, {"command": ["sleep", "3600"]}).exit_after == 3600
    assert plan_process(BUSYBOX_APP, {"args": ["sleep", "60"]}).exit_after == 60
    assert plan_process(BUSYBOX_APP, {"command": ["sleep", "infinity"]}).exit_after is None
    plan = plan_process(BUSYBOX_APP, {"command": ["sh", "-c", "echo hi && exit 3"]})
    assert (plan.exit_after, plan.exit_code) == (0.0, 3)


def test_a_script_that_uses_the_network_is_planned_live():
    """What wget prints, and so when the script ends, depends on the cluster as it runs."""
    plan = plan_process(BUSYBOX_APP, {"command": ["wget", "-qO-", "http://web"]})
    assert (plan.kind, plan.live, plan.exit_after) == ("script", True, None)
    assert not plan_process(BUSYBOX_APP, {"command": ["sleep", "5"]}).live
    # a tool the image does not carry is "not found", known before it runs
    plan = plan_process(BUSYBOX_APP, {"command": ["curl", "http://web"]})
    assert (plan.live, plan.exit_after, plan.exit_code) == (False, 0.0, 127)


def test_servers_listen_and_never_exit():
    plan = plan_process(hello_app("1"), {})
    assert (plan.kind, plan.listens, plan.exit_after) == ("server", (8080,), None)
    assert plan_process(nginx_app("1.25.5"), {}).listens == (80,)
    assert plan_process(placeholder_app("repo/my-docker-image"), {}).listens == (8080,)


def test_a_loop_prints_on_the_clock_and_never_exits():
    argv = ("sh", "-c", 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done')
    out = trace(argv, 2.5, {}, {"start": 0})
    assert out.lines == [(0.0, "0: Mon Jun  2 09:00:00 UTC 2025"),
                         (1.0, "1: Mon Jun  2 09:00:01 UTC 2025"),
                         (2.0, "2: Mon Jun  2 09:00:02 UTC 2025")]
    assert out.exit is None
    assert plan_process(BUSYBOX_APP, {"command": list(argv)}).exit_after is None


def test_files_appear_and_vanish_for_exec_probes():
    argv = ("sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600")
    assert "/tmp/healthy" in trace(argv, 10, {}).files
    assert "/tmp/healthy" not in trace(argv, 31, {}).files
    assert exec_command(BUSYBOX_APP, ["cat", "/tmp/healthy"], {"/tmp/healthy": ""}, {}) == (0, "")
    assert exec_command(BUSYBOX_APP, ["cat", "/tmp/healthy"], {}, {}) == (
        1, "cat: can't open '/tmp/healthy': No such file or directory")


def test_parse_script_connectors():
    block = parse_script("a; b && c || d")
    assert [connector for connector, _ in block] == [";", ";", "&&", "||"]


def test_hello_routes():
    values = {"version": "2", "hostname": "web-1"}
    assert http_response(hello_app("2"), "/", values)["body"] == (
        "Hello from kubelearn/hello v2! I am pod web-1.\n")
    assert http_response(hello_app("2"), "/healthz", values)["status"] == 200
    assert http_response(hello_app("2"), "/nope", values)["status"] == 404
    assert http_response(hello_app("2"), "/error", values) == {
        "crash": True, "exit_code": 1, "log": "panic: /error was requested, exiting"}


def test_time_formats():
    assert stamp("nginx", 5) == "2025/06/02 09:00:05"
    assert stamp("clf", 5) == "02/Jun/2025:09:00:05 +0000"
    assert render("{time:go} v{version}", 65, {"version": "3"}) == "2025/06/02 09:01:05 v3"


def test_story_app_reads_and_appends_its_file():
    from kubelearn.node.apps import app_path
    from kubelearn.node.filesystem import ContainerFS, image_layer
    from kubelearn.node.images import story_app

    app = story_app("1")
    fs = ContainerFS(image_layer(app))
    post = http_response(app, "/story", {}, method="POST", body={"text": "Once"}, fs=fs)
    assert (post["status"], post["body"]) == (201, '{"message":"Text was stored!"}')
    assert http_response(app, "/story", {}, fs=fs)["body"] == '{"story":"Once\\n"}'
    assert http_response(app, "/story", {}, method="POST", body='{"text": ""}', fs=fs)[
        "status"] == 422
    tales = http_response(app, "/story", {}, method="POST", body="x", fs=fs,
                          env=[("STORY_FOLDER", "tales")])
    assert (tales["status"], tales["body"]) == (500, '{"message":"Storing the text failed."}')
    assert http_response(app, "/story", {}, fs=fs, env={"STORY_FOLDER": "tales"})["body"] == (
        '{"message":"Failed to open file."}')
    assert http_response(app, "/error", {}) == {"crash": True, "exit_code": 1, "log": ""}
    assert "Cannot POST /error" in http_response(app, "/error", {}, method="POST")["body"]
    assert app_path("{env:STORY_FOLDER:story}/text.txt", {}, "/app") == "/app/story/text.txt"
    assert app_path("{env:STORY_FOLDER:story}/text.txt", {"STORY_FOLDER": "../x"}, "/app") == (
        "/x/text.txt")


def test_exec_command_runs_against_a_container_filesystem():
    from kubelearn.node.filesystem import ContainerFS, FileTree, Mount

    fs = ContainerFS(FileTree.from_files({}, ["/tmp"]), [Mount("/data", FileTree())])
    assert exec_command(BUSYBOX_APP, ["sh", "-c", "echo x > /data/f; cat /data/f"], fs, {}) == (
        0, "x")
    assert exec_command({"base": "scratch"}, ["ls"], fs, {})[0] == 128
