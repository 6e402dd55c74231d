"""``kubectl create``: from files (``-f``) or from generators (namespace,
configmap, secret generic)."""
from __future__ import annotations

import base64
import os

from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.apply_config import LAST_APPLIED, with_last_applied
from kubelearn.kubectl.command import Invocation, Sourced, server_message
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.manifests import read_sources
from kubelearn.kubectl.output import OBJECT_FORMATS, parse_output, render_data
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("output", "o"),
    Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("save-config", kind="bool", default=False),
    Flag("from-literal", kind="list"),
    Flag("from-file", kind="list"),
    Flag("from-env-file", kind="list"),
    Flag("type"),
    Flag("validate", default="strict", no_opt="strict"),
)


# ``kubectl create`` generators kubelearn has not built yet.
NOT_YET = ("clusterrole", "clusterrolebinding", "cronjob", "cj", "ingress", "ing", "job",
           "poddisruptionbudget", "pdb", "priorityclass", "pc", "quota", "resourcequota", "role",
           "rolebinding", "service", "svc", "serviceaccount", "sa", "token")


def subcommands() -> dict:
    """Generators that are cobra subcommands with flags of their own
    (``create deployment --image``); ``kubectl`` dispatches to them directly."""
    from kubelearn.kubectl.cmd_workloads import CREATE_DEPLOYMENT

    return {"deployment": CREATE_DEPLOYMENT, "deploy": CREATE_DEPLOYMENT}


def not_yet_message(generator: str) -> str:
    return (f'error: kubelearn does not support "kubectl create {generator}" yet; write a '
            "manifest and use \"kubectl apply -f\"")


def run(inv: Invocation) -> None:
    args = inv.args
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    generator = {"namespace": _namespace, "ns": _namespace, "configmap": _configmap,
                 "cm": _configmap, "secret": _secret}.get(args[0]) if args else None
    if generator is not None:
        return generator(inv, args[1:])
    if args and args[0] in NOT_YET:
        raise KubectlError(not_yet_message(args[0]))
    if not args and not inv.flags["filename"]:
        raise KubectlError("error: must specify one of -f and -k")
    if args:
        raise KubectlError(f"error: Unexpected args: [{' '.join(args)}]\n"
                           "See 'kubectl create -h' for help and examples")
    _create_from_files(inv)


def dry_run_mode(inv: Invocation) -> str:
    """Upstream ``GetDryRunStrategy``: client, server or none. A bare ``--dry-run``
    (``unchanged``) and the old booleans still work (kubectl also logs a
    deprecation warning, with a timestamp, which kubelearn leaves out)."""
    from kubelearn.kubectl.flags import _GO_BOOLS

    value = inv.flags["dry-run"]
    if value is None or value == "none":
        return "none"
    if value in _GO_BOOLS:
        return "client" if _GO_BOOLS[value] else "none"
    if value == "unchanged":
        return "client"
    if value not in ("client", "server"):
        raise KubectlError(f'error: Invalid dry-run value ({value}). Must be "none", "server", '
                           'or "client".')
    return value


