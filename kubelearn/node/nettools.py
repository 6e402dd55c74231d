"""The network tools inside containers: ``curl``, busybox ``wget`` and ``nslookup``.

A container has one of them only when its image carries it (``app["binaries"]``):
busybox and the alpine-based images have busybox's ``wget`` and ``nslookup``
applets, ``curlimages/curl`` has curl beside them, the Debian-based images
(nginx, the node apps) have curl and not much else. The shell
(``kubelearn.node.shell``) runs them here with the pod's network, a
``PodNetwork``: requests leave from the pod (its DNS, kube-proxy's rules, its
own ``localhost``) through ``kubelearn.network.http``, and names resolve as the
container's resolver resolves them (``kubelearn.network.dns``, reading the
container's own ``/etc/hosts`` and ``/etc/resolv.conf``).

What they print is what the real tools print, in the versions the images
carry: curl 8.11.1 (curlimages/curl) or 7.88.1 (Debian bookworm), busybox 1.36.
A tool runs at one instant of simulated time: a connection that times out
reports the time it would have waited, without waiting.

This module holds the shared parts and ``nslookup``; ``nettools_curl`` and
``nettools_wget`` hold the two HTTP clients.
"""
from __future__ import annotations

from kubelearn.network import dns
from kubelearn.node.filesystem import FsError

CURL_VERSION = "8.11.1"              # curlimages/curl, alpine's curl
DEBIAN_CURL_VERSION = "7.88.1"       # Debian bookworm's curl (nginx, node images)
BUSYBOX_VERSION = "1.36.1"
NO_NETWORK = "kubelearn: {tool} has no network here"


class PodNetwork:
    """The network seen from inside one pod: ``request`` sends an HTTP request from
    it (raising the ``HTTPConnectionError`` subclasses of ``kubelearn.network.http``),
    ``namespace`` and ``cluster`` are what its DNS resolver needs."""

    def __init__(self, cluster, namespace: str, pod: str):
        self.cluster, self.namespace, self.pod = cluster, namespace, pod

    def request(self, method: str, url: str, data=None, headers: dict | None = None,
                user_agent: str = f"curl/{CURL_VERSION}"):
        """One request from the pod. ``headers`` are accepted for the tools' sake;
        the simulated apps do not read them."""
        from kubelearn.network.http import request

        return request(self.cluster, method, url, data, from_pod=(self.namespace, self.pod),
                       user_agent=user_agent)

    def __repr__(self) -> str:
        return f"PodNetwork({self.namespace}/{self.pod})"


def tool_values(app: dict) -> dict:
    """What the tools need to know of the image they are in: its curl version and
    its C library (musl on alpine: ``Operation timed out``, glibc: ``Connection
    timed out``)."""
    return {key: app[key] for key in ("curl", "libc") if key in app}


def run_tool(shell, name: str, args: list[str]) -> int:
    """Run ``curl``/``wget``/``nslookup`` with ``args`` in ``shell``; its exit code."""
    if shell.net is None:
        shell.error(NO_NETWORK.format(tool=name))
        return 1
    if name == "curl":
        from kubelearn.node.nettools_curl import curl
        return curl(shell, args)
    if name == "wget":
        from kubelearn.node.nettools_wget import wget
        return wget(shell, args)
    return nslookup(shell, args)


# -- what the container's resolver sees --------------------------------------------------
def read_file(shell, path: str) -> str | None:
    try:
        return shell.fs.read(path)
    except FsError:
        return None


def resolve(shell, host: str) -> str:
    """getaddrinfo in the container: the first address of ``host`` (raises
    dns.NXDomain), reading the container's /etc/hosts and /etc/resolv.conf."""
    net = shell.net
    return dns.resolve(net.cluster, host, net.namespace, hosts=read_file(shell, "/etc/hosts"),
                       conf=read_file(shell, "/etc/resolv.conf"))[0]


def with_address(url: str, address: str) -> str:
    """``url`` sent to ``address`` (the name already resolved in the container)."""
    from kubelearn.network.http import parse_url

    scheme, _, port, path = parse_url(url)
    return f"{scheme}://{address}:{port}{path}"


def libc(shell) -> str:
    return shell.values.get("libc", "glibc")


def timed_out_text(shell) -> str:
    """strerror(ETIMEDOUT) of the container's C library."""
    return "Operation timed out" if libc(shell) == "musl" else "Connection timed out"


def unreachable_text(shell) -> str:
    """strerror(EHOSTUNREACH) of the container's C library."""
    return "Host is unreachable" if libc(shell) == "musl" else "No route to host"


# -- nslookup (busybox, FEATURE_NSLOOKUP_BIG) ------------------------------------------------
NSLOOKUP_USAGE = (f"BusyBox v{BUSYBOX_VERSION} multi-call binary.\n\n"
                  "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
                  "Query DNS about HOST\n\n"
                  "QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any")
