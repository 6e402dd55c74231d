"""Tests for ``kubectl exec`` (kubelearn.kubectl.cmd_exec, kubelearn.node.container_exec).

Wording from kubectl 1.32's pkg/cmd/exec/exec.go (the old ``exec POD COMMAND``
form refused with a usage error, Validate's messages, the completed-pod
check), the API server's streamLocation (pkg/registry/core/pod/strategy.go:
``container x is not valid for pod y``, ``pod x does not have a host
assigned``), the kubelet's ``container not found ("x")``, client-go's
``command terminated with exit code N`` and the runtimes' OCI error for a
missing executable (docker prints it and exits 126; containerd's arrives as an
Internal error).
"""
import pytest

from kubelearn import Cluster
from kubelearn.node.kubelet import container_exited

TWO = """\
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - name: web
    image: nginx:1.25
  - name: box
    image: busybox:1.36
    command: ["sleep", "3600"]
"""

BOX = """\
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  restartPolicy: RESTART
  containers:
  - name: box
    image: busybox:1.36
    command: ["sh", "-c", "SCRIPT"]
    env:
    - {name: GREETING, value: hello}
"""


def box(script: str = "sleep 3600", restart: str = "Always") -> str:
    return BOX.replace("SCRIPT", script).replace("RESTART", restart)


def out(result) -> tuple[str, str, int]:
    return result.stdout, result.stderr, result.exit_code


@pytest.fixture
def mk():
    c = Cluster.minikube()
    c.apply(box())
    c.settle()
    return c


def test_runs_a_command_in_the_container(mk):
    assert out(mk.kubectl("exec box -- echo hi")) == ("hi\n", "", 0)
    assert out(mk.kubectl("exec box -- printenv GREETING")) == ("hello\n", "", 0)
    assert out(mk.kubectl('exec box -- sh -c "mkdir -p /tmp/a && echo x > /tmp/a/f; ls /tmp/a"')) \
        == ("f\n", "", 0)
    assert out(mk.kubectl("exec box -- cat /tmp/a/f")) == ("x\n", "", 0)


def test_the_exit_code_is_kubectls(mk):
    assert out(mk.kubectl("exec box -- cat /nope")) == (
        "", "cat: can't open '/nope': No such file or directory\n"
            "command terminated with exit code 1\n", 1)
    assert out(mk.kubectl("exec box -- sh -c 'exit 3'")) == (
        "", "command terminated with exit code 3\n", 3)
    assert out(mk.kubectl("exec box -- sh -c 'foo'")) == (
        "", "sh: foo: not found\ncommand terminated with exit code 127\n", 127)


def test_a_missing_executable_is_the_runtimes_error():
    mk = Cluster.minikube()                     # docker: the OCI error, exit 126
    mk.apply(box())
    mk.settle()
    assert out(mk.kubectl("exec box -- foo")) == (
        "", 'OCI runtime exec failed: exec failed: unable to start container process: exec: '
            '"foo": executable file not found in $PATH: unknown\n'
            "command terminated with exit code 126\n", 126)
    c = Cluster()                               # containerd: an Internal error from the server
    c.apply(box())
    c.settle()
    result = c.kubectl("exec box -- foo")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith('error: Internal error occurred: error executing command in '
                                    'container: failed to exec in container: failed to start '
                                    'exec "')
    assert result.stderr.endswith('": OCI runtime exec failed: exec failed: unable to start '
                                  'container process: exec: "foo": executable file not found in '
                                  '$PATH: unknown\n')


def test_usage_errors(mk):
    assert out(mk.kubectl("exec box ls")) == (
        "", "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] "
            "instead\nSee 'kubectl exec -h' for help and examples\n", 1)
    assert out(mk.kubectl("exec box")) == (
        "", "error: you must specify at least one command for the container\n", 1)
    assert out(mk.kubectl("exec box --")) == (
        "", "error: you must specify at least one command for the container\n", 1)
    assert out(mk.kubectl("exec")) == (
        "", "error: pod, type/name or --filename must be specified\n", 1)
    assert out(mk.kubectl("exec -- ls")) == (
        "", "error: pod, type/name or --filename must be specified\n", 1)
    assert out(mk.kubectl("exec nope -- ls")) == (
        "", 'Error from server (NotFound): pods "nope" not found\n', 1)
    assert out(mk.kubectl("exec box -c nope -- ls")) == (
        "", "Error from server (BadRequest): container nope is not valid for pod box\n", 1)
    assert out(mk.kubectl("exec box --bogus -- ls")) == (
        "", "Error: unknown flag: --bogus\nSee 'kubectl exec --help' for usage.\n", 1)