def suffix(mode: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")


def _create_from_files(inv: Invocation) -> None:
    mode = dry_run_mode(inv)
    read = read_sources(inv.flags["filename"], inv.stdin, inv.flags["recursive"], inv.cwd)
    if not read.entries:
        raise KubectlError("error: no objects passed to create")
    problems: list = []
    for doc in read.entries:          # errors are reported in document order
        if isinstance(doc, str):
            problems.append(doc)
            continue
        try:
            ns = namespace_for(inv, doc.info, doc.obj)
            obj = with_namespace(doc.obj, ns)
            if inv.flags["save-config"]:
                obj = with_last_applied(obj)
            created = obj if mode == "client" else inv.api.create(obj, ns, dry_run=mode == "server")
        except StatusError as err:
            problems.append(Sourced(err, "creating", doc.source))
            continue
        except KubectlError as err:
            problems.append(err.message.removeprefix("error: "))
            continue
        print_result(inv, doc.info, created, "created", mode)
    inv.fail(problems)


def with_namespace(obj: dict, namespace: str | None) -> dict:
    """The manifest with its namespace filled in, as kubectl's builder sets it."""
    if not namespace:
        return obj
    return {**obj, "metadata": {**(obj.get("metadata") or {}), "namespace": namespace}}


def namespace_for(inv: Invocation, info, obj: dict) -> str | None:
    """The namespace a manifest goes to: its own, or -n / the context's. A
    manifest naming another namespace than an explicit -n is refused."""
    if not info.namespaced:
        return None
    declared = (obj.get("metadata") or {}).get("namespace")
    if declared and inv.namespace_given and declared != inv.namespace:
        raise KubectlError(f'error: the namespace from the provided object "{declared}" does not '
                           f'match the namespace "{inv.namespace}". You must pass '
                           f"'--namespace={declared}' to perform this operation.")
    return declared or inv.namespace


def print_result(inv: Invocation, info, obj: dict, operation: str, mode: str = "none",
                 typed: bool = False) -> None:
    """What create/apply print for one object: ``kind/name created`` or ``-o``."""
    fmt = (parse_output(inv.flags["output"], OBJECT_FORMATS) if "output" in inv.flags.values
           else None)
    if fmt is None or fmt.is_table:
        inv.print(f"{info.display}/{obj['metadata']['name']} {operation}{suffix(mode)}")
    elif fmt.kind == "name":
        inv.print(f"{info.display}/{obj['metadata']['name']}")
    else:
        inv.write(render_data(fmt, obj, typed=typed))


def _one_name(inv: Invocation, args: list[str], command: str) -> str:
    if len(args) != 1:
        raise KubectlError(f"error: exactly one NAME is required, got {len(args)}\n"
                           f"See 'kubectl create {command} -h' for help and examples")
    return args[0]


def _typed_metadata(inv: Invocation, name: str, namespaced: bool) -> dict:
    """ObjectMeta as the generators fill it, in Go field order: the namespace only
    when -n was given, and a zero creationTimestamp (printed as null)."""
    meta = {"name": name}
    if namespaced and inv.namespace_given:
        meta["namespace"] = inv.namespace
    meta["creationTimestamp"] = None
    return meta


def _submit(inv: Invocation, info_kind: str, obj: dict, wrap: str | None) -> None:
    """Send a generated object (a typed object, in Go field order) to the server."""
    from kubelearn.api.kinds import kind_info
    from kubelearn.kubectl.printers.jsonout import marshal

    info = kind_info(info_kind)
    mode = dry_run_mode(inv)
    if inv.flags["save-config"]:
        # create --save-config records the typed object, not a sorted map
        annotation = marshal(obj, sort_keys=False) + "\n"
        obj = {**obj, "metadata": {**obj["metadata"],
                                   "annotations": {LAST_APPLIED: annotation}}}
    if mode == "client":
        print_result(inv, info, obj, "created", mode, typed=True)
        return
    try:
        created = inv.api.create(obj, inv.namespace if info.namespaced else None,
                                 dry_run=mode == "server")
    except StatusError as err:
        if wrap:
            raise KubectlError(f"error: failed to create {wrap}: {server_message(err)}") from None
        raise
    print_result(inv, info, created, "created", mode)


def _namespace(inv: Invocation, args: list[str]) -> None:
    name = _one_name(inv, args, "namespace")
    _submit(inv, "Namespace", {"kind": "Namespace", "apiVersion": "v1",
                               "metadata": _typed_metadata(inv, name, False),
                               "spec": {}, "status": {}}, None)


def _configmap(inv: Invocation, args: list[str]) -> None:
    name = _one_name(inv, args, "configmap")
    data, binary = collect_data(inv, "ConfigMap", name)
    obj = {"kind": "ConfigMap", "apiVersion": "v1",
           "metadata": _typed_metadata(inv, name, True)}
    if data:
        obj["data"] = {k: v.decode() for k, v in data.items()}
    if binary:
        obj["binaryData"] = {k: base64.b64encode(v).decode() for k, v in binary.items()}
    _submit(inv, "ConfigMap", obj, "configmap")


def _secret(inv: Invocation, args: list[str]) -> None:
    if not args or args[0] != "generic":
        kind = " ".join(args)
        if args and args[0] in ("tls", "docker-registry"):
            raise KubectlError(f"error: kubelearn does not support 'create secret {args[0]}' yet; "
                               "use 'create secret generic'")
        if args:
            raise KubectlError(f'error: unknown command "{kind}"\n'
                               "See 'kubectl create secret -h' for help and examples")
        raise KubectlError("error: kubelearn supports 'kubectl create secret generic NAME "
                           "[--from-literal=key=value]'")
    name = _one_name(inv, args[1:], "secret generic")
    data, _ = collect_data(inv, "Secret", name)
    obj = {"kind": "Secret", "apiVersion": "v1", "metadata": _typed_metadata(inv, name, True)}
    if data:
        obj["data"] = {k: base64.b64encode(v).decode() for k, v in data.items()}
    if inv.flags["type"]:
        obj["type"] = inv.flags["type"]
    _submit(inv, "Secret", obj, "secret")


def collect_data(inv: Invocation, kind: str, name: str) -> tuple[dict, dict]:
    """Keys and values from --from-file, --from-literal and --from-env-file (in
    that order, as upstream): ``(data, binaryData)`` of bytes, keys sorted."""
    data: dict[str, bytes] = {}
    binary: dict[str, bytes] = {}
    if inv.flags["from-env-file"] and (inv.flags["from-file"] or inv.flags["from-literal"]):
        raise KubectlError("error: from-env-file cannot be combined with from-file or "
                           "from-literal")
    if kind == "Secret":              # secrets take literals first, configmaps files first
        _add_literals(inv, data, binary, kind, name)
    for spec in inv.flags["from-file"]:
        key, path = _parse_file_source(spec)
        full = os.path.join(inv.cwd, path)
        if os.path.isdir(full):
            if "=" in spec:
                raise KubectlError("error: cannot give a key name for a directory path")
            for entry in sorted(os.listdir(full)):
                if os.path.isfile(os.path.join(full, entry)):
                    _put_file(data, binary, entry, _read(inv, os.path.join(path, entry)), kind,
                              name)
            continue
        _put_file(data, binary, key, _read(inv, path), kind, name)
    if kind == "ConfigMap":
        _add_literals(inv, data, binary, kind, name)
    for path in inv.flags["from-env-file"]:
        if os.path.isdir(os.path.join(inv.cwd, path)):
            raise KubectlError("error: env {} file cannot be a directory".format(
                "config" if kind == "ConfigMap" else "secret"))
        for key, value in _env_file_lines(path, _read(inv, path)):
            _put(data, binary, key, value.encode(), kind, name)
    return dict(sorted(data.items())), dict(sorted(binary.items()))


def _env_file_lines(path: str, content: bytes) -> list[tuple[str, str]]:
    """addFromEnvFile / processEnvFileLine: ``KEY=value`` lines (a UTF-8 BOM dropped
    from the first, leading blanks trimmed, ``#`` comments and empty lines skipped);
    keys must be strict environment variable names; a line without ``=`` takes the
    variable from kubectl's own environment, which is empty here."""
    from kubelearn.api.validation import go_quote, is_env_var_name

    pairs = []
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines):
        raw = raw.removesuffix(b"\r")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise KubectlError(f"error: env file {path} contains invalid utf8 bytes at line "
                               f"{number + 1}: [{' '.join(str(b) for b in raw)}]") from None
        if number == 0:
            line = line.removeprefix("\ufeff")
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key, eq, value = line.partition("=")
        errs = is_env_var_name(key)
        if errs:
            raise KubectlError(f"error: {go_quote(key)} is not a valid key name: "
                               + ";".join(errs))
        pairs.append((key, value if eq else ""))
    return pairs


