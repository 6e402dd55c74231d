"""``aws`` on the command line, over the account's boto3 clients (no awscli package).

``run(aws, "eks describe-cluster --name X")`` parses a command line the way AWS
CLI v2 does for the six simulated services and calls the same hooked boto3
client a notebook uses, so checks, lifecycles and errors are the same. Any
operation of iam, sts, cloudformation, ec2, eks and efs works, with parameters
named as the CLI names them (``--role-name`` for ``RoleName``): scalars, lists
(space-separated values or JSON), structures and lists of structures (shorthand
``key=value,key2=a,b`` or JSON), ``file://`` for any string value, ``--flag`` /
``--no-flag`` for booleans. Plus the CLI's own commands the chapter uses:
``configure set|get|list``, ``eks update-kubeconfig``, ``eks wait …`` and
``cloudformation wait …`` (waiters on simulated time), and ``ec2
authorize-security-group-ingress --protocol --port --cidr|--source-group``.
Global options: ``--region``, ``--output json|text|table|yaml``, ``--query``
(JMESPath), ``--profile``, ``--no-cli-pager``.

Exit codes are CLI v2's (``awscli.constants``): 0; 252 when the command line or a
parameter is invalid (usage errors, botocore's ``Parameter validation
failed``); 254 when the service answered with an error (``An error occurred
(Code) when calling the Op operation: message`` on stderr); 255 for other
failures (a waiter's failure, ``Cluster status is CREATING``).
"""
from __future__ import annotations

import json
import shlex
from pathlib import Path

import jmespath
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError, WaiterError

from kubelearn.cloud.aws.output import render
from kubelearn.kubectl.result import KubectlResult

PARAM_VALIDATION_ERROR_RC = 252
CLIENT_ERROR_RC = 254
GENERAL_ERROR_RC = 255
SERVICES = ("cloudformation", "ec2", "efs", "eks", "iam", "sts")
OUTPUTS = ("json", "text", "table", "yaml", "yaml-stream")
USAGE = ("\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
         "To see help text, you can run:\n\n  aws help\n  aws <command> help\n"
         "  aws <command> <subcommand> help\n\n")


class AwsResult(KubectlResult):
    """stdout, stderr and exit code, as the aws command leaves them."""


class _Usage(Exception):
    """A command-line error: usage text then ``aws: error: MESSAGE``, exit 252."""


