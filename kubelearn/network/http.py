"""HTTP requests into the cluster: ``cluster.http_get(url)`` and ``http_post``.

A request is one connection (``kube_proxy.route``) and one answer from the
app of the container that accepts it (``kubelet.serve_http``: the image's
routes, the app's access log line, a crash route ending the process). The
caller stands where a learner's terminal stands: on the machine that runs the
cluster, which reaches the nodes (``http://192.168.49.2:31000``), the Service
network (``http://10.108.72.66``) and pod IPs, and its own ``localhost`` only
where a tunnel or proxy listens. ``from_pod=("default", "client")`` sends the
request from inside a pod instead: Service names resolve as the pod's DNS
would (``web``, ``web.default``, ``web.default.svc.cluster.local``).

A request that gets no HTTP answer raises what a client library would report,
worded as curl words it: ``ConnectionRefused`` (``Failed to connect to
192.168.49.2 port 31000: Connection refused``), ``ConnectionTimedOut``,
``NoRouteToHost``, ``CouldNotResolveHost`` and ``EmptyReply`` (the process
died while answering, as ``/error`` makes it). All are ``ConnectionError``s.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kubelearn.network.dns import is_address
from kubelearn.network.proxy import (EMPTY_REPLY, NO_ROUTE, REFUSED, TIMED_OUT, Backend,
                                     Unreachable, kube_proxy, service_rule)

REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently",
           302: "Found", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable"}
CLUSTER_DOMAIN = "cluster.local"
_PROXY_PATH = re.compile(r"^/api/v1/namespaces/([^/]+)/services/([^/]+)/proxy(/.*)?$")


# -- errors --------------------------------------------------------------------
class HTTPConnectionError(ConnectionError):
    """No HTTP answer came back; ``str(err)`` is curl's description of why."""

    def __init__(self, message: str, host: str = "", port: int = 0):
        super().__init__(message)
        self.message, self.host, self.port = message, host, port

    def __str__(self) -> str:
        return self.message


class ConnectionRefused(HTTPConnectionError, ConnectionRefusedError):
    """Nothing listens there, or a Service has no ready endpoints (curl exit 7)."""


class ConnectionTimedOut(HTTPConnectionError, TimeoutError):
    """The packets went nowhere (curl exit 28 after its connect timeout)."""


class NoRouteToHost(HTTPConnectionError):
    """No machine has that address on the node network (curl exit 7)."""


class CouldNotResolveHost(HTTPConnectionError):
    """The name does not resolve (curl exit 6)."""


class EmptyReply(HTTPConnectionError):
    """The connection closed without an answer: the process died (curl exit 52)."""


_ERRORS = {REFUSED: ConnectionRefused, TIMED_OUT: ConnectionTimedOut, NO_ROUTE: NoRouteToHost}


