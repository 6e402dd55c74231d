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

A script runs in the shell of ``kubelearn.node.shell`` a step at a time on
the simulated clock, against the container's real filesystem (its layer and
its volumes, ``kubelearn.node.filesystem``); when it will exit is known at
start from a dry run against a private copy. So logs, files and exit times
all come from one deterministic interpreter and cost nothing while nobody
looks.

A server's routes are data too: a fixed answer, a crash, or (the notes' story
app) a file in the container read or appended to (``read_file``,
``append_field``), so what the app stores lands in whatever volume is
mounted there.
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass

from kubelearn.clock import EPOCH
from kubelearn.node.filesystem import ContainerFS, FileTree, FsError, ROOT_DIRS, image_layer
from kubelearn.node.shell import (BUILTINS, FOREVER, MAX_STEPS, SHELLS, NeedsNetwork, Trace,
                                  dry_run, flavour_of, parse_script, run_once, trace)

__all__ = ["ProcessPlan", "plan_process", "process_argv", "http_response", "exec_command",
           "run_command", "ExecResult", "trace", "parse_script", "Trace", "FOREVER",
           "MAX_STEPS", "SHELLS"]

KERNEL = "6.8.0-51-generic"
SCRIPT_BINARIES = frozenset(SHELLS) | {"sleep", "echo", "true", "false", "tail", "cat", "date",
                                       "touch", "rm", "exit", "env", "printenv", "hostname",
                                       "mkdir", "ls"}


# -- the plan of a process ----------------------------------------------------
@dataclass(frozen=True)
class ProcessPlan:
    """How one container's process behaves: a server, or a script to replay."""
    kind: str                          # "server" | "script"
    argv: tuple[str, ...] = ()
    listens: tuple[int, ...] = ()      # TCP ports a server accepts connections on
    exit_after: float | None = None    # seconds after start when a script exits (None: never)
    exit_code: int = 0
    live: bool = False                 # a script that uses the network: stepped as time passes


def process_argv(app: dict, spec: dict) -> tuple[str, tuple[str, ...]]:
    """(``"server"`` or ``"script"``, argv) of the process a container spec starts."""
    command, args = list(spec.get("command") or ()), list(spec.get("args") or ())
    kind = app.get("kind", "http")
    if command:
        argv = command + args
    elif args and kind == "shell":
        argv = args                    # busybox has no ENTRYPOINT: args replace CMD
        program = app.get("entrypoint_program")   # curlimages/curl's /entrypoint.sh
        if program and (argv[0].startswith("-") or argv[0].rsplit("/", 1)[-1] not in
                        BUILTINS | set(app.get("binaries") or ())):
            argv = [program, *argv]
    elif kind == "shell":
        argv = list(app.get("command") or ["sh"])
    else:
        argv = []
    if argv and argv[0].rsplit("/", 1)[-1] in SCRIPT_BINARIES | {"/bin/sh"} \
            or (argv and kind == "shell"):
        return "script", tuple(argv)
    return "server", tuple(argv)


def plan_process(app: dict, spec: dict, env: dict | None = None,
                 fs: ContainerFS | None = None, values: dict | None = None) -> ProcessPlan:
    """The process a container spec starts from an image whose app is ``app``, with
    the environment ``env`` (a script sees it as its shell variables). A script's
    exit comes from a dry run against a copy of ``fs`` (the container's filesystem;
    by default a fresh layer of the image)."""
    kind, argv = process_argv(app, spec)
    if kind == "script":
        if fs is None:
            fs = ContainerFS(image_layer(app))
        try:
            end = dry_run(argv, fs, env or {}, script_values(app, values), flavour_of(app),
                          app.get("workdir") or "/", binaries=image_binaries(app))
        except NeedsNetwork:           # what it does depends on the cluster as it runs
            return ProcessPlan("script", argv, live=True)
        return ProcessPlan("script", argv, (), end[0] if end else None, end[1] if end else 0)
    return ProcessPlan("server", argv, tuple(listen_ports(app)))


def image_binaries(app: dict) -> frozenset[str]:
    """The programs an image carries beside its shell's built-ins (``wget``, ``curl``)."""
    return frozenset(app.get("binaries") or ())


