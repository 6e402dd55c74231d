"""The small shell inside the course's containers: scripts, exec probes, ``kubectl exec``.

A container's script (``sh -c "while true; do date >> /data/log; sleep 5; done"``)
runs as a Python generator that yields whenever it sleeps, so it runs on the
simulated clock, a step at a time, only when something looks (``logs``, an
exec, a probe, an HTTP request, another container reading a shared volume):
``ScriptProcess.advance(until)``. Its reads and writes go to the container's
real filesystem (``filesystem.ContainerFS``), so what it writes into a volume
is there for other containers and pods, and what it writes into its own layer
is lost when the container restarts.

The shell knows: ``echo`` (``-n``, ``-e``), ``cat``, ``ls`` (``-a``, ``-1``), ``mkdir``
(``-p``), ``rm`` (``-r``, ``-f``), ``rmdir``, ``touch``, ``cp``, ``mv``, ``env``,
``printenv``, ``export``, ``cd``, ``pwd``, ``test``/``[``, ``sleep``, ``date``,
``hostname``, ``tail``, ``true``, ``false``, ``exit``, ``sh -c``/``sh FILE``;
``;``, ``&&``, ``||``, ``>``, ``>>``, ``while``, ``for``, ``if``, ``$VAR``,
``$?`` and ``$((...))``. Pipes are read as ``;``. The network tools an image
carries (``binaries``: ``curl``, busybox ``wget`` and ``nslookup``) run in
``kubelearn.node.nettools`` through the pod's network (``net``); a dry run that
reaches one raises ``NeedsNetwork``, since what it prints depends on the cluster
at the moment it runs. Anything else fails as a shell says it: ``sh: foo: not
found`` (exit 127).

Messages follow the image's base (``app["base"]``): busybox (alpine images,
busybox itself: ``cat: can't open '/x': No such file or directory``) or
debian (nginx, node: coreutils' ``cat: /x: No such file or directory`` under
dash's ``sh: 1: foo: not found``).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from kubelearn.node.filesystem import (EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, ContainerFS,
                                       FileTree, FsError, normalize)

FOREVER = float("inf")
MAX_STEPS = 200_000          # commands one process may run without time passing
SHELLS = ("sh", "/bin/sh", "bash", "/bin/bash", "ash", "/bin/ash", "dash")
_METHODS = {":": "true", "[": "bracket"}
BUILTINS = frozenset({
    "echo", "cat", "ls", "mkdir", "rm", "rmdir", "touch", "cp", "mv", "env", "printenv",
    "export", "unset", "cd", "pwd", "test", "[", "sleep", "date", "hostname", "tail", "true",
    "false", ":", "exit", "sh", "bash", "ash", "dash"})
NETWORK_TOOLS = frozenset({"curl", "wget", "nslookup"})


# -- what the process printed ----------------------------------------------------
@dataclass
class Chunk:
    t: float            # seconds after the process started
    stream: str         # "stdout" | "stderr"
    text: str


@dataclass
class Trace:
    """A script replayed up to a moment: what it printed, its files, how it ended."""
    lines: list[tuple[float, str]] = field(default_factory=list)   # (offset, text)
    files: dict[str, str] = field(default_factory=dict)
    exit: tuple[float, int] | None = None                            # (offset, code)


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


class NeedsNetwork(Exception):
    """A dry run reached a network tool (``curl``, ``wget``, ``nslookup``): how the
    script goes on depends on the cluster when it runs, so it cannot be foretold."""

    def __init__(self, tool: str):
        super().__init__(f"{tool} needs the network")
        self.tool = tool


# -- messages per base image ------------------------------------------------------
class Busybox:
    """busybox applets under ash (alpine, busybox)."""
    prefix = "sh: "
    ls_missing_code = 1

    def not_found(self, name: str) -> str:
        return f"{self.prefix}{name}: not found"

    def cannot_create(self, path: str, reason: str) -> str:
        if reason in (ENOENT, ENOTDIR):
            reason = "nonexistent directory"
        return f"{self.prefix}can't create {path}: {reason}"

    def cat(self, path: str, reason: str) -> str:
        if reason == EISDIR:
            return "cat: read error: Is a directory"
        return f"cat: can't open '{path}': {reason}"

    def ls(self, path: str, reason: str) -> str:
        return f"ls: {path}: {reason}"

    def mkdir(self, path: str, reason: str) -> str:
        return f"mkdir: can't create directory '{path}': {reason}"

    def rm(self, path: str, reason: str) -> str:
        if reason == EISDIR:
            return f"rm: '{path}' is a directory"
        return f"rm: can't remove '{path}': {reason}"

    def rmdir(self, path: str, reason: str) -> str:
        return f"rmdir: '{path}': {reason}"

    def touch(self, path: str, reason: str) -> str:
        return f"touch: {path}: {reason}"

    def cp(self, path: str, reason: str) -> str:
        return f"cp: can't stat '{path}': {reason}"

    def cd(self, path: str, reason: str) -> str:
        return f"{self.prefix}cd: can't cd to {path}: {reason}"

    def cannot_open(self, path: str) -> str:
        return f"{self.prefix}can't open '{path}': No such file or directory"


class Debian(Busybox):
    """coreutils under dash (debian-based images: nginx, node)."""
    prefix = "sh: 1: "
    ls_missing_code = 2

    def cannot_create(self, path: str, reason: str) -> str:
        if reason in (ENOENT, ENOTDIR):
            reason = "Directory nonexistent"
        return f"{self.prefix}cannot create {path}: {reason}"

    def cat(self, path: str, reason: str) -> str:
        return f"cat: {path}: {reason}"

    def ls(self, path: str, reason: str) -> str:
        return f"ls: cannot access '{path}': {reason}"

    def mkdir(self, path: str, reason: str) -> str:
        return f"mkdir: cannot create directory '{path}': {reason}"

    def rm(self, path: str, reason: str) -> str:
        return f"rm: cannot remove '{path}': {reason}"

    def rmdir(self, path: str, reason: str) -> str:
        return f"rmdir: failed to remove '{path}': {reason}"

    def touch(self, path: str, reason: str) -> str:
        return f"touch: cannot touch '{path}': {reason}"

    def cp(self, path: str, reason: str) -> str:
        return f"cp: cannot stat '{path}': {reason}"

    def cd(self, path: str, reason: str) -> str:
        return f"{self.prefix}cd: can't cd to {path}"

    def cannot_open(self, path: str) -> str:
        return f"sh: 0: cannot open {path}: No such file"


FLAVOURS = {"busybox": Busybox(), "debian": Debian()}


def flavour_of(app: dict) -> str:
    """The base an image's shell comes from: ``busybox``, ``debian`` or ``scratch``."""
    return app.get("base") or "busybox"


