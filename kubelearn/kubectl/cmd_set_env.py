"""``kubectl set env``: list, add, change or remove container environment variables.

Port of kubectl 1.32's ``pkg/cmd/set/set_env.go`` with ``set/env/env_parse.go``
(``KEY=VALUE``, ``KEY-``, ``-e -`` from standard input), ``env_resolve.go``
(``--list --resolve``) and ``set/helper.go`` (``selectContainers`` with its
wildcard matcher, ``updateEnv``). As upstream it works in two passes: first
every object's new environment is computed (``--list`` and the "no container
matches" warning print here), then each change goes to the API server as a
strategic merge patch of the pod spec, the one write path, so a Deployment
rolls out a new ReplicaSet exactly as after ``set image``. Nothing is written
when a named object is missing; a pod refuses the change (only images may
change on a running pod), as the API server's validation says.
"""
from __future__ import annotations

import base64
import math
import re

from kubelearn.api.validation import go_quote, is_env_var_name
from kubelearn.apiserver.errors import StatusError
from kubelearn.apiserver.patch import three_way_patch
from kubelearn.kubectl.cmd_create import dry_run_mode, namespace_for, print_result
from kubelearn.kubectl.command import Command, Invocation, render_problems, server_message
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.manifests import read_sources
from kubelearn.kubectl.output import OBJECT_FORMATS, parse_output
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("output", "o"),
    Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("template"),
    Flag("allow-missing-template-keys", kind="bool", default=True),
    Flag("show-managed-fields", kind="bool", default=False),
    Flag("all", kind="bool", default=False),
    Flag("selector", "l"),
    Flag("local", kind="bool", default=False),
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("kustomize", "k"),
    Flag("containers", "c", default="*"),
    Flag("env", "e", "list"),
    Flag("from"),
    Flag("prefix", default=""),
    Flag("keys", kind="list"),
    Flag("list", kind="bool", default=False),
    Flag("resolve", kind="bool", default=False),
    Flag("overwrite", kind="bool", default=True),
    Flag("field-manager", default="kubectl-set"),
)

