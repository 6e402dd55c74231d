"""``curl`` inside a container (curl 8.11.1 on alpine, 7.88.1 on Debian).

The options a course uses: ``-s``/``-S``, ``-i``, ``-I``, ``-v``, ``-X``, ``-d``,
``--json``, ``-H``, ``-A``, ``-o``/``-O``, ``-f``, ``-m``, ``--connect-timeout``,
``-w``, ``-L``/``-k`` (accepted), combined as ``-sS`` or ``-fsSL``. The body goes
to standard output; the progress meter and the errors go to standard error.

A container's standard output is never a terminal (``kubectl exec`` without
``-t``, a container's log), so curl shows its progress meter there, as it does
on a real cluster: that is why everyone types ``curl -s``. The meter's numbers
come from a fixed, fast transfer (1 ms), so they are the same on every run.
Errors are worded as the image's curl words them: ``curl: (7) Failed to connect
to web port 80 after 0 ms: Could not connect to server`` names the host as typed
in the URL; curl 7.88 says ``Couldn't connect to server``.
"""
from __future__ import annotations

from kubelearn.network import dns
from kubelearn.network.http import (ConnectionRefused, ConnectionTimedOut, CouldNotResolveHost,
                                    EmptyReply, HTTPConnectionError, NoRouteToHost, parse_url)
from kubelearn.node.filesystem import FsError, normalize
from kubelearn.node.nettools import (CURL_VERSION, DEBIAN_CURL_VERSION, read_file, resolve,
                                     with_address)

TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information"
METER_HEAD = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
              "                                 Dload  Upload   Total   Spent    Left  Speed\n")
KERNEL_CONNECT_MS = 134316      # the kernel gives up a SYN after ~2 min (tcp_syn_retries=6)
NO_ROUTE_MS = 3066              # ARP gives up after ~3 s
FLAGS = {"s": "silent", "S": "show_error", "i": "include", "I": "head", "v": "verbose",
         "f": "fail", "L": "location", "k": "insecure", "O": "remote_name", "#": "bar",
         "g": "globoff", "N": "no_buffer"}
WITH_VALUE = {"X": "request", "d": "data", "H": "header", "o": "output", "A": "user_agent",
              "m": "max_time", "w": "write_out", "u": "user", "e": "referer", "b": "cookie"}
LONG = {"--silent": "s", "--show-error": "S", "--include": "i", "--head": "I",
        "--verbose": "v", "--fail": "f", "--location": "L", "--insecure": "k",
        "--remote-name": "O", "--globoff": "g", "--no-buffer": "N", "--request": "X",
        "--data": "d", "--data-raw": "d", "--data-binary": "d", "--data-ascii": "d",
        "--header": "H", "--output": "o", "--user-agent": "A", "--max-time": "m",
        "--write-out": "w", "--user": "u", "--referer": "e", "--cookie": "b",
        "--connect-timeout": "connect_timeout", "--json": "json", "--url": "url",
        "--retry": "retry", "--retry-delay": "retry", "--no-progress-meter": "no_meter",
        "--http1.1": "http1.1", "--fail-with-body": "fail_with_body"}
LONG_WITH_VALUE = {"connect_timeout", "json", "url", "retry"}


class _Usage(Exception):
    pass


def curl(shell, args: list[str]) -> int:
    from kubelearn.node.shell import Debian

    version = shell.values.get("curl") or (DEBIAN_CURL_VERSION if isinstance(shell.msg, Debian)
                                           else CURL_VERSION)
    if not args:
        shell.error(TRY_HELP)
        return 2
    try:
        opts = _options(args)
    except _Usage as usage:
        shell.error(f"curl: {usage}\n{TRY_HELP}")
        return 2
    if not opts["urls"]:
        shell.error(f"curl: (2) no URL specified\n{TRY_HELP}")     # CURLE_FAILED_INIT
        return 2
    code = 0
    for i, url in enumerate(opts["urls"]):
        code = _transfer(shell, opts, url, version, first=i == 0)
    return code


