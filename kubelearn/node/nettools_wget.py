"""busybox ``wget`` inside a container (networking/wget.c, busybox 1.36).

``wget -qO- http://web`` prints the page; without ``-q`` busybox also reports on
standard error where it connects (``Connecting to web (10.96.0.5:80)``), where
it writes (``writing to stdout``, ``saving to 'index.html'``), a progress line
and the end (``written to stdout``, ``'index.html' saved``). Without ``-O`` the
page is saved in the container's filesystem under the URL's last path component
(``index.html`` for ``/``), and an existing file is not overwritten (``wget:
can't open 'index.html': File exists``). Errors end wget with exit code 1:
``wget: bad address 'web'`` (the name does not resolve), ``wget: can't connect
to remote host (10.96.0.5): Connection refused``, ``wget: server returned error:
HTTP/1.1 404 Not Found``, ``wget: download timed out`` (``-T``).

The progress line is the one busybox writes when standard error is not a
terminal (libbb/progress.c): file name in 20 columns, percentage, a bar of 32
stars for the 80 columns it assumes, the size and ``0:00:00 ETA``.
"""
from __future__ import annotations

from kubelearn.network import dns
from kubelearn.network.http import (ConnectionRefused, ConnectionTimedOut, EmptyReply,
                                    HTTPConnectionError, NoRouteToHost, parse_url)
from kubelearn.node.filesystem import FsError, normalize
from kubelearn.node.nettools import (BUSYBOX_VERSION, read_file, resolve, timed_out_text,
                                     unreachable_text, with_address)

USAGE = (f"BusyBox v{BUSYBOX_VERSION} multi-call binary.\n\n"
         "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
         "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
         "\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n\n"
         "Retrieve files via HTTP or FTP")
SHORT = {"c": None, "q": None, "S": None, "O": "O", "o": "o", "P": "P", "Y": "Y", "U": "U",
         "T": "T", "t": "t"}
LONG = {"continue": ("c", False), "quiet": ("q", False), "server-response": ("S", False),
        "output-document": ("O", True), "output-file": ("o", True),
        "directory-prefix": ("P", True), "proxy": ("Y", True), "user-agent": ("U", True),
        "timeout": ("T", True), "tries": ("t", True), "header": ("header", True),
        "post-data": ("post-data", True), "post-file": ("post-file", True),
        "spider": ("spider", False), "no-check-certificate": ("no-check-certificate", False),
        "no-verbose": ("nv", False), "no-cache": ("nv", False), "no-clobber": ("nv", False),
        "passive-ftp": ("nv", False)}
KERNEL_CONNECT_SECONDS = 127      # tcp_syn_retries=6: the kernel gives a connect up
SUCCESS = (200, 201, 202, 203, 204, 300, 301, 302, 303)


class _Die(Exception):
    """bb_error_msg_and_die: the message, exit code 1."""


def wget(shell, args: list[str]) -> int:
    try:
        opts = _options(args)
    except _Die as usage:
        shell.error(f"wget: {usage}\n{USAGE}" if str(usage) else USAGE)
        return 1
    log: list[str] = []
    say = log.append if opts.get("o") else shell.error
    try:
        for url in opts["urls"]:
            _download(shell, opts, url, say)
    except _Die as failure:
        say(f"wget: {failure}")
        code = 1
    else:
        code = 0
    if log:
        try:
            shell.fs.write(normalize(opts["o"], shell.cwd), "".join(line + "\n" for line in log))
        except FsError as err:
            shell.error(f"wget: can't open '{opts['o']}': {err.reason}")
            return 1
    return code


def _options(args: list[str]) -> dict:
    """getopt32 with long options, arguments permuted (options may follow the URL)."""
    opts: dict = {"urls": [], "header": []}
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            matches = [n for n in LONG if n == name] or [n for n in LONG if n.startswith(name)]
            if len(matches) != 1:
                raise _Die(f"unrecognized option '{arg}'" if not matches else
                           f"option '{arg}' is ambiguous")
            key, needs = LONG[matches[0]]
            if needs and not eq:
                if i >= len(args):
                    raise _Die(f"option '--{matches[0]}' requires an argument")
                value, i = args[i], i + 1
            _store(opts, key, value if needs else True)
            continue
        if arg.startswith("-") and len(arg) > 1:
            letters = arg[1:]
            for j, letter in enumerate(letters):
                if letter == "n":               # -nv, -nc, -nH, -np: ignored
                    break
                if letter not in SHORT:
                    raise _Die(f"invalid option -- '{letter}'")
                if SHORT[letter] is None:
                    _store(opts, letter, True)
                    continue
                value = letters[j + 1:]
                if not value:
                    if i >= len(args):
                        raise _Die(f"option requires an argument -- '{letter}'")
                    value, i = args[i], i + 1
                _store(opts, letter, value)
                break
            continue
        opts["urls"].append(arg)
    if not opts["urls"]:
        raise _Die("")
    return opts


def _store(opts: dict, key: str, value) -> None:
    if key == "header":
        opts["header"].append(value)
    else:
        opts[key] = value