# UpdatePodSpecForObject: where each kind keeps the pod spec it runs
POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "ReplicationController": ("spec", "template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}

_ENV_ARGUMENT = re.compile(r"^(.+)=(.*)$", re.S | re.M)
_INVALID_ENV_CHARS = re.compile(r"[^a-zA-Z0-9_]")


def run_set_env(inv: Invocation) -> None:
    """``kubectl set env (-f FILENAME | TYPE NAME | TYPE/NAME) KEY_1=VAL_1 ... KEY_N-``."""
    flags = inv.flags
    # Complete, then Validate
    if flags["all"] and flags["selector"]:
        raise KubectlError("error: cannot set --all and --selector at the same time")
    resources, env_args = split_environment_from_resources(inv.args)
    mode = dry_run_mode(inv)
    parse_output(flags["output"], OBJECT_FORMATS)
    keys = _validate(inv, resources, mode)
    # RunEnv
    env, remove, from_stdin = parse_env(flags["env"] + env_args, inv.stdin)
    if flags["from"]:
        env += _env_from(inv, keys, from_stdin)
    if flags["prefix"]:
        env = [{**e, "name": flags["prefix"] + e["name"]} for e in env]
    targets = _visit(inv, resources, from_stdin)
    changes = [_update(inv, info, obj, env, remove) for info, obj in targets]
    if not flags["list"]:              # listing never writes, and swallows the errors
        _write(inv, targets, changes, mode, bool(env or env_args))


def _validate(inv: Invocation, resources: list[str], mode: str) -> list[str]:
    """EnvOptions.Validate; returns the ``--keys`` (a comma-separated StringSlice)."""
    flags = inv.flags
    if flags["local"] and mode == "server":
        raise KubectlError("error: cannot specify --local and --dry-run=server - did you mean "
                           "--dry-run=client?")
    if not flags["filename"] and not resources:
        raise KubectlError("error: one or more resources must be specified as <resource> <name> "
                           "or <resource>/<name>")
    if flags["list"] and flags["output"]:
        raise KubectlError("error: --list and --output may not be specified together")
    keys = [k for value in flags["keys"] for k in value.split(",") if k]
    if keys and not flags["from"]:
        raise KubectlError("error: when specifying --keys, a configmap or secret must be provided "
                           "with --from")
    if flags["local"] or flags.given("kustomize"):
        which = "--local" if flags["local"] else "-k"
        raise KubectlError(f"error: kubelearn does not support set env {which} yet")
    return keys


def _write(inv: Invocation, targets: list, changes: list, mode: str, has_env: bool) -> None:
    """Patch each changed object (or only print it on a client dry run)."""
    errors: list[str] = []
    for (info, obj), (modified, patch, error) in zip(targets, changes):
        meta = obj["metadata"]
        if error:
            errors.append(f"error: {info.plural}/{meta['name']} {error}\n")
            continue
        if not patch:
            continue                         # no changes: kubectl prints nothing
        if mode == "client":
            print_result(inv, info, modified, "env updated", mode)
            continue
        try:
            actual = inv.api.patch(info, meta["name"], meta.get("namespace", ""), patch,
                                   dry_run=mode == "server")
        except StatusError as err:
            errors.append("failed to patch env update to pod template: " + server_message(err))
            continue
        if not has_env:      # only ``-e KEY-`` given: upstream checks this after patching
            inv.error("error: at least one environment variable must be provided")
            return
        print_result(inv, info, actual, "env updated", mode)
    _fail(inv, errors)


def split_environment_from_resources(args: list[str]) -> tuple[list[str], list[str]]:
    """SplitEnvironmentFromResources: resources first, then ``KEY=VALUE`` / ``KEY-``."""
    resources, env_args = [], []
    for arg in args:
        if _ENV_ARGUMENT.match(arg) or arg.endswith("-"):
            env_args.append(arg)
        elif env_args:
            raise KubectlError("error: all resources must be specified before environment "
                               "changes: " + " ".join(args))
        else:
            resources.append(arg)
    return resources, env_args


def parse_env(specs: list[str], stdin: str | None) -> tuple[list[dict], list[str], bool]:
    """ParseEnv: ``KEY=VALUE`` (the key validated), ``KEY-`` and ``-`` (read
    ``KEY=VALUE`` lines from standard input, ``#`` starting a comment)."""
    env, remove, names, used_stdin = [], [], set(), False
    for spec in specs:
        if spec == "-":
            for line in (stdin or "").splitlines():
                line = line.split("#", 1)[0]
                if "=" in line:
                    name, _, value = line.partition("=")
                    env.append({"name": name, "value": value})
            used_stdin = True
        elif "=" in spec:
            name, _, value = spec.partition("=")
            errs = is_env_var_name(name)
            if errs:
                raise KubectlError(f"error: {go_quote(name)} is not a valid key name: "
                                   + ";".join(errs))
            names.add(name)
            env.append({"name": name, "value": value})
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"error: unknown environment variable: {spec}")
    if any(name in names for name in remove):
        raise KubectlError("error: can not both modify and remove the same environment variable "
                           "in the same command")
    return env, remove, used_stdin


def _env_from(inv: Invocation, keys: list[str], from_stdin: bool) -> list[dict]:
    """``--from=configmap/NAME`` or ``secret/NAME``: one variable per data key (the
    name upper-cased, other characters as ``_``) referring to that key. Go walks
    the data map in random order; kubelearn takes the keys sorted."""
    env = []
    for info, obj in _visit(inv, [inv.flags["from"]], from_stdin):
        if info.kind not in ("ConfigMap", "Secret"):
            raise KubectlError("error: unsupported resource specified in --from")
        ref = "configMapKeyRef" if info.kind == "ConfigMap" else "secretKeyRef"
        for key in sorted(obj.get("data") or {}):
            if not keys or key in keys:
                env.append({"name": _INVALID_ENV_CHARS.sub("_", key).upper(),
                            "valueFrom": {ref: {"key": key, "name": obj["metadata"]["name"]}}})
    return env