def script_values(app: dict, values: dict | None) -> dict:
    """A script's values with what its image's network tools need to know."""
    from kubelearn.node.nettools import tool_values
    return {**(values or {}), **tool_values(app)}


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
def http_response(app: dict, path: str, values: dict, *, method: str = "GET",
                  body: str | bytes | dict | None = None, fs: ContainerFS | None = None,
                  env=(), call=None) -> dict:
    """The app's answer to ``METHOD path``: ``status``, ``content_type``, ``body``; a
    crash route answers ``{"crash": True, "exit_code": N, "log": ...}``.

    A route is a fixed answer, a crash, a file action against the container's
    filesystem ``fs`` (``read_file``: answer ``{json_key: contents}``;
    ``append_field``: append a field of the JSON request body to a file), or a
    ``call`` to another service (``call(method, url)`` sends it from the pod; see
    ``_call_route``). A route with ``methods`` answers only those (express's
    ``Cannot POST /x`` otherwise)."""
    http = app.get("http") or {}
    plain = path.split("?", 1)[0]
    route = (http.get("routes") or {}).get(plain)
    if route is not None and "methods" in route:
        methods = route["methods"]
        route = methods.get(method.upper()) or (methods.get("GET") if method.upper() == "HEAD"
                                                else None)
    if route is None:
        route = http.get("not_found") or {"status": 404, "content_type": "text/plain",
                                          "body": "404 page not found\n"}
    if route.get("crash"):
        return {"crash": True, "exit_code": route.get("exit_code", 1),
                "log": route.get("log", "")}
    if "read_file" in route or "append_field" in route:
        return _file_route(route, fs, dict(env), body)
    if "call" in route:
        return _call_route(route, call, dict(env), values)
    if "json" in route:
        return _json_answer({**route, "json": _render_json(route["json"], values)})
    text = route.get("body", "").replace("{path}", plain).replace("{method}", method.upper())
    text = render(text, 0, values) if "{" in text and "}" in text else text
    return {"status": route.get("status", 200), "content_type": route.get("content_type",
                                                                          "text/plain"),
            "body": text}


def app_path(template: str, env: dict, workdir: str = "/") -> str:
    """A path in an app's data with ``{env:NAME:default}`` filled from the process's
    environment, joined as node's ``path.join`` does."""
    def sub(m: re.Match) -> str:
        value = env.get(m.group(1))
        return m.group(2) if value is None else value
    filled = re.sub(r"\{env:(\w+):([^}]*)\}", sub, template)
    return "/" + posixpath.normpath(posixpath.join(workdir, filled)).lstrip("/")


def _json_answer(answer: dict) -> dict:
    return {"status": answer.get("status", 200),
            "content_type": answer.get("content_type", "application/json; charset=utf-8"),
            "body": json.dumps(answer.get("json", {}), separators=(",", ":"),
                               ensure_ascii=False)}


def request_fields(body) -> dict:
    """A request body as the app's JSON parser sees it: a dict is the JSON object
    itself; text that is a JSON object is parsed; other text is taken as ``{"text":
    ...}`` (kubelearn's shortcut for ``http_post(url, "a line")``)."""
    if isinstance(body, dict):
        return body
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if not body:
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:
        return {"text": body}
    return parsed if isinstance(parsed, dict) else {"text": body}


def _file_route(route: dict, fs: ContainerFS | None, env: dict, body) -> dict:
    workdir = route.get("workdir", "/")
    if fs is None:
        fs = ContainerFS(FileTree.from_files({}, ROOT_DIRS))
    if "read_file" in route:
        path = app_path(route["read_file"], env, workdir)
        try:
            contents = fs.read(path)
        except FsError:
            return _json_answer(route.get("error") or {"status": 500, "json": {}})
        return _json_answer({"status": route.get("status", 200),
                             "json": {route.get("json_key", "data"): contents}})
    field_name = route["append_field"]
    value = request_fields(body).get(field_name)
    if not isinstance(value, str) or not value.strip():
        return _json_answer(route.get("empty") or {"status": 422, "json": {}})
    path = app_path(route["to"], env, workdir)
    try:
        fs.write(path, value + "\n", append=True)
    except FsError:
        return _json_answer(route.get("error") or {"status": 500, "json": {}})
    return _json_answer({"status": route.get("status", 201), "json": route.get("json", {})})


def _render_json(data, values: dict):
    """An answer's JSON with ``{hostname}``-style fields filled in its strings."""
    if isinstance(data, str):
        return render(data, 0, values) if "{" in data else data
    if isinstance(data, dict):
        return {key: _render_json(value, values) for key, value in data.items()}
    if isinstance(data, list):
        return [_render_json(value, values) for value in data]
    return data


def _call_route(route: dict, call, env: dict, values: dict) -> dict:
    """A route that asks another service before it answers, as the course's API apps
    do (``users-api`` asks ``http://$AUTH_ADDRESS/token``). The URL is filled from
    the process's environment (``{env:AUTH_ADDRESS:undefined}``: an unset variable
    reads ``undefined``, as in JavaScript). On success the answer is the route's
    ``json`` plus the ``keep`` fields of the upstream's JSON answer; when the
    upstream cannot be reached, or answers an error, the route's ``error`` answer
    with ``{error}`` filled as Node.js words the failure (``getaddrinfo ENOTFOUND
    undefined``, ``connect ECONNREFUSED 10.96.0.7:80``)."""
    spec = route["call"]
    url = re.sub(r"\{env:(\w+):([^}]*)\}",
                 lambda m: env.get(m.group(1), m.group(2)), spec["url"])
    failure = None
    if call is None:
        failure = "kubelearn: this app cannot reach the network here"
    else:
        try:
            status, text = call(spec.get("method", "GET"), url)
        except ConnectionError as err:
            failure = node_error(err)
        else:
            if status >= 400:
                failure = f"Request failed with status code {status}"
    if failure is not None:
        error = _render_json(route.get("error") or {"status": 500, "json": {}}, values)
        error = {**error, "json": _fill_error(error.get("json", {}), failure)}
        return _json_answer(error)
    try:
        upstream = json.loads(text)
    except ValueError:
        upstream = {}
    answer = dict(_render_json(route.get("json", {}), values))
    for key in route.get("keep", ()):
        if isinstance(upstream, dict) and key in upstream:
            answer[key] = upstream[key]
    return _json_answer({"status": route.get("status", 200), "json": answer})


