"""``aws configure set|get|list``: settings stored only in the simulated config.

``set region|output`` writes ``<kubelearn home>/aws/config``; the key id and
secret go to ``<kubelearn home>/aws/credentials``; any value is accepted (there is
no real account to check them against) and nothing else reads the credentials:
the clients keep the simulation's dummy keys.
"""
from __future__ import annotations

import configparser
import os

from kubelearn.cloud.aws import home

CONFIG_KEYS = ("region", "output")
CREDENTIAL_KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


def _load(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    if path.exists():
        parser.read(path)
    return parser


def read(aws) -> dict:
    parser = _load(home.aws_config_file())
    return dict(parser["default"]) if parser.has_section("default") else {}


def _credentials() -> dict:
    parser = _load(home.aws_credentials_file())
    return dict(parser["default"]) if parser.has_section("default") else {}


def _write(path, key: str, value: str) -> None:
    parser = _load(path)
    if not parser.has_section("default"):
        parser.add_section("default")
    parser["default"][key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        parser.write(handle)


def configure(aws, args: list[str], usage, fail) -> str:
    if not args:
        raise fail("kubelearn: `aws configure` asks its four questions in a terminal; here use "
                   "`aws configure set region us-east-2` (and output, aws_access_key_id, "
                   "aws_secret_access_key)", 252)
    verb, rest = args[0], args[1:]
    if verb == "set":
        if len(rest) != 2:
            raise usage("the following arguments are required: varname, value")
        key, value = rest
        key = key.removeprefix("default.")
        path = home.aws_credentials_file() if key in CREDENTIAL_KEYS else home.aws_config_file()
        _write(path, key, value)
        return ""
    if verb == "get":
        if len(rest) != 1:
            raise usage("the following arguments are required: varname")
        key = rest[0].removeprefix("default.")
        value = (_credentials() if key in CREDENTIAL_KEYS else read(aws)).get(key)
        if value is None:
            raise fail("", 1)
        return value + "\n"
    if verb == "list":
        config, creds = read(aws), _credentials()

        def masked(value):
            return "*" * 16 + value[-4:] if value else "<not set>"

        rows = [("profile", "<not set>", "None", "None")]
        for name, key in (("access_key", "aws_access_key_id"),
                          ("secret_key", "aws_secret_access_key")):
            value = creds.get(key)
            rows.append((name, masked(value), "shared-credentials-file" if value else "None",
                         "" if value else "None"))
        region = config.get("region")
        rows.append(("region", region or "<not set>", "config-file" if region else "None",
                     str(home.aws_config_file()) if region else "None"))
        lines = [f"{'Name':>10} {'Value':>24} {'Type':>16}    Location",
                 f"{'----':>10} {'-----':>24} {'----':>16}    --------"]
        lines += [f"{n:>10} {v:>24} {t:>16}    {loc}" for n, v, t, loc in rows]
        return "\n".join(lines) + "\n"
    raise usage(f"argument subcommand: Invalid choice, valid choices are:\n\n"
                "list | get | set")
