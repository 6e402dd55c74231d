"""What the program inside a container does, read from its image's ``app`` data.

A container runs one of two kinds of process:

* a **server** (nginx, ``kubelearn/hello``, the notes' placeholder images, the
  cluster's own components): it writes its start-up lines, listens on the
  app's HTTP port, logs each request it serves and runs until it is stopped or
  a crash route (``/error``) ends it;
* a **script**: the container's ``command``/``args`` (or the image's own
  default, busybox's ``sh``) run by a very small shell. ``sh`` without ``-c``
  and without a terminal exits at once (exit 0: ``Completed``, then
  ``CrashLoopBackOff`` under ``restartPolicy: Always``, as on a real cluster);
  ``sleep 3600`` exits after an hour; ``touch /tmp/healthy; sleep 30; rm -f
  /tmp/healthy; sleep 600`` makes the file an exec probe looks for appear and
  vanish on the simulated clock.

A script is never "run" in the background: ``trace(plan, until)`` replays it
from the start up to a moment, giving the lines it printed, the files it made
and whether it has exited. So logs, files and exit times all come from one
deterministic interpreter and cost nothing while nobody looks.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from kubelearn.clock import EPOCH

KERNEL = "6.8.0-51-generic"
SHELLS = ("sh", "/bin/sh", "bash", "/bin/bash", "ash")
SCRIPT_BINARIES = frozenset(SHELLS) | {"sleep", "echo", "true", "false", "tail", "cat", "date",
                                       "touch", "rm", "exit", "env", "printenv", "hostname"}
FOREVER = float("inf")
MAX_STEPS = 200_000          # bound on the interpreter's work for one replay


# -- the plan of a process ----------------------------------------------------
@dataclass(frozen=True)
class ProcessPlan:
    """How one container's process behaves: a server, or a script to replay."""
    kind: str                          # "server" | "script"
    argv: tuple[str, ...] = ()
    listens: tuple[int, ...] = ()      # TCP ports a server accepts connections on
    exit_after: float | None = None    # seconds after start when a script exits (None: never)
    exit_code: int = 0


def plan_process(app: dict, spec: dict) -> ProcessPlan:
    """The process a container spec starts from an image whose app is ``app``."""
    command, args = list(spec.get("command") or ()), list(spec.get("args") or ())
    kind = app.get("kind", "http")
    if command:
        argv = command + args
    elif args and kind == "shell":
        argv = args                    # busybox has no ENTRYPOINT: args replace CMD
    elif kind == "shell":
        argv = list(app.get("command") or ["sh"])
    else:
        argv = []
    if argv and argv[0].rsplit("/", 1)[-1] in SCRIPT_BINARIES | {"/bin/sh"} \
            or (argv and kind == "shell"):
        end = trace(tuple(argv), FOREVER, {}).exit
        return ProcessPlan("script", tuple(argv), (), end[0] if end else None,
                           end[1] if end else 0)
    return ProcessPlan("server", tuple(argv), tuple(listen_ports(app)))


def listen_ports(app: dict) -> list[int]:
    ports = [p.get("containerPort") for p in app.get("ports") or () if p.get("protocol",
                                                                              "TCP") == "TCP"]
    http = (app.get("http") or {}).get("port")
    if http is not None and http not in ports:
        ports.append(http)
    return [p for p in ports if p]


# -- time formats the apps print ----------------------------------------------
def stamp(kind: str, t: float) -> str:
    when = EPOCH.timestamp() + t
    from datetime import datetime, timezone
    moment = datetime.fromtimestamp(int(when), tz=timezone.utc)
    if kind in ("nginx", "go"):
        return moment.strftime("%Y/%m/%d %H:%M:%S")
    if kind == "clf":
        return moment.strftime("%d/%b/%Y:%H:%M:%S +0000")
    if kind == "date":                  # busybox date
        return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(
            " %H:%M:%S UTC %Y")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_FIELD = re.compile(r"\{(\w+)(?::(\w+))?\}")


def render(template: str, t: float, values: dict) -> str:
    """Fill ``{time:nginx}``, ``{hostname}``, ``{version}``... in an app's log template."""
    def sub(m: re.Match) -> str:
        name, fmt = m.group(1), m.group(2)
        if name == "time":
            return stamp(fmt or "", t)
        if name == "kernel":
            return KERNEL
        value = values.get(name)
        return m.group(0) if value is None else str(value)
    return _FIELD.sub(sub, template)