def _visit(inv: Invocation, resources: list[str], from_stdin: bool) -> list[tuple]:
    """The resource builder (FilenameParam, LabelSelectorParam, ResourceTypeOrNameArgs,
    Latest, ContinueOnError): every object, fetched from the server, or all its
    errors at once."""
    selector = inv.flags["selector"] or ("" if inv.flags["all"] else None)
    requests = parse_resource_args(resources)
    files = [path for value in inv.flags["filename"] for path in value.split(",")]
    if files:
        if from_stdin and "-" in files:
            raise KubectlError("error: standard input cannot be used for multiple arguments")
        if requests:
            raise KubectlError("error: when paths, URLs, or stdin is provided as input, you may "
                               "not specify resource arguments as well")
        found, problems = _from_files(inv, files)
    elif selector is not None:
        if any(r.names for r in requests):
            raise KubectlError("error: selectors and the all flag cannot be used when passing "
                               "resource/name arguments" if "/" in resources[0] else
                               "error: name cannot be provided when a selector is specified")
        if not requests:
            raise KubectlError("error: at least one resource must be specified to use a selector")
        found, problems = [], []
        for request in requests:
            ns = inv.namespace if request.info.namespaced else None
            found += [(request.info, o) for o in select(inv.api, request.info, ns, selector)]
    else:
        found, problems = [], []
        for request in requests:
            if not request.names:
                raise KubectlError("error: resource(s) were provided, but no name was specified")
            ns = inv.namespace if request.info.namespaced else ""
            for name in request.names:
                try:
                    found.append((request.info, inv.api.get(request.info, name, ns)))
                except StatusError as err:
                    problems.append(err)
    if problems:
        raise KubectlError(render_problems(problems))
    return found


def _from_files(inv: Invocation, files: list[str]) -> tuple[list, list]:
    """The objects ``-f`` names (split on commas, a StringSlice), as the server has them."""
    found, problems = [], []
    for doc in read_sources(files, inv.stdin, inv.flags["recursive"], inv.cwd).entries:
        try:
            if isinstance(doc, str):
                raise KubectlError(doc)
            name = (doc.obj.get("metadata") or {}).get("name", "")
            ns = namespace_for(inv, doc.info, doc.obj) or ""
            found.append((doc.info, inv.api.get(doc.info, name, ns)))
        except KubectlError as err:
            problems.append(err.message.removeprefix("error: "))
        except StatusError as err:
            problems.append(err)
    return found, problems


def _update(inv: Invocation, info, obj: dict, env: list[dict], remove: list[str]):
    """One object's pass through the mutation function: (modified object, patch,
    error message). Prints ``--list`` and the no-matching-container warning."""
    path = POD_SPEC_PATHS.get(info.kind)
    if path is None:
        return None, None, ("the object is not a pod or does not have a pod template: "
                            f"*{info.version}.{info.kind}")
    spec = obj
    for key in path:
        spec = spec.get(key) or {}
    new_spec = dict(spec)
    selected = []
    for field in ("containers", "initContainers"):
        if spec.get(field):
            new_spec[field] = [dict(c) for c in spec[field]]
            selected.append([c for c in new_spec[field]
                             if select_string(c.get("name", ""), inv.flags["containers"])])
    containers = [c for group in selected for c in group]
    name = obj["metadata"]["name"]
    if not containers:
        inv.warn(f"Warning: {info.kind}/{name} does not have any containers matching "
                 f"{go_quote(inv.flags['containers'])}")
    resolve_errors: dict[str, list[str]] = {}
    for container in containers:
        current = container.get("env") or []
        if not inv.flags["overwrite"]:
            for var in env:
                old = next((e for e in current if e.get("name") == var["name"]), None)
                if old is not None and old.get("value", "") != var.get("value", ""):
                    return None, None, (f"'{old['name']}' already has a value "
                                        f"({old.get('value', '')}), and --overwrite is false")
        updated = update_env(current, env, remove)
        if updated:
            container["env"] = updated
        else:
            container.pop("env", None)       # Go omits an empty list
        if inv.flags["list"]:
            _list(inv, info, obj, container, updated, resolve_errors)
    if resolve_errors:
        return None, None, "failed to retrieve valueFrom references"
    modified = _with_spec(obj, path, new_spec)
    return modified, _wrap(path, three_way_patch(spec, new_spec, spec)), None