def _add_literals(inv: Invocation, data: dict, binary: dict, kind: str, name: str) -> None:
    for literal in inv.flags["from-literal"]:
        key, eq, value = literal.partition("=")
        if not eq or not key:
            raise KubectlError(f"error: invalid literal source {literal}, expected key=value")
        _put(data, binary, key, value.encode(), kind, name)


def _parse_file_source(spec: str) -> tuple[str, str]:
    """``[key=]path`` with upstream's errors (``ParseFileSource``)."""
    count = spec.count("=")
    if count == 0:
        return os.path.basename(spec.rstrip("/")) or spec, spec
    if count > 1:
        raise KubectlError("error: key names or file paths cannot contain '='")
    key, _, path = spec.partition("=")
    if not key:
        raise KubectlError(f"error: key name for file path {path} missing")
    if not path:
        raise KubectlError(f"error: file path for key name {key} missing")
    return key, path


def _put_file(data: dict, binary: dict, key: str, content: bytes, kind: str, name: str) -> None:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        if kind == "ConfigMap":
            _check_key(data, binary, key, kind, name)
            binary[key] = content
            return
    _put(data, binary, key, content, kind, name)


def _put(data: dict, binary: dict, key: str, value: bytes, kind: str, name: str) -> None:
    _check_key(data, binary, key, kind, name)
    data[key] = value


def _check_key(data: dict, binary: dict, key: str, kind: str, name: str) -> None:
    """Upstream's key checks, with the ConfigMap and Secret wordings (they differ)."""
    from kubelearn.api.validation import go_quote, is_config_map_key

    errs = is_config_map_key(key)
    if kind == "ConfigMap":
        if errs:
            raise KubectlError(f"error: {go_quote(key)} is not a valid key name for a ConfigMap: "
                               + ",".join(errs))
        for field, existing in (("Data", data), ("BinaryData", binary)):
            if key in existing:
                raise KubectlError(f"error: cannot add key {go_quote(key)}, another key by that "
                                   f"name already exists in {field} for ConfigMap "
                                   f"{go_quote(name)}")
        return
    if errs:
        raise KubectlError(f"error: {go_quote(key)} is not valid key name for a Secret "
                           + ";".join(errs))
    if key in data:
        raise KubectlError(f"error: cannot add key {key}, another key by that name already "
                           "exists")


def _read(inv: Invocation, path: str) -> bytes:
    full = os.path.join(inv.cwd, path)
    if not os.path.exists(full):
        raise KubectlError(f"error: error reading {path}: no such file or directory")
    with open(full, "rb") as handle:
        return handle.read()