def startup_lines(app: dict, t: float, values: dict) -> list[tuple[float, str]]:
    return [(t, render(line, t, values)) for line in (app.get("logs") or {}).get("startup") or ()]


# -- HTTP ---------------------------------------------------------------------
def http_response(app: dict, path: str, values: dict) -> dict:
    """The app's answer to ``GET path``: ``status``, ``content_type``, ``body``; a crash
    route answers ``{"crash": True, "exit_code": N, "log": ...}``."""
    http = app.get("http") or {}
    route = (http.get("routes") or {}).get(path.split("?", 1)[0])
    if route is None:
        route = http.get("not_found") or {"status": 404, "content_type": "text/plain",
                                          "body": "404 page not found\n"}
    if route.get("crash"):
        return {"crash": True, "exit_code": route.get("exit_code", 1),
                "log": route.get("log", "")}
    body = route.get("body", "").replace("{path}", path)
    body = render(body, 0, values) if "{" in body and "}" in body else body
    return {"status": route.get("status", 200), "content_type": route.get("content_type",
                                                                          "text/plain"),
            "body": body}


def access_line(app: dict, t: float, values: dict) -> str | None:
    template = (app.get("logs") or {}).get("access")
    return render(template, t, values) if template else None


# -- the shell ----------------------------------------------------------------
@dataclass
class Trace:
    """A script replayed up to a moment: what it printed, its files, how it ended."""
    lines: list[tuple[float, str]] = field(default_factory=list)   # (offset, text)
    files: dict[str, str] = field(default_factory=dict)
    exit: tuple[float, int] | None = None                            # (offset, code)


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


class _Stop(Exception):
    """The replay reached the moment asked for."""


def trace(argv: tuple[str, ...], until: float, files: dict[str, str],
          values: dict | None = None) -> Trace:
    """Replay a script from its start to ``until`` seconds after it."""
    shell = _Shell(until, dict(files), values or {})
    try:
        shell.run_argv(list(argv))
        shell.out.exit = (shell.t, shell.status)
    except _Exit as done:
        shell.out.exit = (shell.t, done.code)
    except _Stop:
        pass
    shell.out.files = shell.files
    return shell.out