def _v(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _options(args: list[str]) -> dict:
    opts: dict = {"urls": [], "data": [], "header": []}
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("--") and len(arg) > 2:
            key = LONG.get(arg)
            if key is None:
                raise _Usage(f"option {arg}: is unknown")
            if key in WITH_VALUE or key in LONG_WITH_VALUE:
                if i >= len(args):
                    raise _Usage(f"option {arg}: requires parameter")
                _set(opts, key, args[i])
                i += 1
            else:
                _set(opts, key, True)
            continue
        if arg.startswith("-") and len(arg) > 1:
            letters = arg[1:]
            for j, letter in enumerate(letters):
                if letter in FLAGS:
                    _set(opts, letter, True)
                elif letter in WITH_VALUE:
                    value = letters[j + 1:]
                    if not value:
                        if i >= len(args):
                            raise _Usage(f"option -{letter}: requires parameter")
                        value, i = args[i], i + 1
                    _set(opts, letter, value)
                    break
                else:
                    raise _Usage(f"option {arg}: is unknown")
            continue
        opts["urls"].append(arg)
    return opts


def _set(opts: dict, key: str, value) -> None:
    if key == "url":
        opts["urls"].append(value)
    elif key in ("d", "H"):
        opts["data" if key == "d" else "header"].append(value)
    elif key == "json":
        opts["data"].append(value)
        opts["json"] = True
    else:
        opts[FLAGS.get(key) or WITH_VALUE.get(key) or key] = value


# -- one transfer -------------------------------------------------------------------------
def _transfer(shell, opts: dict, url: str, version: str, first: bool) -> int:
    meter = not opts.get("silent") and not opts.get("no_meter")
    verbose = opts.get("verbose")
    method, body, headers, defaults = _request_parts(shell, opts)
    try:
        _, host, port, path = parse_url(url)
    except HTTPConnectionError as err:       # refused before any transfer: no meter
        return _fail(shell, opts, False, _url_error(str(err)), str(err), 0)
    if meter:
        shell.error(METER_HEAD.rstrip("\n"))
    display = host
    timeout = _timeout(opts)
    try:
        address = resolve(shell, host)
    except dns.NXDomain:
        if verbose:
            shell.error(f"* Could not resolve host: {display}\n* shutting down connection #0")
        return _fail(shell, opts, meter, 6, f"Could not resolve host: {display}", 0)
    if verbose:
        _verbose_connect(shell, display, address, port, version)
    try:
        response = shell.net.request(method, with_address(url, address), body,
                                     {**headers, **defaults},
                                     user_agent=opts.get("user_agent") or f"curl/{version}")
    except HTTPConnectionError as err:
        code, message, spent = _connect_error(err, display, port, version, timeout)
        if verbose:
            shell.error(f"* {message}\n* closing connection #0")
        return _fail(shell, opts, meter, code, message, spent)
    if verbose:
        _verbose_exchange(shell, method, display, address, port, path, body, headers,
                          defaults, response, opts.get("user_agent") or f"curl/{version}",
                          _v(version) >= (8, 6))
    if opts.get("fail_with_body") and response.status >= 400:
        shell.write(response.text)
        return _fail(shell, opts, meter, 22,
                     f"The requested URL returned error: {response.status}", 0,
                     response=response)
    if opts.get("fail") and response.status >= 400:
        return _fail(shell, opts, meter, 22,
                     f"The requested URL returned error: {response.status}", 0,
                     response=response)
    head = _header_block(response) if opts.get("include") or opts.get("head") else ""
    data = "" if method == "HEAD" else response.text
    out = head + data
    received = len(data.encode())
    sent = len((body or "").encode())
    if meter:
        shell.error(_meter_line(0, 0, 0, 0) + "\r" + _meter_line(received, sent, 1, 1))
    target = opts.get("output") if first else None
    if opts.get("remote_name") and first:
        target = path.split("?", 1)[0].rsplit("/", 1)[-1]
        if not target:
            shell.error("curl: (23) Failure writing output to destination")
            return 23
    if target and target != "/dev/null":
        try:
            shell.fs.write(normalize(target, shell.cwd), out)
        except FsError as err:
            shell.error(f"Warning: Failed to open the file {target}: {err.reason}\n"
                        "curl: (23) Failure writing output to destination")
            return 23
    elif not target:
        shell.write(out)
    if opts.get("write_out"):
        shell.write(_write_out(opts["write_out"], response, address, port, url, received))
    return 0


def _request_parts(shell, opts: dict) -> tuple[str, str | None, dict, dict]:
    """(method, body, the user's headers, curl's own content headers the user did not set)."""
    headers: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for line in opts["header"]:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    body = None
    if opts["data"]:
        parts = []
        for item in opts["data"]:
            if item.startswith("@"):
                text = read_file(shell, normalize(item[1:], shell.cwd)) or ""
                item = text.replace("\r", "").replace("\n", "")
            parts.append(item)
        body = "&".join(parts)
        if opts.get("json"):
            defaults = {"Content-Type": "application/json", "Accept": "application/json"}
        else:
            defaults = {"Content-Type": "application/x-www-form-urlencoded"}
        defaults = {k: v for k, v in defaults.items() if k.lower() not in
                    {name.lower() for name in headers}}
    method = opts.get("request") or ("HEAD" if opts.get("head") else
                                     "POST" if body is not None else "GET")
    return method, body, headers, defaults


def _timeout(opts: dict) -> float | None:
    values = []
    for key in ("max_time", "connect_timeout"):
        try:
            values.append(float(opts[key]))
        except (KeyError, ValueError):
            pass
    return min(values) if values else None


def _url_error(message: str) -> int:
    if message.startswith("Protocol"):
        return 1
    return 3


def _connect_error(err: HTTPConnectionError, host: str, port: int, version: str,
                   timeout: float | None) -> tuple[int, str, int]:
    """curl's exit code, message and the milliseconds it spent."""
    couldnt = "Could not connect to server" if _v(version) >= (8, 6) else \
        "Couldn't connect to server"
    if isinstance(err, CouldNotResolveHost):
        return 6, f"Could not resolve host: {host}", 0
    if isinstance(err, ConnectionTimedOut):
        if timeout is not None and timeout * 1000 < KERNEL_CONNECT_MS:
            spent = int(timeout * 1000) + 1
            return 28, f"Failed to connect to {host} port {port} after {spent} ms: " \
                       "Timeout was reached", spent
        return 28, f"Failed to connect to {host} port {port} after {KERNEL_CONNECT_MS} ms: " \
                   f"{couldnt}", KERNEL_CONNECT_MS
    if isinstance(err, NoRouteToHost):
        return 7, f"Failed to connect to {host} port {port} after {NO_ROUTE_MS} ms: " \
                  f"{couldnt}", NO_ROUTE_MS
    if isinstance(err, ConnectionRefused):
        return 7, f"Failed to connect to {host} port {port} after 0 ms: {couldnt}", 0
    if isinstance(err, EmptyReply):
        return 52, "Empty reply from server", 0
    message = str(err)
    if message.startswith("OpenSSL") or "SSL" in message:
        return 35, message, 0
    if message.startswith(("Protocol", "URL rejected")):
        return _url_error(message), message, 0
    return 7, message, 0


def _fail(shell, opts: dict, meter: bool, code: int, message: str, spent_ms: int,
          response=None) -> int:
    if meter:
        line = _meter_line(0, 0, 0, 0)
        if spent_ms >= 1000:
            line += "\r" + _meter_line(0, 0, 0, 0, spent=spent_ms // 1000)
        shell.error(line)
    if not opts.get("silent") or opts.get("show_error"):
        shell.error(f"curl: ({code}) {message}")
    if opts.get("write_out"):
        shell.write(_write_out(opts["write_out"], response, "", 0, "", 0, code, message))
    return code


# -- what curl prints -----------------------------------------------------------------------
def _header_block(response) -> str:
    """The status line and headers as received, CRLF-terminated, then the blank line."""
    lines = [f"HTTP/1.1 {response.status} {response.reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in response.headers.items()]
    return "".join(line + "\r\n" for line in lines) + "\r\n"


def _verbose_connect(shell, host: str, address: str, port: int, version: str) -> None:
    lines = []
    if _v(version) >= (8, 6) and not dns.is_address(host):
        lines += [f"* Host {host}:{port} was resolved.", "* IPv6: (none)", f"* IPv4: {address}"]
    lines.append(f"*   Trying {address}:{port}...")
    shell.error("\n".join(lines))


def _verbose_exchange(shell, method: str, host: str, address: str, port: int, path: str, body,
                      headers: dict, defaults: dict, response, agent: str,
                      modern: bool) -> None:
    """The request as sent (the user's headers after curl's own, then the length and
    curl's content type) and the answer's head."""
    lines = [f"* Connected to {host} ({address}) port {port}" + ("" if modern else " (#0)")]
    if modern:
        lines.append("* using HTTP/1.x")
    lines += [f"> {method} {path} HTTP/1.1", f"> Host: {host}" + ("" if port == 80 else f":{port}"),
              f"> User-Agent: {agent}"]
    if "accept" not in {name.lower() for name in headers}:
        lines.append(f"> Accept: {defaults.get('Accept', '*/*')}")
    lines += [f"> {name}: {value}" for name, value in headers.items()]
    if body is not None:
        lines.append(f"> Content-Length: {len(body.encode())}")
    if "Content-Type" in defaults:
        lines.append(f"> Content-Type: {defaults['Content-Type']}")
    lines.append("> ")
    if body is not None:
        lines.append(f"}} [{len(body.encode())} bytes data]")
    if modern:
        lines.append("* upload completely sent off: %d bytes" % len(body.encode())
                     if body is not None else "* Request completely sent off")
    lines.append(f"< HTTP/1.1 {response.status} {response.reason}".rstrip())
    lines += [f"< {name}: {value}" for name, value in response.headers.items()]
    lines.append("< ")
    if method != "HEAD" and response.text:
        lines.append(f"{{ [{len(response.text.encode())} bytes data]")
    lines.append(f"* Connection #0 to host {host} left intact")
    shell.error("\n".join(lines))


def _meter_line(received: int, sent: int, done: int, fast: int, spent: int = 0) -> str:
    """One line of curl's progress meter (lib/progress.c): a fast transfer of
    ``received`` and ``sent`` bytes in 1 ms, or nothing yet after ``spent`` seconds."""
    total = received + sent
    speed_down, speed_up = received * 1000 * fast, sent * 1000 * fast
    pct = (lambda part: 100 if done and part else 0)
    return (f"{pct(total):3d} {_max5(total)}  {pct(received):3d} {_max5(received)}  "
            f"{pct(sent):3d} {_max5(sent)}  {_max5(speed_down)}  {_max5(speed_up)} "
            f"--:--:-- {_time(spent)} --:--:-- {_max5(speed_down + speed_up)}")


def _max5(n: int) -> str:
    """curl's max5data: a number in five characters."""
    kb, mb = 1024, 1024 * 1024
    if n < 100000:
        return f"{n:5d}"
    if n < 10000 * kb:
        return f"{n // kb:4d}k"
    if n < 100 * mb:
        return f"{n // mb:2d}.{(n % mb) // (mb // 10)}M"
    return f"{n // mb:4d}M"


def _time(seconds: int) -> str:
    if seconds <= 0:
        return "--:--:--"
    return f"{seconds // 3600:2d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _write_out(fmt: str, response, address: str, port: int, url: str, size: int,
               code: int = 0, message: str = "") -> str:
    values = {"http_code": f"{response.status:03d}" if response else "000",
              "response_code": f"{response.status:03d}" if response else "000",
              "remote_ip": address, "remote_port": str(port) if port else "",
              "size_download": str(size), "url_effective": url, "exitcode": str(code),
              "errormsg": message, "time_total": "0.001000" if response else "0.000000",
              "content_type": (response.headers.get("Content-Type", "") if response else "")}
    out, i = "", 0
    while i < len(fmt):
        if fmt.startswith("%{", i) and "}" in fmt[i:]:
            end = fmt.index("}", i)
            out += values.get(fmt[i + 2:end], "")
            i = end + 1
        elif fmt.startswith("\\n", i) or fmt.startswith("\\t", i) or fmt.startswith("\\r", i):
            out += {"n": "\n", "t": "\t", "r": "\r"}[fmt[i + 1]]
            i += 2
        else:
            out += fmt[i]
            i += 1
    return out