def test_default_container_and_dash_c(mk):
    mk.apply(TWO)
    mk.settle()
    assert out(mk.kubectl("exec two -- ls /usr/share/nginx/html")) == (
        "index.html\n", 'Defaulted container "web" out of: web, box\n', 0)
    assert out(mk.kubectl("exec two -q -- ls /usr/share/nginx/html")) == ("index.html\n", "", 0)
    assert out(mk.kubectl("exec two -c box -- hostname")) == ("two\n", "", 0)
    # debian-based nginx speaks coreutils
    assert mk.kubectl("exec two -c web -- cat /nope").stderr == (
        "cat: /nope: No such file or directory\ncommand terminated with exit code 1\n")


def test_pods_that_cannot_be_exec_into(mk):
    mk.apply(box("exit 0", restart="Never").replace("{name: box}", "{name: done}"))
    mk.apply(box().replace("{name: box}", "{name: big}").replace(
        "  containers:", "  nodeSelector: {disk: ssd}\n  containers:"))
    mk.apply(box().replace("{name: box}", "{name: slow}").replace(
        "busybox:1.36", "nginx:1.27"))
    mk.run_now()
    assert out(mk.kubectl("exec slow -- ls")) == (
        "", 'error: unable to upgrade connection: container not found ("box")\n', 1)
    mk.settle()
    assert out(mk.kubectl("exec done -- ls")) == (
        "", "error: cannot exec into a container in a completed pod; current phase is "
            "Succeeded\n", 1)
    assert out(mk.kubectl("exec big -- ls")) == (
        "", "Error from server (BadRequest): pod big does not have a host assigned\n", 1)


def test_a_crashed_container_is_not_found_until_it_restarts(mk):
    assert container_exited(mk, "default", "box", "box", 1)
    assert mk.kubectl("exec box -- ls").stderr == (
        'error: unable to upgrade connection: container not found ("box")\n')
    mk.settle()
    assert mk.kubectl("exec box -- ls /").exit_code == 0


def test_stdin_and_tty(mk):
    assert out(mk.kubectl("exec -i box -- sh", stdin="echo from stdin; printenv GREETING")) == (
        "from stdin\nhello\n", "", 0)
    assert out(mk.kubectl("exec -it box -- sh")) == (
        "", "Unable to use a TTY - input is not a terminal or the right kind of file\n"
            "kubelearn: a notebook has no terminal to type into; pass commands with -- sh -c "
            "\"...\" (or on standard input)\n", 0)
    assert out(mk.kubectl("exec -t box -- echo no-tty-without-stdin")) == (
        "no-tty-without-stdin\n", "", 0)


def test_a_command_that_waits_is_stopped(mk):
    result = mk.kubectl("exec box -- sh -c 'echo before; sleep 5; echo after'")
    assert result.stdout == "before\n" and result.exit_code == 130
    assert "was still running" in result.stderr


def test_exec_through_a_deployment(mk):
    mk.kubectl("create deployment web --image=nginx:1.25")
    mk.settle()
    result = mk.kubectl("exec deploy/web -- cat /etc/hostname")
    assert result.exit_code == 0 and result.stdout.startswith("web-")


def test_exec_into_a_stopped_node():
    c = Cluster()
    c.apply(box().replace("  containers:", "  nodeName: worker-1\n  containers:"))
    c.settle()
    c.stop_node("worker-1")
    assert c.kubectl("exec box -- ls").stderr == (
        "Error from server: error dialing backend: dial tcp 192.168.49.3:10250: connect: no "
        "route to host\n")


def test_exec_reaches_a_terminating_pod_until_its_containers_stop():
    c = Cluster.minikube()
    c.kubectl("apply -f -", "apiVersion: v1\nkind: Pod\nmetadata: {name: story}\nspec:\n"
              "  containers: [{name: story, image: kubelearn/story:1}]\n")   # ignores SIGTERM
    c.advance(10)
    assert c.kubectl("delete pod story --wait=false").exit_code == 0
    c.advance(5)
    assert "Terminating" in c.kubectl("get pod story").stdout
    r = c.kubectl("exec story -- ls /app")
    assert (r.exit_code, r.stderr) == (0, "") and "app.js" in r.stdout
    c.advance(30)
    gone = c.kubectl("exec story -- ls /app")
    assert gone.exit_code == 1 and 'pods "story" not found' in gone.stderr
