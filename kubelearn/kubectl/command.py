"""The pieces every kubectl verb shares: the invocation and error printing."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from kubelearn.api.validation import go_quote
from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.flags import Flag, Parsed


@dataclass
class Invocation:
    """One kubectl run: the cluster, the parsed flags, and what was printed."""
    cluster: object
    command: str
    flags: Parsed
    namespace: str
    namespace_given: bool
    stdin: str | None
    cwd: str = field(default_factory=os.getcwd)
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    exit_code: int = 0
    # (stream, text) in the order written, so a terminal (or the %kubectl magic) can show
    # a warning before the line that follows it, as kubectl's two streams interleave
    chunks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def api(self):
        return self.cluster.api

    @property
    def args(self) -> list[str]:
        return self.flags.args

    def print(self, text: str = "") -> None:
        self.write(text + "\n")

    def write(self, text: str) -> None:
        self.out.append(text)
        self.chunks.append(("stdout", text))

    def error(self, text: str) -> None:
        """Print on stderr and remember that the command failed."""
        self.warn(text)
        self.exit_code = 1

    def warn(self, text: str) -> None:
        """Print on stderr without failing (``Warning: ...``)."""
        self.err.append(text + "\n")
        self.chunks.append(("stderr", text + "\n"))

    def fail(self, problems: list) -> None:
        """Print collected problems the way kubectl's checkErr does: one problem
        on its own, several as an aggregate (one line each)."""
        if problems:
            self.error(render_problems(problems).rstrip("\n"))


@dataclass(frozen=True)
class Sourced:
    """An API error that happened while handling one ``-f`` document."""
    error: StatusError
    action: str          # "creating", "applying patch", "deleting", ...
    source: str


def render_problems(problems: list) -> str:
    """``problems`` holds StatusError, Sourced, or plain messages (str, without
    the ``error: `` prefix)."""
    if len(problems) == 1:
        return _single(problems[0])
    return "\n".join(_in_aggregate(p) for p in problems)


def _single(problem) -> str:
    err, prefix = _unwrap(problem)
    if err is None:
        return problem if problem.startswith(("error: ", "Error: ")) else f"error: {problem}"
    if err.reason == "Invalid":
        return kubectl_invalid_message(err)
    return _standard(err, prefix)


def _in_aggregate(problem) -> str:
    err, prefix = _unwrap(problem)
    if err is None:
        return problem
    return _standard(err, prefix)


def _unwrap(problem):
    if isinstance(problem, Sourced):
        return problem.error, f'error when {problem.action} "{problem.source}": '
    if isinstance(problem, StatusError):
        return problem, ""
    return None, ""


def _standard(err: StatusError, prefix: str) -> str:
    message = prefix + server_message(err)
    return f"Error from server ({err.reason}): {message}" if err.reason else \
        f"Error from server: {message}"


def server_message(err: StatusError) -> str:
    """The message the API server puts in a Status (for 422: ``Deployment.apps
    "web" is invalid: [a, b]``)."""
    if err.reason != "Invalid" or not err.causes:
        return err.message
    from kubelearn.api.kinds import kind_info

    try:
        info = kind_info(err.kind)
        qualified = f"{info.kind}.{info.group}" if info.group else info.kind
    except KeyError:
        qualified = err.kind
    causes = list(dict.fromkeys(cause_text(c) for c in err.causes))
    body = causes[0] if len(causes) == 1 else "[" + ", ".join(causes) + "]"
    return f'{qualified} {go_quote(err.name)} is invalid: {body}'


def cause_text(cause) -> str:
    """One ``details.causes`` entry as kubectl prints it: ``<field>: <message>``."""
    if isinstance(cause, dict):
        return f"{cause.get('field', '')}: {cause.get('message', '')}"
    return str(cause)


def kubectl_invalid_message(err: StatusError) -> str:
    """What kubectl prints for a 422: ``The Deployment "web" is invalid: ...``, with
    one ``* field: message`` line per cause when there are several."""
    head = f'The {err.kind} {go_quote(err.name)} is invalid'
    causes = list(dict.fromkeys(cause_text(c) for c in err.causes))
    if not causes:
        return head if err.kind or err.name else "The request is invalid"
    if len(causes) == 1:
        return f"{head}: {causes[0]}"
    return f"{head}: \n" + "\n".join(f"* {c}" for c in causes)


@dataclass(frozen=True)
class Command:
    """A verb: its flags and the function that runs it."""
    name: str
    flags: tuple[Flag, ...]
    run: object
    needs_cluster: bool = True