def _download(shell, opts: dict, url: str, say) -> None:
    """download_one_url: resolve, connect, ask, check the status, write the body."""
    quiet = opts.get("q")
    try:
        scheme, host, port, path = parse_url(url)
    except HTTPConnectionError:
        raise _Die(f"not an http or ftp url: {url}") from None
    server = _host_port(url)
    try:
        address = resolve(shell, host)
    except dns.NXDomain:
        raise _Die(f"bad address '{server}'") from None
    if not quiet:
        say(f"Connecting to {server} ({address}:{port})")
    if scheme == "https" and not opts.get("no-check-certificate"):
        say("wget: note: TLS certificate validation not implemented")
    body = opts.get("post-data")
    if body is None and opts.get("post-file"):
        body = read_file(shell, normalize(opts["post-file"], shell.cwd)) or ""
    try:
        response = shell.net.request("POST" if body is not None else "GET",
                                     with_address(url, address), body,
                                     _headers(opts["header"], body),
                                     user_agent=opts.get("U") or "Wget")
    except HTTPConnectionError as err:
        raise _Die(_connect_error(shell, err, address, opts)) from None
    status_line = f"HTTP/1.1 {response.status} {response.reason}".rstrip()
    if opts.get("S"):
        say(f"  {status_line}")
    if response.status not in SUCCESS:
        raise _Die(f"server returned error: {status_line}")
    if opts.get("S"):
        for name, value in response.headers.items():
            say(f"  {name}: {value}")
        say("  ")
    if opts.get("spider"):
        if not quiet:
            say("remote file exists")
        return
    _save(shell, opts, path, response.text, say)


def _save(shell, opts: dict, path: str, text: str, say) -> None:
    quiet = opts.get("q")
    name = opts.get("O")
    to_stdout = name == "-"
    if name is None:
        name = path.lstrip("/").rsplit("/", 1)[-1] or "index.html"
        if opts.get("P"):
            name = opts["P"].rstrip("/") + "/" + name
    if not to_stdout:
        full = normalize(name, shell.cwd)
        if opts.get("O") is None and shell.fs.kind(full) is not None:
            raise _Die(f"can't open '{name}': File exists")
        try:
            shell.fs.write(full, "")
        except FsError as err:
            raise _Die(f"can't open '{name}': {err.reason}") from None
    if not quiet:
        say("writing to stdout" if to_stdout else f"saving to '{name}'")
    if to_stdout:
        shell.write(text)
    else:
        shell.fs.write(normalize(name, shell.cwd), text)
    if not quiet:
        say(progress_line(name.rsplit("/", 1)[-1], len(text.encode())))
        say("written to stdout" if to_stdout else f"'{name}' saved")


def _host_port(url: str) -> str:
    """The URL's host as busybox keeps it: with its ``:port`` when one is typed."""
    rest = url.split("://", 1)[-1]
    for stop in "/?#":
        rest = rest.split(stop, 1)[0]
    return rest.rsplit("@", 1)[-1]


def _headers(lines: list[str], body) -> dict:
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    if body is not None:
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return headers


def _connect_error(shell, err: HTTPConnectionError, address: str, opts: dict) -> str:
    if isinstance(err, ConnectionRefused):
        return f"can't connect to remote host ({address}): Connection refused"
    if isinstance(err, NoRouteToHost):
        return f"can't connect to remote host ({address}): {unreachable_text(shell)}"
    if isinstance(err, ConnectionTimedOut):
        try:
            seconds = int(opts.get("T", 900))
        except ValueError:
            seconds = 900
        if 0 < seconds < KERNEL_CONNECT_SECONDS:     # wget's alarm rings first
            return "download timed out"
        return f"can't connect to remote host ({address}): {timed_out_text(shell)}"
    if isinstance(err, EmptyReply):
        return "error getting response"
    return "error getting response: Connection reset by peer"


# -- the progress line (libbb/progress.c, standard error not a terminal) --------------------
def progress_line(curfile: str, size: int) -> str:
    """The one line busybox prints when the whole body arrived at once."""
    if size == 0:
        return f"{curfile[:20]:<20} {smart_ulltoa5(0)} --:--:-- ETA"
    return f"{curfile[:20]:<20} 100% |{'*' * 32}| {smart_ulltoa5(size)}  0:00:00 ETA"


def smart_ulltoa5(n: int, scale: str = " kMGTPEZY") -> str:
    """libbb's smart_ulltoa5: a size in five characters (``  615``, ``1234k``, ``92.1M``)."""
    idx = 0
    if n > 99999:
        n *= 10
        while True:
            n //= 1024
            idx += 1
            if n < 100000:
                break
    u, v = divmod(n, 10)
    if not idx:
        digits = []
        fmt = " 123456789"
        for value in (u // 1000, u // 100 % 10, u // 10 % 10, u % 10):
            char = fmt[value]
            digits.append(char)
            if char != " ":
                fmt = "0123456789"
        return "".join(digits) + str(v)
    fmt = " 123456789"
    if u >= 100:
        a = fmt[u // 1000]
        fmt = "0123456789" if a != " " else fmt
        b = fmt[u // 100 % 10]
        fmt = "0123456789" if b != " " else fmt
        return a + b + fmt[u // 10 % 10] + str(u % 10) + scale[idx]
    a = fmt[u // 10]
    fmt = "0123456789" if a != " " else fmt
    return a + fmt[u % 10] + "." + str(v) + scale[idx]