# -- the interpreter ----------------------------------------------------------------
class Shell:
    """One process's shell state. ``main(argv)`` is a generator: it yields the offset
    (seconds after the process started) at which it wants to go on, and returns the
    exit code."""

    def __init__(self, fs: ContainerFS, env=(), values: dict | None = None,
                 flavour: str = "busybox", *, dry: bool = False, cwd: str = "/",
                 stdin: str | None = None, net=None, binaries=frozenset()):
        self.fs = fs
        self.net = net                  # nettools.PodNetwork (or alike); None: no network
        self.binaries = frozenset(binaries)
        self.env: dict[str, str] = dict(env) if env else dict((values or {}).get("env") or {})
        self.vars: dict[str, str] = {}
        self.values = values or {}
        self.msg = FLAVOURS.get(flavour, FLAVOURS["busybox"])
        self.dry = dry
        self.cwd = cwd or "/"
        self.stdin = stdin
        self.t, self.status, self.steps = 0.0, 0, 0
        self.out: list[Chunk] = []
        self._target: list[str | None] = [None]     # where stdout goes (a path, or None)

    # -- output ------------------------------------------------------------
    def write(self, text: str) -> None:
        target = self._target[-1]
        if target is None:
            self.out.append(Chunk(self.t, "stdout", text))
            return
        if target == "/dev/null":
            return
        try:
            self.fs.write(target, text, append=True)
        except FsError:
            pass

    def print(self, text: str) -> None:
        self.write(text + "\n")

    def error(self, text: str) -> None:
        self.out.append(Chunk(self.t, "stderr", text + "\n"))

    # -- running ------------------------------------------------------------
    def main(self, argv: list[str]):
        try:
            yield from self.run_argv(list(argv), top=True)
        except _Exit as done:
            return done.code
        return self.status

    def run_argv(self, argv: list[str], top: bool = False):
        if argv and argv[0] in SHELLS:
            args = argv[1:]
            while args and args[0].startswith("-") and len(args[0]) > 1 and "c" not in args[0]:
                args = args[1:]                 # -e, -x, -l ...
            if args and args[0].startswith("-") and "c" in args[0]:
                args = ["-c", *args[1:]]
            if args[:1] == ["-c"]:
                if len(args) < 2:
                    self.error(f"{self.msg.prefix}-c: option requires an argument")
                    self.status = 2
                    return
                yield from self.run_block(parse_script(args[1]))
                return
            if args:
                path = normalize(args[0], self.cwd)
                try:
                    script = self.fs.read(path)
                except FsError:
                    self.error(self.msg.cannot_open(args[0]))
                    self.status = 2 if isinstance(self.msg, Debian) else 127
                    return
                yield from self.run_block(parse_script(script))
                return
            if self.stdin:                 # sh reading commands from standard input
                script, self.stdin = self.stdin, None
                yield from self.run_block(parse_script(script))
            return                         # sh with no script and no terminal: exits at once
        self.status = yield from self.command([*argv], None)

    def run_block(self, block: list):
        for connector, node in block:
            if connector == "&&" and self.status != 0 or connector == "||" and self.status == 0:
                continue
            yield from self.run_node(node)

    def _tick(self):
        self.steps += 1
        if self.steps > MAX_STEPS:          # a loop that never lets time pass: hangs
            yield FOREVER

    def run_node(self, node):
        yield from self._tick()
        kind = node[0]
        if kind == "cmd":
            _, words, redirect = node
            argv = [self.expand(w) for w in words]
            target = None
            if redirect:
                target = self.open_redirect(redirect[0], self.expand(redirect[1]))
                if target is False:
                    self.status = 2 if isinstance(self.msg, Debian) else 1
                    return
            self._target.append(target)
            try:
                self.status = yield from self.command(argv, redirect)
            finally:
                self._target.pop()
        elif kind == "while":
            _, cond, body = node
            if self.dry and _always_true(cond) and not _exits(body):
                yield FOREVER               # a loop that never ends: the process never exits
            while True:
                yield from self.run_block(cond)
                if self.status != 0:
                    self.status = 0
                    break
                before = self.t
                yield from self.run_block(body)
                if self.dry and self.t == before and _always_true(cond):
                    yield FOREVER
        elif kind == "for":
            _, var, items, body = node
            for item in items:
                self.vars[var] = self.expand(item)
                yield from self.run_block(body)
        elif kind == "if":
            _, cond, body, other = node
            yield from self.run_block(cond)
            if self.status == 0:
                yield from self.run_block(body)
            else:
                self.status = 0
                yield from self.run_block(other)

    def open_redirect(self, op: str, path: str):
        """Open a ``>``/``>>`` target as the shell does before running the command:
        the path, or False (after printing why) when it cannot be created."""
        if path == "/dev/null":
            return path
        full = normalize(path, self.cwd)
        try:
            if op == ">":
                self.fs.write(full, "")
            else:
                self.fs.write(full, "", append=True)
        except FsError as err:
            self.error(self.msg.cannot_create(path, err.reason))
            return False
        return full

    # -- words ---------------------------------------------------------------
    def lookup(self, name: str) -> str:
        if name == "?":
            return str(self.status)
        if name in self.vars:
            return self.vars[name]
        return self.env.get(name, "")

    def expand(self, word: str) -> str:
        if "$" not in word:
            return word
        word = re.sub(r"\$\(\(([^)]*)\)\)", lambda m: str(self.arith(m.group(1))), word)
        word = word.replace("$(date)", self.date())
        word = word.replace("$(hostname)", str(self.values.get("hostname", "")))
        word = word.replace("$(pwd)", self.cwd)
        return re.sub(r"\$(\?|\{\w+\}|\w+)",
                      lambda m: self.lookup(m.group(1).strip("{}")), word)

    def arith(self, expr: str) -> int:
        text = re.sub(r"\$?([A-Za-z_]\w*)", lambda m: self.lookup(m.group(1)) or "0", expr)
        if not re.fullmatch(r"[\d\s+\-*/%()]*", text):
            return 0
        try:
            return int(eval(text.replace("/", "//"), {"__builtins__": {}}))  # digits only
        except (SyntaxError, ZeroDivisionError):
            return 0

    def date(self) -> str:
        from kubelearn.node.apps import stamp
        return stamp("date", self.values.get("start", 0) + self.t)

    def path(self, word: str) -> str:
        return normalize(word, self.cwd)

    # -- commands --------------------------------------------------------------
    def command(self, argv: list[str], redirect):
        """Run one simple command (a generator: ``sleep`` and ``sh`` may wait)."""
        if not argv:
            return 0
        name, args = argv[0].rsplit("/", 1)[-1], argv[1:]
        if "=" in argv[0] and re.fullmatch(r"[A-Za-z_]\w*=.*", argv[0]):
            key, value = argv[0].split("=", 1)
            if not args:
                if key in self.env:
                    self.env[key] = value
                else:
                    self.vars[key] = value
                return 0
            saved = dict(self.env)         # VAR=x cmd: x only for that command
            self.env[key] = value
            try:
                return (yield from self.command(args, redirect))
            finally:
                self.env = saved
        if name == "sleep":
            seconds = _seconds(args[0] if args else "")
            if seconds is None:
                self.error(f"sleep: invalid number '{args[0] if args else ''}'")
                return 1
            return (yield from self.wait(seconds))
        if name == "tail" and "-f" in args:
            return (yield from self.wait(FOREVER))
        if name in ("sh", "bash", "ash", "dash"):
            saved = self.status
            self.status = 0
            yield from self.run_argv(argv)
            code, self.status = self.status, saved
            return code
        if name in NETWORK_TOOLS and name in self.binaries:
            if self.dry:
                raise NeedsNetwork(name)
            from kubelearn.node.nettools import run_tool
            return run_tool(self, name, args)
        builtin = getattr(self, "cmd_" + _METHODS.get(name, name), None)
        if builtin is None or name not in BUILTINS:
            self.error(self.msg.not_found(argv[0]))
            return 127
        return builtin(args)

    def wait(self, seconds: float):
        if seconds == FOREVER:
            yield FOREVER
        target = self.t + seconds
        yield target
        self.t = target
        return 0

    # each cmd_* returns an exit code
    def cmd_true(self, args):
        return 0

    def cmd_false(self, args):
        return 1

    def cmd_exit(self, args):
        raise _Exit(int(args[0]) if args and args[0].isdigit() else self.status)

    def cmd_echo(self, args):
        newline, escapes = True, False
        while args and args[0] in ("-n", "-e", "-ne", "-en", "-E"):
            newline = newline and "n" not in args[0]
            escapes = escapes or "e" in args[0]
            args = args[1:]
        text = " ".join(args)
        if escapes:
            text = text.replace("\\n", "\n").replace("\\t", "\t")
        self.write(text + ("\n" if newline else ""))
        return 0

    def cmd_cat(self, args):
        if not args:
            if self.stdin:
                self.write(self.stdin)
                self.stdin = None
            return 0
        code = 0
        for word in args:
            try:
                self.write(self.fs.read(self.path(word)))
            except FsError as err:
                self.error(self.msg.cat(word, err.reason))
                code = 1
        return code

    def cmd_ls(self, args):
        flags = "".join(a[1:] for a in args if a.startswith("-") and len(a) > 1)
        paths = [a for a in args if not a.startswith("-") or a == "-"] or ["."]
        if "l" in flags:
            self.error("ls: kubelearn lists names only (no -l); try: ls " + " ".join(paths))
            return 1
        show_all = "a" in flags or "A" in flags
        code, files, dirs = 0, [], []
        for word in paths:
            kind = self.fs.kind(self.path(word))
            if kind is None:
                self.error(self.msg.ls(word, ENOENT))
                code = self.msg.ls_missing_code
            elif kind == "file":
                files.append(word)
            else:
                dirs.append(word)
        for word in sorted(files):
            self.print(word)
        for i, word in enumerate(sorted(dirs) if len(paths) > 1 else dirs):
            names = self.fs.listdir(self.path(word))
            if not show_all:
                names = [n for n in names if not n.startswith(".")]
            elif "a" in flags:
                names = sorted([".", "..", *names])
            if len(paths) > 1:
                self.print(("\n" if files or i else "") + f"{word}:")
            for name in names:
                self.print(name)
        return code

    def cmd_mkdir(self, args):
        parents = any(a.startswith("-") and "p" in a for a in args)
        code = 0
        for word in (a for a in args if not a.startswith("-")):
            try:
                self.fs.make_dir(self.path(word), parents=parents)
            except FsError as err:
                self.error(self.msg.mkdir(word, err.reason))
                code = 1
        return code

    def cmd_rm(self, args):
        flags = "".join(a[1:] for a in args if a.startswith("-"))
        recursive, force = "r" in flags or "R" in flags, "f" in flags
        code = 0
        for word in (a for a in args if not a.startswith("-")):
            try:
                self.fs.remove(self.path(word), recursive=recursive)
            except FsError as err:
                if force and err.reason == ENOENT:
                    continue
                self.error(self.msg.rm(word if err.path == self.path(word) else err.path,
                                       err.reason))
                code = 1
        return code

    def cmd_rmdir(self, args):
        code = 0
        for word in (a for a in args if not a.startswith("-")):
            path = self.path(word)
            try:
                kind = self.fs.kind(path)
                if kind is None:
                    raise FsError(path, ENOENT)
                if kind == "file":
                    raise FsError(path, ENOTDIR)
                if self.fs.listdir(path):
                    raise FsError(path, ENOTEMPTY)
                self.fs.remove(path, recursive=True)
            except FsError as err:
                self.error(self.msg.rmdir(word, err.reason))
                code = 1
        return code

    def cmd_touch(self, args):
        code = 0
        for word in (a for a in args if not a.startswith("-")):
            path = self.path(word)
            try:
                if self.fs.kind(path) is None:
                    self.fs.write(path, "")
            except FsError as err:
                self.error(self.msg.touch(word, err.reason))
                code = 1
        return code

    def cmd_cp(self, args):
        words = [a for a in args if not a.startswith("-")]
        if len(words) < 2:
            self.error("cp: missing destination file operand")
            return 1
        *sources, dest = words
        code = 0
        for src in sources:
            try:
                text = self.fs.read(self.path(src))
                target = self.path(dest)
                if self.fs.kind(target) == "dir":
                    target = normalize(src.rsplit("/", 1)[-1], target)
                self.fs.write(target, text)
            except FsError as err:
                self.error(self.msg.cp(src, err.reason))
                code = 1
        return code

    def cmd_mv(self, args):
        code = self.cmd_cp(args)
        if code == 0:
            for src in [a for a in args if not a.startswith("-")][:-1]:
                self.fs.remove(self.path(src))
        return code

    def cmd_env(self, args):
        for key, value in self.env.items():
            self.print(f"{key}={value}")
        return 0

    def cmd_printenv(self, args):
        if not args:
            return self.cmd_env(args)
        code = 0
        for name in args:
            if name in self.env:
                self.print(self.env[name])
            else:
                code = 1
        return code

    def cmd_export(self, args):
        for word in args:
            key, eq, value = word.partition("=")
            self.env[key] = value if eq else self.vars.pop(key, self.env.get(key, ""))
        return 0

    def cmd_unset(self, args):
        for name in args:
            self.vars.pop(name, None)
            self.env.pop(name, None)
        return 0

    def cmd_cd(self, args):
        target = self.path(args[0]) if args else self.env.get("HOME", "/")
        kind = self.fs.kind(target)
        if kind != "dir":
            self.error(self.msg.cd(args[0] if args else target,
                                   ENOTDIR if kind == "file" else ENOENT))
            return 2
        self.cwd = target
        return 0

    def cmd_pwd(self, args):
        self.print(self.cwd)
        return 0

    def cmd_date(self, args):
        self.print(self.date())
        return 0

    def cmd_hostname(self, args):
        self.print(str(self.values.get("hostname", "")))
        return 0

    def cmd_tail(self, args):
        count, words, i = 10, [], 0
        while i < len(args):
            if args[i] == "-n" and i + 1 < len(args):
                count, i = int(args[i + 1]) if args[i + 1].isdigit() else 10, i + 2
                continue
            if not args[i].startswith("-"):
                words.append(args[i])
            i += 1
        code = 0
        for word in words:
            try:
                lines = self.fs.read(self.path(word)).splitlines(keepends=True)
                self.write("".join(lines[-count:] if count else []))
            except FsError as err:
                self.error(f"tail: can't open '{word}': {err.reason}")
                code = 1
        return code

    def cmd_test(self, args):
        return 0 if self._test(list(args)) else 1

    def cmd_bracket(self, args):
        if not args or args[-1] != "]":
            self.error("[: missing ]")
            return 2
        return self.cmd_test(args[:-1])

    def _test(self, args: list[str]) -> bool:
        if args[:1] == ["!"]:
            return not self._test(args[1:])
        if len(args) == 1:
            return args[0] != ""
        if len(args) == 2:
            op, word = args
            kind = self.fs.kind(self.path(word)) if op in ("-e", "-f", "-d", "-s") else None
            return {"-z": word == "", "-n": word != "", "-e": kind is not None,
                    "-f": kind == "file", "-d": kind == "dir",
                    "-s": kind == "file" and self.fs.read(self.path(word)) != ""}.get(op, False)
        if len(args) == 3:
            left, op, right = args
            if op in ("=", "=="):
                return left == right
            if op == "!=":
                return left != right
            try:
                a, b = int(left), int(right)
            except ValueError:
                return False
            return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b, "-gt": a > b,
                    "-ge": a >= b}.get(op, False)
        return False