def _fill_error(data, failure: str):
    if isinstance(data, str):
        return data.replace("{error}", failure)
    if isinstance(data, dict):
        return {key: _fill_error(value, failure) for key, value in data.items()}
    return data


def node_error(err) -> str:
    """How Node.js (axios) words a failed connection: ``getaddrinfo ENOTFOUND host``,
    ``connect ECONNREFUSED ip:port``, ``connect ETIMEDOUT ip:port``, ``socket hang up``."""
    kind = type(err).__name__
    host, port = getattr(err, "host", ""), getattr(err, "port", 0)
    if host == "localhost":
        host = "127.0.0.1"          # Node.js reports the address it dialled
    if kind == "CouldNotResolveHost":
        return f"getaddrinfo ENOTFOUND {host}"
    if kind == "ConnectionTimedOut":
        return f"connect ETIMEDOUT {host}:{port}"
    if kind == "NoRouteToHost":
        return f"connect EHOSTUNREACH {host}:{port}"
    if kind == "EmptyReply":
        return "socket hang up"
    return f"connect ECONNREFUSED {host}:{port}"


def access_line(app: dict, t: float, values: dict) -> str | None:
    template = (app.get("logs") or {}).get("access")
    return render(template, t, values) if template else None


# -- exec ---------------------------------------------------------------------
@dataclass
class ExecResult:
    """What a command run in a container did. ``runtime_error`` is set (and nothing
    ran) when the runtime could not start it: no such executable in the image."""
    exit_code: int
    stdout: str = ""
    stderr: str = ""
    runtime_error: str = ""
    still_running: bool = False


def run_command(app: dict, argv: list[str], fs: ContainerFS, env=(), values: dict | None = None,
                stdin: str | None = None, net=None) -> ExecResult:
    """Run ``argv`` in a container (no shell in between, as the runtime execs it):
    the image's shell builtins, ``sh -c ...``, or a script file in the container.
    The image's network tools (``curl``, ``wget``, ``nslookup`` in its ``binaries``)
    reach the cluster through ``net`` (``nettools.PodNetwork``)."""
    if not argv:
        return ExecResult(126, runtime_error='exec: "": executable file not found in $PATH')
    name = argv[0].rsplit("/", 1)[-1]
    base = flavour_of(app)
    known = set(app.get("binaries") or ())
    available = known if base == "scratch" or app.get("shell") is False else BUILTINS | known
    if name not in available:
        path = argv[0] if argv[0].startswith("/") else ""
        if path and base != "scratch" and fs.kind(path) == "file":
            if not fs.read(path).startswith("#!"):
                return ExecResult(0)                 # a program kubelearn does not simulate
            argv = ["sh", path, *argv[1:]]          # a script: its #! is /bin/sh
        else:
            return ExecResult(126, runtime_error=f'exec: "{argv[0]}": executable file not '
                                                 "found in $PATH")
    process = run_once(argv, fs, env, script_values(app, values), base,
                       cwd=app.get("workdir") or "/", stdin=stdin, net=net,
                       binaries=image_binaries(app))
    stdout = "".join(c.text for c in process.out if c.stream == "stdout")
    stderr = "".join(c.text for c in process.out if c.stream == "stderr")
    if process.exit is None:
        return ExecResult(130, stdout, stderr, still_running=True)
    return ExecResult(process.exit[1], stdout, stderr)


def exec_command(app: dict, argv: list[str], files: dict[str, str] | ContainerFS,
                 values: dict, env=()) -> tuple[int, str]:
    """Run a short command inside a running container (an exec probe): exit code and
    combined output. Images without a shell (``app["shell"] is False``) only know the
    binaries they list."""
    fs = files if isinstance(files, ContainerFS) else ContainerFS(
        FileTree.from_files(files, ROOT_DIRS))
    result = run_command(app, list(argv), fs, env, values)
    if result.runtime_error:
        code = 128 if argv else 126
        text = (f"OCI runtime exec failed: exec failed: unable to start container process: "
                f"{result.runtime_error}: unknown") if argv else ""
        return code, text
    text = result.stdout + result.stderr
    return result.exit_code, text[:-1] if text.endswith("\n") else text
