"""Reading manifests for ``-f``: files, folders, standard input, multi-document YAML.

kubectl reads each source as a stream of documents and maps each to a kind.
A broken document stops the rest of its stream but not what came before it,
and a document of an unknown kind is reported while the others go on —
the same "partial success" a learner sees on a real cluster.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

import yaml

from kubelearn.api.kinds import KindInfo, lookup_kind
from kubelearn.kubectl.result import KubectlError

EXTENSIONS = (".json", ".yaml", ".yml")


@dataclass
class Document:
    """One object from a manifest, with where it came from."""
    source: str
    obj: dict
    info: KindInfo


@dataclass
class ReadResult:
    """Every document and every reading error, in the order kubectl meets them."""
    entries: list = field(default_factory=list)     # Document or str (an error message)

    @property
    def documents(self) -> list[Document]:
        return [e for e in self.entries if isinstance(e, Document)]

    @property
    def errors(self) -> list[str]:
        """Messages kubectl prints (after ``error: `` when there is only one)."""
        return [e for e in self.entries if isinstance(e, str)]


def read_sources(paths: list[str], stdin: str | None, recursive: bool = False,
                 cwd: str | None = None) -> ReadResult:
    """Decode every ``-f`` source in order."""
    result = ReadResult()
    for path in paths:
        for source, text in _expand(path, stdin, recursive, cwd):
            _decode_stream(source, text, result)
    return result


def _expand(path: str, stdin: str | None, recursive: bool, cwd: str | None):
    if path == "-":
        yield "STDIN", stdin or ""
        return
    if path.startswith(("http://", "https://")):
        raise KubectlError(f'error: unable to read URL "{path}": kubelearn has no network access; '
                           "save the manifest to a file and use -f FILE")
    full = os.path.join(cwd or os.getcwd(), path)
    if not os.path.exists(full):
        raise KubectlError(f'error: the path "{path}" does not exist')
    if os.path.isdir(full):
        for entry in sorted(os.listdir(full)):
            sub = os.path.join(path, entry)
            if os.path.isdir(os.path.join(full, entry)):
                if recursive:
                    yield from _expand(sub, stdin, recursive, cwd)
            elif entry.endswith(EXTENSIONS):
                yield from _expand(sub, stdin, recursive, cwd)
        return
    with open(full, encoding="utf-8") as handle:
        yield path, handle.read()


def split_documents(text: str) -> list[str]:
    """Split on ``---`` separator lines, as kubectl's YAML reader does."""
    docs, current = [], []
    for line in text.splitlines(keepends=True):
        if line.rstrip() == "---" or line.startswith("--- "):
            docs.append("".join(current))
            current = []
        else:
            current.append(line)
    docs.append("".join(current))
    return docs


def _decode_stream(source: str, text: str, result: ReadResult) -> None:
    # Each document is converted on its own, so go-yaml's line numbers count
    # from the start of the broken document, not of the file.
    for chunk in split_documents(text):
        try:
            obj = _load(chunk)
        except yaml.YAMLError as err:
            result.entries.append(f"error parsing {source}: error converting YAML to JSON: "
                                  f"{go_yaml_message(err)}")
            return
        if obj is None:
            continue
        # Schema validation (--validate=strict, the default) stops this stream.
        problem = _validation_problem(obj)
        if problem:
            result.entries.append(f'error validating "{source}": error validating data: '
                                  f"{problem}; if you choose to ignore these errors, turn "
                                  "validation off with --validate=false")
            return
        if obj.get("kind") == "List" and isinstance(obj.get("items"), list):
            for item in obj["items"]:
                _map_document(source, item, result)
        else:
            _map_document(source, obj, result)


def _load(chunk: str):
    stripped = chunk.strip()
    if stripped.startswith("{"):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            pass
    return yaml.load(chunk, Loader=_StringTimestampLoader)


def _validation_problem(obj) -> str:
    """What kubectl's schema validation says before it looks at the fields:
    ``apiVersion not set``, ``[apiVersion not set, kind not set]`` (a Go
    aggregate), or ``invalid object to validate`` for a document that is no map."""
    if not isinstance(obj, dict):
        return "invalid object to validate"
    missing = [f"{f} not set" for f in ("apiVersion", "kind") if not obj.get(f)]
    if len(missing) > 1:
        return "[" + ", ".join(missing) + "]"
    return missing[0] if missing else ""


def _map_document(source: str, obj: dict, result: ReadResult) -> None:
    if not isinstance(obj, dict) or _validation_problem(obj):
        result.entries.append(f'error validating "{source}": error validating data: '
                              f"{_validation_problem(obj)}; if you choose to ignore these "
                              "errors, turn validation off with --validate=false")
        return
    info = lookup_kind(str(obj["apiVersion"]), str(obj["kind"]))
    if info is None:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        result.entries.append(
            f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
            f'"{meta.get("namespace", "")}" from "{source}": no matches for kind '
            f'"{obj["kind"]}" in version "{obj["apiVersion"]}"\nensure CRDs are installed first')
        return
    result.entries.append(Document(source, obj, info))


# PyYAML's wording -> go-yaml's (what kubectl prints), first match wins.
_GO_YAML_WORDS = (
    (r"mapping values are not allowed here", "mapping values are not allowed in this context"),
    (r"found character .* that cannot start any token",
     "found character that cannot start any token"),
    (r"expected the node content", "did not find expected node content"),
    (r"expected ',' or '\}'", "did not find expected ',' or '}'"),
    (r"expected ',' or '\]'", "did not find expected ',' or ']'"),
    (r"found undefined alias", "unknown anchor referenced"),
)


def go_yaml_message(err: yaml.YAMLError) -> str:
    """Say a PyYAML error the way go-yaml (and so kubectl) says it.

    go-yaml numbers lines from 0 internally and adds one only for scanner
    errors; an error on the very first line carries no line at all.
    """
    problem = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None) or ""
    for pattern, go in _GO_YAML_WORDS:
        if re.match(pattern, problem):
            problem = go
            break
    else:
        if problem.startswith("expected <block end>"):
            problem = ("did not find expected '-' indicator" if "block collection" in context
                       else "did not find expected key")
        elif "tab" in problem:
            problem = "found a tab character that violates indentation"
    mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    line = mark.line if mark is not None else 0
    if line and isinstance(err, yaml.scanner.ScannerError):
        line += 1
    elif not line and context_mark is not None:
        line = context_mark.line
    return f"yaml: line {line}: {problem}" if line else f"yaml: {problem}"


class _StringTimestampLoader(yaml.SafeLoader):
    """Like sigs.k8s.io/yaml: timestamps stay strings (no datetime objects)."""


for _first, _resolvers in list(_StringTimestampLoader.yaml_implicit_resolvers.items()):
    _StringTimestampLoader.yaml_implicit_resolvers[_first] = [
        (tag, regexp) for tag, regexp in _resolvers if tag != "tag:yaml.org,2002:timestamp"]