# -- a running script ---------------------------------------------------------------
class ScriptProcess:
    """A script running in a container, advanced lazily on the simulated clock.

    ``wake`` is the offset (seconds after start) at which it goes on next;
    ``exit`` is ``(offset, code)`` once it has ended."""

    def __init__(self, argv, fs: ContainerFS, env=(), values: dict | None = None,
                 flavour: str = "busybox", *, dry: bool = False, cwd: str = "/",
                 stdin: str | None = None, net=None, binaries=frozenset()):
        self.shell = Shell(fs, env, values, flavour, dry=dry, cwd=cwd, stdin=stdin, net=net,
                           binaries=binaries)
        self._gen = self.shell.main(list(argv))
        self.wake = 0.0
        self.exit: tuple[float, int] | None = None

    @property
    def out(self) -> list[Chunk]:
        return self.shell.out

    @property
    def runnable(self) -> bool:
        return self.exit is None and self.wake != FOREVER

    def step(self) -> None:
        """Go on from ``wake`` to the next sleep (or the end)."""
        self.shell.steps = 0
        try:
            self.wake = self._gen.send(None)
        except StopIteration as stop:
            self.exit = (self.shell.t, stop.value if stop.value is not None else 0)
            self.wake = FOREVER

    def advance(self, until: float) -> None:
        """Run everything the script does up to ``until`` seconds after its start."""
        while self.runnable and self.wake <= until + 1e-9:
            self.step()

    def lines(self, until: float = FOREVER) -> list[tuple[float, str]]:
        """What it wrote, as log lines: (offset, text) for both streams."""
        out = []
        for chunk in self.out:
            if chunk.t > until + 1e-9:
                break
            out += [(chunk.t, line) for line in chunk.text.splitlines()]
        return out


