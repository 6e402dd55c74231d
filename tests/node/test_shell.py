"""Tests for kubelearn.node.shell: the container shell, its messages, scripts on the clock."""
from kubelearn.node.filesystem import ROOT_DIRS, ContainerFS, FileTree, Mount
from kubelearn.node.shell import FOREVER, ScriptProcess, dry_run, run_once, trace


def fs(files=None, mounts=()) -> ContainerFS:
    return ContainerFS(FileTree.from_files(files or {}, ROOT_DIRS), list(mounts))


def run(argv, files=None, flavour="busybox", env=(), stdin=None, mounts=()):
    box = fs(files, mounts)
    process = run_once(argv, box, env, {}, flavour, stdin=stdin)
    out = "".join(c.text for c in process.out if c.stream == "stdout")
    err = "".join(c.text for c in process.out if c.stream == "stderr")
    return process.exit[1] if process.exit else None, out, err, box


def test_echo_redirects_and_cat():
    code, out, err, box = run(["sh", "-c", "echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f"])
    assert (code, out, err) == (0, "one\ntwo\n", "")
    assert box.read("/tmp/f") == "one\ntwo\n"
    assert run(["echo", "-n", "x"])[1] == "x"


def test_ls_mkdir_rm_touch():
    script = "mkdir -p /a/b/c; touch /a/f /a/.hidden; ls /a; rm -r /a/b; ls /a; ls -a /a"
    assert run(["sh", "-c", script])[1] == "b\nf\nf\n.\n..\n.hidden\nf\n"


def test_connectors():
    assert run(["sh", "-c", "false && echo no || echo yes; true && echo and"])[1] == "yes\nand\n"
    assert run(["sh", "-c", "cat /nope; echo $?"])[1] == "1\n"
    assert run(["sh", "-c", "if [ -f /tmp/x ]; then echo there; else echo missing; fi"])[1] \
        == "missing\n"


def test_busybox_messages():
    assert run(["cat", "/x"])[:3:2] == (1, "cat: can't open '/x': No such file or directory\n")
    assert run(["ls", "/x"])[:3:2] == (1, "ls: /x: No such file or directory\n")
    assert run(["mkdir", "/tmp"])[2] == "mkdir: can't create directory '/tmp': File exists\n"
    assert run(["rm", "/x"])[2] == "rm: can't remove '/x': No such file or directory\n"
    assert run(["rm", "/tmp"])[2] == "rm: '/tmp' is a directory\n"
    assert run(["rm", "-f", "/x"])[:3] == (0, "", "")
    assert run(["touch", "/a/b"])[2] == "touch: /a/b: No such file or directory\n"
    assert run(["sh", "-c", "echo x > /a/b"])[:3:2] == (
        1, "sh: can't create /a/b: nonexistent directory\n")
    assert run(["sh", "-c", "foo bar"])[:3:2] == (127, "sh: foo: not found\n")


def test_debian_messages():
    def deb(*argv):
        return run(list(argv), flavour="debian")
    assert deb("cat", "/x")[2] == "cat: /x: No such file or directory\n"
    assert deb("ls", "/x")[:3:2] == (2, "ls: cannot access '/x': No such file or directory\n")
    assert deb("mkdir", "/tmp")[2] == "mkdir: cannot create directory '/tmp': File exists\n"
    assert deb("rm", "/x")[2] == "rm: cannot remove '/x': No such file or directory\n"
    assert deb("sh", "-c", "foo")[:3:2] == (127, "sh: 1: foo: not found\n")
    assert deb("sh", "-c", "echo x > /a/b")[:3:2] == (
        2, "sh: 1: cannot create /a/b: Directory nonexistent\n")


def test_read_only_volume():
    mounts = [Mount("/etc/config", FileTree.from_files({"/color": "blue"}), read_only=True)]
    script = "cat /etc/config/color; echo; echo red > /etc/config/color"
    code, out, err, _ = run(["sh", "-c", script], mounts=mounts)
    assert (code, out, err) == (1, "blue\n", "sh: can't create /etc/config/color: "
                                             "Read-only file system\n")


def test_env_and_printenv():
    env = [("PATH", "/bin"), ("STORY_FOLDER", "story"), ("HOME", "/root")]
    assert run(["env"], env=env)[1] == "PATH=/bin\nSTORY_FOLDER=story\nHOME=/root\n"
    assert run(["printenv", "STORY_FOLDER"], env=env)[1] == "story\n"
    assert run(["printenv", "NOPE"], env=env)[0] == 1
    assert run(["sh", "-c", "echo folder=$STORY_FOLDER; X=1; export Y=2; env"], env=env)[1] == (
        "folder=story\nPATH=/bin\nSTORY_FOLDER=story\nHOME=/root\nY=2\n")


def test_sh_reads_standard_input_and_script_files():
    assert run(["sh"], stdin="echo from stdin")[1] == "from stdin\n"
    assert run(["sh", "/run.sh"], files={"/run.sh": "echo ran"})[1] == "ran\n"
    assert run(["sh", "/nope.sh"])[2] == "sh: can't open '/nope.sh': No such file or directory\n"


def test_a_script_runs_on_the_clock_and_writes_as_it_goes():
    volume = FileTree()
    box = fs(mounts=[Mount("/data", volume)])
    process = ScriptProcess(["sh", "-c", "while true; do date >> /data/log; sleep 10; done"],
                            box, (), {"start": 0})
    process.advance(25)
    assert volume.read("/log").count("\n") == 3 and process.wake == 30
    process.advance(25)                        # nothing new: the same instant again
    assert volume.read("/log").count("\n") == 3


def test_dry_run_predicts_the_exit_without_touching_the_filesystem():
    box = fs()
    assert dry_run(["sh", "-c", "touch /tmp/x; sleep 5; exit 3"], box) == (5.0, 3)
    assert box.kind("/tmp/x") is None
    assert dry_run(["sh", "-c", "while true; do sleep 1; done"], box) is None
    assert dry_run(["sleep", "infinity"], box) is None


def test_a_loop_that_never_sleeps_does_not_hang_the_simulator():
    process = ScriptProcess(["sh", "-c", "while true; do echo x > /tmp/f; done"], fs())
    process.advance(10)
    assert process.exit is None and process.wake == FOREVER


def test_trace_keeps_its_old_shape():
    out = trace(("sh", "-c", "echo a; sleep 2; echo b; exit 4"), FOREVER, {})
    assert out.lines == [(0.0, "a"), (2.0, "b")] and out.exit == (2.0, 4)
    assert trace(("sh", "-c", "touch /tmp/h; sleep 9"), 1, {}).files == {"/tmp/h": ""}