# -- responses -----------------------------------------------------------------
@dataclass(frozen=True)
class Response:
    """One HTTP answer: ``status``, ``text``, ``headers`` and the ``pod``
    (``namespace/name``) that sent it."""
    status: int
    text: str
    headers: dict = field(default_factory=dict)
    pod: str = ""
    url: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400

    @property
    def reason(self) -> str:
        return REASONS.get(self.status, "")

    def json(self):
        return json.loads(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        who = f" from {self.pod}" if self.pod else ""
        return f"<Response [{self.status}]{who}>"


# -- requests ------------------------------------------------------------------
def request(cluster, method: str, url: str, data: str | bytes | dict | None = None, *,
            from_pod: tuple[str, str] | None = None,
            user_agent: str = "curl/8.5.0") -> Response:
    """Send one request and return the answer (or raise an HTTPConnectionError).

    ``from_pod`` (namespace, name) sends it from inside that pod: names resolve
    through the cluster DNS and ``localhost`` is the pod's own network namespace
    (its other containers), not the learner's machine."""
    scheme, host, port, path = parse_url(url)
    proxy = kube_proxy(cluster)
    client = ""
    if from_pod is not None:
        pod = cluster.api.store.get("Pod", from_pod[0], from_pod[1])
        client = ((pod or {}).get("status") or {}).get("podIP", "")
        try:
            host = resolve(cluster, host, from_pod[0])
        except CouldNotResolveHost:
            public = public_address(cluster, host, port)   # CoreDNS forwards it upstream
            if public is None:
                raise
            host, port = public
    elif not is_address(host) and host != "localhost":
        public = public_address(cluster, host, port)
        if public is None:
            raise CouldNotResolveHost(f"Could not resolve host: {host}", host, port)
        host, port = public
    if scheme == "https":
        raise HTTPConnectionError("OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version "
                                  "number", host, port)
    if host in ("127.0.0.1", "localhost") and from_pod is None:
        forward = proxy.host_ports.get(port)
        if forward is not None and forward.kind == "apiserver-proxy":
            return _apiserver_proxy(cluster, method, url, path, user_agent, data)
    try:
        backend = proxy.route(host, port, client=client, from_pod=from_pod)
    except Unreachable as gone:
        if gone.reason == EMPTY_REPLY:      # accepted, then closed (a broken port-forward)
            raise EmptyReply(EMPTY_REPLY, host, port) from None
        raise _ERRORS[gone.reason](f"Failed to connect to {host} port {port}: {gone.reason}",
                                   host, port) from None
    return _serve(cluster, backend, method, path, url, user_agent, host, port, data)


def public_address(cluster, host: str, port: int) -> tuple[str, int] | None:
    """Where public DNS and the cloud send a connection to ``host:port``, for a name a
    cloud published (an EKS LoadBalancer Service's ELB hostname): an address and port
    kube-proxy knows (a node's IP and node port), or None for a name nobody published.
    The cloud sets ``cluster.public_dns`` to a callable ``(host, port)`` that answers so,
    or raises an ``HTTPConnectionError`` (a listener that does not exist)."""
    resolver = getattr(cluster, "public_dns", None)
    return resolver(host, port) if resolver is not None else None


def _serve(cluster, backend, method: str, path: str, url: str, user_agent: str, host: str,
           port: int, data=None) -> Response:
    from kubelearn.node.kubelet import running_container, serve_http

    info = running_container(cluster, backend.namespace, backend.pod, backend.container)
    answer = serve_http(cluster, backend.namespace, backend.pod, backend.container, path,
                        method=method, client=backend.client, port=backend.port,
                        user_agent=user_agent, body=data)
    cluster.run_now()
    if answer is None:
        raise ConnectionRefused(f"Failed to connect to {host} port {port}: {REFUSED}", host,
                                port)
    if answer.get("crash"):
        raise EmptyReply("Empty reply from server", host, port)
    body = answer.get("body", "")
    headers = {}
    app = (info or {}).get("app") or {}
    server = _server_header(app)
    if server:
        headers["Server"] = server
    headers.update((app.get("http") or {}).get("headers") or {})
    headers["Content-Type"] = answer.get("content_type", "text/plain")
    headers["Content-Length"] = str(len(body.encode()))
    return Response(answer.get("status", 200), body, headers,
                    f"{backend.namespace}/{backend.pod}", url)


def _server_header(app: dict) -> str:
    """nginx names itself in a ``Server`` header; the course's apps do not."""
    argv = list(app.get("args") or ()) or list(app.get("command") or ())
    if argv[:1] == ["nginx"] and app.get("version"):
        return f"nginx/{app['version']}"
    return ""


# -- kubectl proxy (what minikube dashboard opens) -------------------------------
def _apiserver_proxy(cluster, method: str, url: str, path: str, user_agent: str,
                     data=None) -> Response:
    """``/api/v1/namespaces/NS/services/[scheme:]NAME[:port]/proxy/PATH``: the API
    server's service proxy, reached through ``kubectl proxy``."""
    match = _PROXY_PATH.match(path.split("?", 1)[0])
    if match is None:
        return Response(404, "404 page not found\n",
                        {"Content-Type": "text/plain; charset=utf-8"}, "", url)
    namespace, target, rest = match.group(1), match.group(2), match.group(3) or "/"
    parts = target.split(":")          # utilnet.SplitSchemeNamePort: [scheme:]name[:port]
    name = parts[1] if len(parts) == 3 else parts[0]
    if len(parts) > 3 or not name:
        return _status(400, "BadRequest", f'invalid service request "{target}"', url)
    port_name = parts[-1] if len(parts) >= 2 else ""
    proxy = kube_proxy(cluster)
    service = cluster.api.store.get("Service", namespace, name)
    if service is None:
        return _status(404, "NotFound", f'services "{name}" not found', url, name, "services")
    ports = (service.get("spec") or {}).get("ports") or []
    chosen = next((p for p in ports if port_name and (p.get("name") == port_name
                                                      or str(p.get("port")) == port_name)),
                  ports[0] if ports and not port_name else None)
    endpoints = proxy.ready_endpoints(namespace, name, chosen) if chosen else []
    if not endpoints:
        return _status(503, "ServiceUnavailable",
                       f'no endpoints available for service "{target}"', url)
    pod_name, number, _ = proxy.pick(service_rule(service, chosen, "host"), endpoints, "")
    pod = cluster.api.store.get("Pod", namespace, pod_name)
    container = proxy.listener(pod, number) if pod is not None else None
    if container is None:
        return _status(503, "ServiceUnavailable", f'error trying to reach service: dial tcp '
                       f'{((pod or {}).get("status") or {}).get("podIP", "")}:{number}: '
                       f'connect: connection refused', url)
    backend = Backend(namespace, pod_name, container, number, f"{namespace}/{name}", "host")
    return _serve(cluster, backend, method, rest, url, user_agent, "127.0.0.1", 0, data)


def _status(code: int, reason: str, message: str, url: str, name: str = "",
            kind: str = "") -> Response:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason}
    if name:
        body["details"] = {"name": name, "kind": kind}
    body["code"] = code
    return Response(code, json.dumps(body, indent=2) + "\n",
                    {"Content-Type": "application/json"}, "", url)


# -- URLs and names ----------------------------------------------------------------
def parse_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path-with-query) of an ``http://`` URL; a bare
    ``host:port/path`` is taken as http, as curl does."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise HTTPConnectionError(f'Protocol "{scheme}" not supported')
    if not parts.hostname:
        raise HTTPConnectionError("URL rejected: No host part in the URL")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise HTTPConnectionError("URL rejected: Port number was not a decimal number between "
                                  "0 and 65535") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port, path


def resolve(cluster, host: str, namespace: str) -> str:
    """What getaddrinfo in a pod of ``namespace`` answers for ``host`` (the cluster DNS,
    ``kubelearn.network.dns``): its first address, or CouldNotResolveHost. An IP
    literal and ``localhost`` stay as they are (the pod's own network decides)."""
    from kubelearn.network import dns

    if is_address(host) or host == "localhost":
        return host
    try:
        return dns.resolve(cluster, host, namespace)[0]
    except dns.NXDomain:
        raise CouldNotResolveHost(f"Could not resolve host: {host}", host) from None