def run_once(argv, fs: ContainerFS, env=(), values: dict | None = None,
             flavour: str = "busybox", *, cwd: str = "/", stdin: str | None = None,
             until: float = 0.0, net=None, binaries=frozenset()) -> ScriptProcess:
    """Run a short command (an exec) to its end or to ``until`` seconds, whichever first."""
    process = ScriptProcess(argv, fs, env, values, flavour, cwd=cwd, stdin=stdin, net=net,
                            binaries=binaries)
    process.advance(until)
    return process


def dry_run(argv, fs: ContainerFS, env=(), values: dict | None = None,
            flavour: str = "busybox", cwd: str = "/", *, net=None,
            binaries=frozenset()) -> tuple[float, int] | None:
    """When (offset) and how a script would end, run against a private copy of its
    filesystem; None when it never ends. Raises NeedsNetwork when the script reaches
    one of its image's network tools (``binaries``): its end cannot be foretold."""
    process = ScriptProcess(argv, fs.snapshot(), env, values, flavour, dry=True, cwd=cwd,
                            net=net, binaries=binaries)
    process.advance(FOREVER)
    return process.exit


def trace(argv, until: float, files: dict[str, str], values: dict | None = None,
          flavour: str = "busybox") -> Trace:
    """Replay a script from its start to ``until`` seconds after it, in a container
    whose own files are ``files`` (no volumes): what it printed, the files it left,
    how it ended."""
    from kubelearn.node.filesystem import ROOT_DIRS
    layer = FileTree.from_files(files, ROOT_DIRS)
    process = ScriptProcess(argv, ContainerFS(layer), (), values, flavour,
                            dry=until == FOREVER)
    process.advance(until)
    return Trace(process.lines(until), dict(layer.files),
                 process.exit if process.exit and process.exit[0] <= until else None)