QUERY_TYPES = ("SOA", "NS", "A", "AAAA", "CNAME", "MX", "TXT", "PTR", "SRV", "ANY")
NO_SERVERS = ";; connection timed out; no servers could be reached\n\n"


def nslookup(shell, args: list[str]) -> int:
    """busybox's nslookup: A and AAAA queries (PTR for an address), sent at once to
    the first nameserver of /etc/resolv.conf (or the one named), a dotless name
    under each search domain, any other name as typed. Each answer is printed as it
    arrives; here in the order the queries were made. The exit code is 1 when any
    query got an error (NXDOMAIN), as busybox 1.36 returns it: ``nslookup web``
    prints web's address and still ends with code 1, for ``web.svc.cluster.local``
    and ``web.cluster.local`` do not exist."""
    types: list[str] = []
    words = list(args)
    while words and words[0].startswith("-"):
        option, _, value = words.pop(0)[1:].partition("=")
        if option in ("type", "querytype", "query", "q"):
            if value.upper() not in QUERY_TYPES:
                shell.error(f'nslookup: invalid query type "{value}"')
                return 1
            types.append(value.upper())
        elif option not in ("debug", "port", "retry", "t", "timeout"):
            shell.error(NSLOOKUP_USAGE)
            return 1
    if not words or len(words) > 2:
        shell.error(NSLOOKUP_USAGE)
        return 1
    name = words[0]
    net = shell.net
    conf = read_file(shell, "/etc/resolv.conf")
    if len(words) == 2:
        servers = [words[1]]
    else:
        servers = _nameservers(conf) if conf is not None else [dns.DNS_SERVICE_IP]
    for server in servers:
        try:
            address = resolve(shell, server)
        except dns.NXDomain:
            shell.error(f"nslookup: bad address '{server}'")
            return 1
        if _answers_dns(net.cluster, address):
            break
    else:
        shell.write(NO_SERVERS)
        return 1
    search = dns.parse_resolv_conf(conf)[0] if conf is not None else None
    text = f"Server:\t\t{server}\nAddress:\t{address}:53\n\n"
    code = 0
    for qtype, qname in _queries(name, types, net.namespace, search):
        reply, failed = _reply(net.cluster, qtype, qname)
        text += reply + "\n"
        code = code or failed
    shell.write(text)
    return code


def _nameservers(conf: str) -> list[str]:
    servers = [line.split()[1] for line in conf.splitlines()
               if line.split()[:1] == ["nameserver"] and len(line.split()) > 1]
    return servers or ["127.0.0.1"]       # busybox falls back to localhost


def _queries(name: str, types: list[str], namespace: str,
             search: list[str] | None) -> list[tuple[str, str]]:
    if not types:
        if dns.is_address(name):
            return [("PTR", dns.ptr_name(name))]
        types = ["A", "AAAA"]
    names = dns.nslookup_queries(name, namespace, search)
    return [(qtype, qname if qtype != "PTR" else name) for qtype in types for qname in
            (names if qtype != "PTR" else [name])]


def _reply(cluster, qtype: str, qname: str) -> tuple[str, int]:
    """One answer as busybox prints it, and whether it was an error."""
    if qtype == "PTR":
        target = _ptr_target(cluster, qname)
        if target is None:
            return f"** server can't find {qname}: NXDOMAIN\n", 1
        return f"{qname}\tname = {target}\n", 0
    rcode, addresses = dns.answer(cluster, qname)
    if rcode != dns.NOERROR:
        return f"** server can't find {qname}: {rcode}\n", 1
    if qtype != "A":
        return "", 0                       # NODATA: busybox prints only the blank line
    owner = qname.rstrip(".")
    return "".join(f"Name:\t{owner}\nAddress: {ip}\n" for ip in addresses), 0


def _ptr_target(cluster, qname: str) -> str | None:
    labels = qname.rstrip(".").lower().split(".")
    if labels[-2:] != ["in-addr", "arpa"] or len(labels) != 6:
        return None
    ip = ".".join(reversed(labels[:4]))
    return dns.reverse(cluster, ip) if dns.is_address(ip) else None


def _answers_dns(cluster, address: str) -> bool:
    """Does a DNS server answer at ``address``: the kube-dns Service (while a
    CoreDNS pod is ready behind it) or a ready CoreDNS pod itself."""
    store = cluster.api.store
    service = store.get("Service", "kube-system", "kube-dns") or {}
    endpoints = store.get("Endpoints", "kube-system", "kube-dns") or {}
    ready = [a.get("ip") for subset in endpoints.get("subsets") or ()
             for a in subset.get("addresses") or ()]
    if address in ((service.get("spec") or {}).get("clusterIPs") or ()):
        return bool(ready)
    return address in ready