def select_string(name: str, spec: str) -> bool:
    """selectString: ``*`` is a non-greedy wildcard (ported with upstream's quirks:
    a later part is searched from an offset it then compares as an index)."""
    if spec == "*":
        return True
    if "*" not in spec:
        return name == spec
    pos, parts = 0, spec.split("*")
    for i, part in enumerate(parts):
        if not part:
            continue
        found = name[pos:].find(part)
        if found < pos or (i == len(parts) - 1 and len(name) != len(part) + found):
            return False
        pos = found
    return True


def update_env(existing: list[dict], env: list[dict], remove: list[str]) -> list[dict]:
    """updateEnv: removed keys go, existing keys change in place, new keys come last."""
    out, covered = [], set(remove)
    for var in existing:
        if var.get("name") in covered:
            continue
        newer = next((e for e in env if e["name"] == var.get("name")), None)
        if newer is not None:
            covered.add(var["name"])
        out.append(newer if newer is not None else var)
    for var in env:
        if var["name"] not in covered:
            covered.add(var["name"])
            out.append(var)
    return out


def _list(inv: Invocation, info, obj: dict, container: dict, env: list[dict],
          resolve_errors: dict[str, list[str]]) -> None:
    """``--list``: ``KEY=VALUE``, or ``# KEY from <source>`` for a reference
    (``--resolve`` looks the value up). Resolution errors go to stderr, sorted."""
    inv.print(f"# {info.kind} {obj['metadata']['name']}, container {container.get('name')}")
    errors: dict[str, list[str]] = {}
    store: dict = {}
    for var in env:
        source = var.get("valueFrom")
        if source is None:
            inv.print(f"{var['name']}={var.get('value', '')}")
            continue
        if inv.flags["resolve"]:
            try:
                inv.print(f"{var['name']}={_ref_value(inv, store, source, obj, container)}")
                continue
            except (StatusError, _ResolveError) as err:
                text = err.message if isinstance(err, StatusError) else str(err)
                errors.setdefault(text, []).append(var["name"])
        inv.print(f"# {var['name']} from {ref_string(source)}")
    for text in sorted(f"error retrieving reference for {', '.join(sorted(names))}: {err}"
                       for err, names in errors.items()):
        inv.warn(text)
    for err, names in errors.items():
        resolve_errors.setdefault(err, []).extend(names)


def ref_string(source: dict) -> str:
    """GetEnvVarRefString."""
    if source.get("configMapKeyRef") is not None:
        ref = source["configMapKeyRef"]
        return f"configmap {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("secretKeyRef") is not None:
        ref = source["secretKeyRef"]
        return f"secret {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("fieldRef") is not None:
        return f"field path {source['fieldRef'].get('fieldPath', '')}"
    if source.get("resourceFieldRef") is not None:
        ref = source["resourceFieldRef"]
        prefix = f"{ref['containerName']}/" if ref.get("containerName") else ""
        return f"resource field {prefix}{ref.get('resource', '')}"
    return "invalid valueFrom"


class _ResolveError(Exception):
    pass