class _Fail(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.message, self.code = message, code


# -- entry point ----------------------------------------------------------------------
def run(aws, command: str) -> AwsResult:
    try:
        args = shlex.split(command)
    except ValueError as bad:
        return AwsResult("", f"{USAGE}aws: error: {bad}\n", PARAM_VALIDATION_ERROR_RC)
    if args[:1] == ["aws"]:
        args = args[1:]
    try:
        opts, args = _globals(args)
        out = _dispatch(aws, opts, args)
        return AwsResult(out, "", 0)
    except _Usage as usage:
        return AwsResult("", f"{USAGE}aws: error: {usage}\n", PARAM_VALIDATION_ERROR_RC)
    except ParamValidationError as bad:
        return AwsResult("", f"\n{bad}\n", PARAM_VALIDATION_ERROR_RC)
    except ClientError as error:
        return AwsResult("", f"\n{error}\n", CLIENT_ERROR_RC)
    except WaiterError as error:
        return AwsResult("", f"\n{error}\n", GENERAL_ERROR_RC)
    except _Fail as failed:
        return AwsResult("", f"\n{failed.message}\n", failed.code)


GLOBAL_VALUE_OPTIONS = ("--region", "--output", "--query", "--profile", "--color",
                        "--endpoint-url", "--cli-read-timeout", "--cli-connect-timeout")
GLOBAL_FLAGS = ("--no-cli-pager", "--no-paginate", "--debug", "--no-verify-ssl",
                "--no-sign-request", "--cli-auto-prompt", "--no-cli-auto-prompt")


def _globals(args: list[str]) -> tuple[dict, list[str]]:
    opts: dict = {}
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=")
        if name in GLOBAL_VALUE_OPTIONS:
            if eq:
                value = inline
            elif i + 1 < len(args):
                i += 1
                value = args[i]
            else:
                raise _Usage(f"argument {name}: expected one argument")
            opts[name[2:]] = value
        elif arg in GLOBAL_FLAGS:
            opts[arg[2:]] = True
        else:
            rest.append(arg)
        i += 1
    if opts.get("output") and opts["output"] not in OUTPUTS:
        raise _Usage(f"argument --output: Invalid choice, valid choices are:\n\n"
                     + " | ".join(OUTPUTS))
    return opts, rest


def _config(aws) -> dict:
    from kubelearn.cloud.aws.configure import read

    return read(aws)


def _dispatch(aws, opts: dict, args: list[str]) -> str:
    if not args:
        raise _Usage("the following arguments are required: command")
    service, rest = args[0], args[1:]
    if service == "configure":
        from kubelearn.cloud.aws.configure import configure

        return configure(aws, rest, _Usage, _Fail)
    if service not in SERVICES:
        raise _Usage("argument command: Invalid choice, valid choices are:\n\n"
                     + " | ".join(("configure",) + SERVICES)
                     + "\n\n(kubelearn simulates these services)")
    if not rest:
        raise _Usage("the following arguments are required: operation")
    config = _config(aws)
    region = opts.get("region") or config.get("region") or aws.region
    output = opts.get("output") or config.get("output") or "json"
    client = aws.client(service, region)
    operation, params = rest[0], rest[1:]
    if service == "eks" and operation == "update-kubeconfig":
        return _update_kubeconfig(aws, region, params)
    if operation == "wait":
        return _wait(client, params)
    if service == "ec2" and operation == "authorize-security-group-ingress" and any(
            p in params for p in ("--protocol", "--port", "--cidr", "--source-group")):
        params = _sg_shortcut(params)
    operations = {xform_name(op, "-"): op for op in client.meta.service_model.operation_names}
    if operation not in operations:
        raise _Usage(f"argument operation: Invalid choice, valid choices are:\n\n"
                     + " | ".join(sorted(operations)))
    op = operations[operation]
    model = client.meta.service_model.operation_model(op)
    kwargs = parse_params(model.input_shape, params,
                          RENAMES.get(f"{service}.{operation}", {}))
    response = getattr(client, xform_name(op))(**kwargs)
    return _print(response, opts, output, op)


def _print(response, opts: dict, output: str, title: str) -> str:
    response = {k: v for k, v in (response or {}).items() if k != "ResponseMetadata"}
    if opts.get("query"):
        try:
            response = jmespath.search(opts["query"], json.loads(render(response, "json")))
        except jmespath.exceptions.JMESPathError as bad:
            raise _Usage(f"argument --query: Bad value for --query {opts['query']}: {bad}") \
                from None
    elif not response:
        return ""
    if output == "text" and not isinstance(response, (dict, list)):
        return ("None" if response is None else str(response)) + "\n"
    if output == "json" and response is None:
        return "null\n"
    return render(response, "yaml" if output == "yaml-stream" else output, title)


# -- parameters ----------------------------------------------------------------------
# options the CLI renames (awscli.customizations.argrename), per "service.operation":
# API member -> option name; ``--version`` is the CLI's own global option
RENAMES = {
    "eks.create-cluster": {"version": "--kubernetes-version"},
    "eks.update-cluster-version": {"version": "--kubernetes-version"},
    "eks.create-nodegroup": {"version": "--kubernetes-version"},
    "eks.update-nodegroup-version": {"version": "--kubernetes-version"},
}


def parse_params(shape, args: list[str], renames: dict | None = None) -> dict:
    members = dict(shape.members) if shape is not None else {}
    renames = renames or {}
    by_option = {renames.get(name, "--" + xform_name(name, "-")): name for name in members}
    values: dict[str, list[str]] = {}
    negated: set[str] = set()
    unknown: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--"):
            unknown.append(arg)
            i += 1
            continue
        option, eq, inline = arg.partition("=")
        name = by_option.get(option)
        if name is None and option.startswith("--no-") and "--" + option[5:] in by_option:
            name = by_option["--" + option[5:]]
            negated.add(name)
        if name is None:
            unknown.append(arg)
            i += 1
            while i < len(args) and not args[i].startswith("--"):
                unknown.append(args[i])
                i += 1
            continue
        found = [inline] if eq else []
        i += 1
        while not eq and i < len(args) and not args[i].startswith("--"):
            found.append(args[i])
            i += 1
        values[name] = found
    if unknown:
        raise _Usage(f"Unknown options: {', '.join(unknown)}")
    required = [n for n in getattr(shape, "required_members", []) if n not in values
                and not members[n].metadata.get("idempotencyToken")]
    if required:
        raise _Usage("the following arguments are required: "
                     + ", ".join("--" + xform_name(n, "-") for n in required))
    params = {}
    for name, raw in values.items():
        member = members[name]
        option = renames.get(name, "--" + xform_name(name, "-"))
        if member.type_name == "boolean":
            if raw:
                raise _Usage(f"argument {option}: ignored explicit argument '{raw[0]}'")
            params[name] = name not in negated
            continue
        if not raw:
            raise _Usage(f"argument {option}: expected one argument")
        params[name] = _value(member, raw, option)
    return params


def _read(text: str) -> str:
    if text.startswith("file://"):
        path = Path(text[len("file://"):]).expanduser()
        try:
            return path.read_text()
        except OSError as bad:
            raise _Fail(f"Error parsing parameter: Unable to load paramfile {text}: {bad}",
                        PARAM_VALIDATION_ERROR_RC) from None
    return text


def _value(shape, raw: list[str], option: str):
    kind = shape.type_name
    if kind == "list":
        if len(raw) == 1 and _read(raw[0]).lstrip().startswith("["):
            return _json(_read(raw[0]), option)
        return [_value(shape.member, [r], option) for r in raw]
    if len(raw) > 1:
        raise _Usage(f"Unknown options: {', '.join(raw[1:])}")
    text = _read(raw[0])
    if kind in ("structure", "map"):
        if text.lstrip().startswith("{"):
            return _json(text, option)
        return shorthand(shape, text, option)
    return _scalar(shape, text, option)


def _json(text: str, option: str):
    try:
        return json.loads(text)
    except ValueError as bad:
        raise _Fail(f"Error parsing parameter '{option}': Invalid JSON: {bad}\nJSON received: "
                    f"{text}", PARAM_VALIDATION_ERROR_RC) from None


def _scalar(shape, text: str, option: str):
    kind = shape.type_name
    if kind in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            raise _Fail(f"invalid literal for int() with base 10: '{text}'",
                        PARAM_VALIDATION_ERROR_RC) from None
    if kind in ("float", "double"):
        return float(text)
    if kind == "boolean":
        return text.lower() == "true"
    return text


def _split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def shorthand(shape, text: str, option: str) -> dict:
    """The CLI's shorthand syntax: ``minSize=1,maxSize=3`` / ``Name=vpc-id,Values=a,b``."""
    pairs: list[list] = []
    for part in _split_top(text):
        key, eq, value = part.partition("=")
        if eq:
            pairs.append([key.strip(), [value]])
        elif pairs:
            pairs[-1][1].append(part)
        else:
            raise _Fail(f"Error parsing parameter '{option}': Expected: '=', received: "
                        f"'{text[-1:] or 'EOF'}' for input:\n{text}", PARAM_VALIDATION_ERROR_RC)
    result = {}
    for key, vals in pairs:
        if shape.type_name == "map":
            result[key] = _scalar(shape.value, ",".join(vals), option)
            continue
        member = shape.members.get(key)
        if member is None:
            result[key] = ",".join(vals)          # botocore reports the unknown key
        elif member.type_name == "list":
            items = [v for v in vals]
            if len(items) == 1 and items[0].startswith("[") and items[0].endswith("]"):
                items = [x for x in items[0][1:-1].split(",") if x]
            result[key] = [_scalar(member.member, v, option) for v in items]
        elif member.type_name in ("structure", "map"):
            inner = ",".join(vals)
            result[key] = shorthand(member, inner.strip("{}"), option)
        else:
            result[key] = _scalar(member, ",".join(vals), option)
    return result


# -- the CLI's own commands ----------------------------------------------------------------
def _options(args: list[str], values: tuple, flags: tuple = ()) -> dict:
    found: dict = {}
    i = 0
    unknown = []
    while i < len(args):
        arg = args[i]
        option, eq, inline = arg.partition("=")
        if option in values:
            if eq:
                found[option] = inline
            elif i + 1 < len(args):
                i += 1
                found[option] = args[i]
            else:
                raise _Usage(f"argument {option}: expected one argument")
        elif arg in flags:
            found[arg] = True
        else:
            unknown.append(arg)
        i += 1
    if unknown:
        raise _Usage(f"Unknown options: {', '.join(unknown)}")
    return found


def _update_kubeconfig(aws, region: str, args: list[str]) -> str:
    from kubelearn.cloud.aws.kubeconfig import KubeconfigError, update_kubeconfig

    found = _options(args, ("--name", "--kubeconfig", "--role-arn", "--alias", "--user-alias"),
                     ("--dry-run", "--verbose"))
    if "--name" not in found:
        raise _Usage("the following arguments are required: --name")
    try:
        return update_kubeconfig(aws, found["--name"], region=region, alias=found.get("--alias"),
                                 user_alias=found.get("--user-alias"),
                                 path=found.get("--kubeconfig"),
                                 dry_run=bool(found.get("--dry-run")))
    except KubeconfigError as bad:
        raise _Fail(str(bad), GENERAL_ERROR_RC) from None


def _wait(client, args: list[str]) -> str:
    waiters = {w.replace("_", "-"): w for w in client.waiter_names}
    if not args:
        raise _Usage("the following arguments are required: wait_name")
    if args[0] not in waiters:
        raise _Usage("argument wait_name: Invalid choice, valid choices are:\n\n"
                     + " | ".join(sorted(waiters)))
    waiter = client.get_waiter(waiters[args[0]])
    model = client.meta.service_model.operation_model(waiter.config.operation)
    waiter.wait(**parse_params(model.input_shape, args[1:]))
    return ""


def _sg_shortcut(args: list[str]) -> list[str]:
    """``--protocol tcp --port 2049 --cidr 10.0.0.0/16`` → ``--ip-permissions`` JSON."""
    found = _options(args, ("--group-id", "--group-name", "--protocol", "--port", "--cidr",
                            "--source-group", "--group-owner"), ("--dry-run",))
    protocol = found.get("--protocol", "-1")
    permission: dict = {"IpProtocol": "-1" if protocol == "all" else protocol}
    port = found.get("--port")
    if port is not None:
        low, _, high = port.partition("-")
        try:
            permission["FromPort"] = int(low)
            permission["ToPort"] = int(high or low)
        except ValueError:
            raise _Fail(f"port parameter should be of the form <from[-to]> (e.g. 22 or 22-25)",
                        GENERAL_ERROR_RC) from None
    if "--cidr" in found:
        permission["IpRanges"] = [{"CidrIp": found["--cidr"]}]
    if "--source-group" in found:
        permission["UserIdGroupPairs"] = [{"GroupId": found["--source-group"]}]
    out = []
    for option in ("--group-id", "--group-name"):
        if option in found:
            out += [option, found[option]]
    if found.get("--dry-run"):
        out.append("--dry-run")
    return out + ["--ip-permissions", json.dumps([permission])]