# -- helpers ----------------------------------------------------------------------------
def _seconds(text: str) -> float | None:
    if text == "infinity":
        return FOREVER
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd]?)", text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def _always_true(cond: list) -> bool:
    return len(cond) == 1 and cond[0][1][0] == "cmd" and cond[0][1][1] in (["true"], [":"])


def _exits(block: list) -> bool:
    for _, node in block:
        if node[0] == "cmd" and node[1][:1] == ["exit"]:
            return True
        if node[0] in ("while", "for") and _exits(node[-1]):
            return True
        if node[0] == "if" and (_exits(node[2]) or _exits(node[3])):
            return True
    return False


# -- parsing ----------------------------------------------------------------------------
def parse_script(text: str) -> list:
    """``a; b && c`` as [(connector, node)]; nodes are ("cmd", words, redirect),
    ("while", cond, body), ("for", var, items, body) and ("if", cond, then, else)."""
    lexer = shlex.shlex(text.replace("\n", " ; "), posix=True, punctuation_chars=";&|>")
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:                       # unbalanced quotes: nothing runs
        return [(";", ("cmd", ["sh:", "syntax", "error:", "unterminated", "quoted",
                               "string"], None))]
    block, _ = _parse_block(tokens, 0, ())
    return block


def _parse_block(tokens: list[str], i: int, stop: tuple[str, ...]) -> tuple[list, int]:
    block, connector, words, redirect = [], ";", [], None

    def flush():
        nonlocal words, redirect
        if words or redirect:
            block.append((connector, ("cmd", words, redirect)))
        words, redirect = [], None

    while i < len(tokens):
        tok = tokens[i]
        if not words and tok in stop:
            flush()
            return block, i
        if tok in (";", "&&", "||", "&", "|", ";;"):
            flush()
            connector = tok if tok in ("&&", "||") else ";"
            i += 1
            continue
        if tok in (">", ">>") and i + 1 < len(tokens):
            redirect = (tok, tokens[i + 1])
            i += 2
            continue
        if not words and tok == "while":
            cond, i = _parse_block(tokens, i + 1, ("do",))
            body, i = _parse_block(tokens, i + 1, ("done",))
            block.append((connector, ("while", cond, body)))
            connector, i = ";", i + 1
            continue
        if not words and tok == "if":
            cond, i = _parse_block(tokens, i + 1, ("then",))
            body, i = _parse_block(tokens, i + 1, ("else", "fi"))
            other: list = []
            if i < len(tokens) and tokens[i] == "else":
                other, i = _parse_block(tokens, i + 1, ("fi",))
            block.append((connector, ("if", cond, body, other)))
            connector, i = ";", i + 1
            continue
        if not words and tok == "for" and i + 2 < len(tokens):
            var, j, items = tokens[i + 1], i + 3, []
            while j < len(tokens) and tokens[j] not in (";", "do"):
                items.append(tokens[j])
                j += 1
            while j < len(tokens) and tokens[j] in (";",):
                j += 1
            body, i = _parse_block(tokens, j + 1, ("done",))
            block.append((connector, ("for", var, items, body)))
            connector, i = ";", i + 1
            continue
        words.append(tok)
        i += 1
    flush()
    return block, i