class _Shell:
    def __init__(self, until: float, files: dict[str, str], values: dict):
        self.until, self.t, self.status, self.steps = until, 0.0, 0, 0
        self.files, self.vars, self.values = files, {}, values
        self.out = Trace()

    def run_argv(self, argv: list[str]) -> None:
        if argv and argv[0] in SHELLS:
            if len(argv) >= 3 and argv[1] == "-c":
                self.run_block(parse_script(argv[2]))
            return                      # sh with no script and no terminal: exits at once
        self.status = self.command(argv, None, False)

    def run_block(self, block: list) -> None:
        for connector, node in block:
            if connector == "&&" and self.status != 0 or connector == "||" and self.status == 0:
                continue
            self.run_node(node)

    def run_node(self, node) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Stop
        kind = node[0]
        if kind == "cmd":
            _, words, redirect = node
            self.status = self.command([self.expand(w) for w in words], redirect and (
                redirect[0], self.expand(redirect[1])), True)
        elif kind == "while":
            _, cond, body = node
            if self.until == FOREVER and _always_true(cond) and not _exits(body):
                raise _Stop             # a loop that never ends: the process never exits
            while True:
                self.run_block(cond)
                if self.status != 0:
                    break
                before = (self.t, self.steps)
                self.run_block(body)
                if self.t == before[0] and self.until == FOREVER and _always_true(cond):
                    raise _Stop
        elif kind == "for":
            _, var, items, body = node
            for item in items:
                self.vars[var] = self.expand(item)
                self.run_block(body)

    def expand(self, word: str) -> str:
        word = re.sub(r"\$\(\(([^)]*)\)\)", lambda m: str(self.arith(m.group(1))), word)
        word = word.replace("$(date)", stamp("date", self.values.get("start", 0) + self.t))
        word = word.replace("$(hostname)", str(self.values.get("hostname", "")))
        return re.sub(r"\$\{?(\w+)\}?", lambda m: self.vars.get(m.group(1), ""), word)

    def arith(self, expr: str) -> int:
        text = re.sub(r"\$?([A-Za-z_]\w*)", lambda m: self.vars.get(m.group(1), "0") or "0",
                      expr)
        if not re.fullmatch(r"[\d\s+\-*/%()]*", text):
            return 0
        try:
            return int(eval(text.replace("/", "//"), {"__builtins__": {}}))  # digits only
        except (SyntaxError, ZeroDivisionError):
            return 0

    def say(self, text: str, redirect) -> None:
        if redirect:
            op, path = redirect
            self.files[path] = (self.files.get(path, "") if op == ">>" else "") + text + "\n"
        else:
            self.out.lines.append((self.t, text))

    def command(self, argv: list[str], redirect, in_script: bool) -> int:
        if not argv:
            return 0
        name, args = argv[0].rsplit("/", 1)[-1], argv[1:]
        if "=" in name and not args and re.fullmatch(r"\w+=.*", argv[0]):
            key, value = argv[0].split("=", 1)
            self.vars[key] = value
            return 0
        if name == "echo":
            newline = not (args and args[0] == "-n")
            self.say(" ".join(args[1:] if not newline else args), redirect)
            return 0
        if name == "sleep":
            seconds = _seconds(args[0] if args else "0")
            if seconds is None:
                self.say(f"sleep: invalid number '{args[0] if args else ''}'", None)
                return 1
            return self.wait(seconds)
        if name == "tail" and "-f" in args:
            return self.wait(FOREVER)
        if name in ("true", ":"):
            return 0
        if name == "false":
            return 1
        if name == "exit":
            raise _Exit(int(args[0]) if args and args[0].isdigit() else self.status)
        if name == "touch":
            for path in args:
                self.files.setdefault(path, "")
            return 0
        if name == "rm":
            for path in (a for a in args if not a.startswith("-")):
                self.files.pop(path, None)
            return 0
        if name == "mkdir":
            return 0
        if name == "cat":
            code = 0
            for path in args:
                if path in self.files:
                    for line in self.files[path].splitlines():
                        self.say(line, redirect)
                else:
                    self.say(f"cat: can't open '{path}': No such file or directory", None)
                    code = 1
            return code
        if name == "date":
            self.say(stamp("date", self.values.get("start", 0) + self.t), redirect)
            return 0
        if name == "hostname":
            self.say(str(self.values.get("hostname", "")), redirect)
            return 0
        if name in SHELLS:
            self.run_argv(argv)
            return self.status
        self.say(f"sh: {argv[0]}: not found", None)
        return 127

    def wait(self, seconds: float) -> int:
        if seconds == FOREVER or self.t + seconds > self.until:
            raise _Stop
        self.t += seconds
        return 0


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
    return False


# -- parsing ------------------------------------------------------------------
def parse_script(text: str) -> list:
    """``a; b && c`` as [(connector, node)]; nodes are ("cmd", words, redirect),
    ("while", cond, body) and ("for", var, items, body)."""
    lexer = shlex.shlex(text.replace("\n", " ; "), posix=True, punctuation_chars=";&|>")
    lexer.whitespace_split = True
    tokens = list(lexer)
    block, _ = _parse_block(tokens, 0, ())
    return block


def _parse_block(tokens: list[str], i: int, stop: tuple[str, ...]) -> tuple[list, int]:
    block, connector, words, redirect = [], ";", [], None

    def flush():
        nonlocal words, redirect
        if words:
            block.append((connector, ("cmd", words, redirect)))
        words, redirect = [], None

    while i < len(tokens):
        tok = tokens[i]
        if not words and tok in stop:
            flush()
            return block, i
        if tok in (";", "&&", "||", "&", "|"):
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


# -- exec ---------------------------------------------------------------------
def exec_command(app: dict, argv: list[str], files: dict[str, str],
                 values: dict) -> tuple[int, str]:
    """Run a short command inside a running container (an exec probe): exit code and
    combined output. Images without a shell (``app["shell"] is False``) only know the
    binaries they list."""
    if not argv:
        return 126, ""
    name = argv[0].rsplit("/", 1)[-1]
    known = app.get("binaries")
    if app.get("shell") is False and name not in (known or ()):
        return 128, (f'OCI runtime exec failed: exec failed: unable to start container process: '
                     f'exec: "{argv[0]}": executable file not found in $PATH: unknown')
    shell = _Shell(FOREVER, dict(files), values)
    try:
        shell.run_argv(argv)
        code = shell.status
    except (_Exit,) as done:
        code = done.code
    except _Stop:
        code = 0
    text = "\n".join(line for _, line in shell.out.lines)
    return code, text