def _ref_value(inv: Invocation, store: dict, source: dict, obj: dict, container: dict) -> str:
    """GetEnvVarRefValue, looking config maps and secrets up in the command's namespace."""
    for field, kind, what in (("secretKeyRef", "Secret", "secret"),
                              ("configMapKeyRef", "ConfigMap", "config map")):
        ref = source.get(field)
        if ref is not None:
            key = (kind, ref.get("name", ""))
            if key not in store:
                store[key] = inv.api.get(kind, ref.get("name", ""), inv.namespace)
            data = store[key].get("data") or {}
            if ref.get("key") not in data:
                raise _ResolveError(f"key {ref.get('key', '')} not found in {what} "
                                    f"{ref.get('name', '')}")
            value = data[ref["key"]]
            return base64.b64decode(value).decode("utf-8", "replace") if kind == "Secret" \
                else value
    if source.get("fieldRef") is not None:
        return _field_value(obj["metadata"], source["fieldRef"].get("fieldPath", ""))
    if source.get("resourceFieldRef") is not None:
        return _resource_value(source["resourceFieldRef"], container)
    raise _ResolveError("invalid valueFrom")


def _field_value(meta: dict, path: str) -> str:
    """extractFieldPathAsString on the object itself (not on a pod)."""
    match = re.fullmatch(r"(.+?)\['(.*)'\]", path, re.S)
    if match:
        if match.group(1) not in ("metadata.annotations", "metadata.labels"):
            raise _ResolveError(f"fieldPath {go_quote(path)} does not support subscript")
        field = match.group(1).split(".")[1]
        return (meta.get(field) or {}).get(match.group(2), "")
    if path in ("metadata.annotations", "metadata.labels"):
        values = meta.get(path.split(".")[1]) or {}
        return "\n".join(f"{k}={go_quote(values[k])}" for k in sorted(values))
    if path in ("metadata.name", "metadata.namespace", "metadata.uid"):
        return meta.get(path.split(".")[1], "")
    raise _ResolveError(f"unsupported fieldPath: {path}")


def _resource_value(ref: dict, container: dict) -> str:
    """extractContainerResourceValue: the container's request or limit over the
    divisor, rounded up."""
    from kubelearn.api.quantity import to_int, to_milli

    divisor = ref.get("divisor") or "1"
    if to_milli(divisor) == 0:
        divisor = "1"
    section, _, name = ref.get("resource", "").partition(".")
    amounts = ((container.get("resources") or {}).get(section) or {}) \
        if section in ("limits", "requests") else None
    if amounts is None or not (name in ("cpu", "memory", "ephemeral-storage")
                               or name.startswith("hugepages-")):
        raise _ResolveError(f"Unsupported container resource : {ref.get('resource', '')}")
    amount = amounts.get(name, "0")
    if name == "cpu":
        return str(math.ceil(to_milli(amount) / to_milli(divisor)))
    return str(math.ceil(to_int(amount) / to_int(divisor)))


def _with_spec(obj: dict, path: tuple[str, ...], spec: dict) -> dict:
    """A copy of ``obj`` with the pod spec at ``path`` replaced (only that path copied)."""
    if not path:
        return spec
    head, *rest = path
    return {**obj, head: _with_spec(obj.get(head) or {}, tuple(rest), spec)}


def _wrap(path: tuple[str, ...], patch: dict) -> dict:
    if not patch:
        return {}
    for key in reversed(path):
        patch = {key: patch}
    return patch


def _fail(inv: Invocation, errors: list[str]) -> None:
    """checkErr on the aggregate: one error alone (``error: `` added when missing),
    several as one line each (an error's own trailing newline leaves a blank line)."""
    if not errors:
        return
    if len(errors) == 1:
        text = errors[0] if errors[0].startswith("error: ") else "error: " + errors[0]
    else:
        text = "".join(e + "\n" for e in errors)
    inv.error(text.removesuffix("\n"))


SET_ENV = Command("set env", FLAGS, run_set_env)
