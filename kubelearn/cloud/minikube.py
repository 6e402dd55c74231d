"""minikube's command line, for ``cluster.minikube("service web --url")``.

The cluster plays a minikube profile named ``minikube`` on the **docker driver
on Linux** (node IP ``192.168.49.2``, as ``Cluster.minikube()`` boots it). That
choice fixes which of minikube's behaviours apply, as in minikube's source:

* ``minikube service NAME`` prints the bordered table with the direct
  NodePort URL ``http://192.168.49.2:NODEPORT`` (on Linux the docker network
  is reachable from the host, so no port-forward tunnel is needed) and
  "Opening service ... in default browser...". ``--url`` prints only the
  URL(s). The TARGET PORT column shows what minikube's ``printURLsForService``
  puts there: the Service ``port`` (``name/port`` for a named port). A
  ClusterIP service has no node port: minikube says so, then opens an SSH
  tunnel to ``http://127.0.0.1:PORT`` (reachable with ``cluster.http_get``);
* ``minikube tunnel`` is the route-mode tunnel: it routes the Service CIDR
  through the node and its load balancer emulator sets each LoadBalancer
  Service's ingress IP to its ClusterIP, checking every 5 s. It prints the
  tunnel's ``Status:`` report;
* ``minikube dashboard`` enables the dashboard addon (namespace
  ``kubernetes-dashboard``, Deployments ``kubernetes-dashboard`` and
  ``dashboard-metrics-scraper``), waits for it, starts ``kubectl proxy`` on a
  127.0.0.1 port and prints the URL, which ``cluster.http_get`` can open. The
  interactive dashboard in a notebook is ``cluster.dashboard()``
  (``kubelearn.widgets.Dashboard``);
* ``minikube addons enable csi-hostpath-driver`` installs the CSI host-path
  driver (``hostpath.csi.k8s.io``), ``addons enable dashboard`` the dashboard
  (``kubelearn.cloud.minikube_addons``).

Commands that block in a terminal (``tunnel``, ``dashboard``, a ``service``
tunnel) return at once here, and what they started lasts for the rest of the
session; ``tunnel`` and ``dashboard`` move simulated time on by what they wait
for (the tunnel's first check, the dashboard becoming healthy). Running
``tunnel`` again reports the running tunnel.

On a cluster that is not minikube's (``Cluster()`` is kubeadm's) every command
fails as minikube does without the profile. Output, streams and exit codes
follow minikube's ``out`` package: step lines go to stdout, warnings (❗) and
"Exiting due to" errors to stderr, with minikube's ``reason`` exit codes.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from kubelearn.kubectl.result import KubectlResult

PROFILE = "minikube"
EPHEMERAL_PORTS = (32768, 60999)       # Linux ip_local_port_range: where ssh / proxy listen
EX_PROGRAM_USAGE = 14                  # reason.ExProgramUsage
EX_GUEST_NOT_FOUND = 85                # reason.ExGuestNotFound
EX_SVC_NOT_FOUND = 115                 # reason.ExSvcNotFound
DASHBOARD_IMAGE = "docker.io/kubernetesui/dashboard:v2.7.0"
SCRAPER_IMAGE = "docker.io/kubernetesui/metrics-scraper:v1.0.8"
DASHBOARD_PROXY_PATH = ("/api/v1/namespaces/kubernetes-dashboard/services/"
                        "http:kubernetes-dashboard:/proxy/")
# minikube's top-level commands (cobra suggests among them for a typo); help and
# completion are cobra's own.
COMMANDS = ("addons", "cache", "completion", "config", "cp", "dashboard", "delete",
            "docker-env", "help", "image", "ip", "kubectl", "license", "logs", "mount", "node",
            "options", "pause", "podman-env", "profile", "service", "ssh", "ssh-host", "ssh-key",
            "start", "status", "stop", "tunnel", "unpause", "update-check", "update-context",
            "version")
SIMULATED = ("addons", "dashboard", "ip", "service", "status", "tunnel")


@dataclass(frozen=True, repr=False)
class MinikubeResult(KubectlResult):
    """stdout, stderr and exit code as minikube leaves them, plus ``chunks``: the
    ``(stream, text)`` pieces in the order a terminal shows them."""
    chunks: tuple = ()

    @property
    def transcript(self) -> str:
        """Both streams interleaved, as a terminal shows them."""
        return "".join(text for _, text in self.chunks)

    def __str__(self) -> str:
        return (self.transcript or self.stdout + self.stderr).rstrip("\n")


@dataclass
class _Output:
    chunks: list[tuple[str, str]] = field(default_factory=list)

    def out(self, text: str) -> None:
        self.chunks.append(("stdout", text))

    def err(self, text: str) -> None:
        self.chunks.append(("stderr", text))

    def result(self, code: int = 0) -> MinikubeResult:
        return MinikubeResult("".join(t for s, t in self.chunks if s == "stdout"),
                              "".join(t for s, t in self.chunks if s == "stderr"), code,
                              tuple(self.chunks))


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


@dataclass
class MinikubeState:
    """What minikube commands leave behind in a cluster's session."""
    dashboard_enabled: bool = False
    service_tunnels: dict = field(default_factory=dict)   # (ns, name, port) -> local port


def state(cluster) -> MinikubeState:
    found = cluster.__dict__.get("_minikube_state")
    if found is None:
        found = cluster.__dict__["_minikube_state"] = MinikubeState()
    return found


# -- entry point -------------------------------------------------------------
def run(cluster, command: str) -> MinikubeResult:
    """Run one minikube command line (``"service web --url"``; a leading ``minikube``
    is allowed) against ``cluster`` (None: no cluster at all, so no profile)."""
    out = _Output()
    try:
        args = shlex.split(command)
    except ValueError as bad:
        out.err(f"Error: {bad}\n")
        return out.result(EX_PROGRAM_USAGE)
    if args[:1] == ["minikube"]:
        args = args[1:]
    try:
        profile, args = _global_flags(args)
        if not args:
            out.err("Error: a minikube command is required, e.g. \"service\", \"ip\", "
                    "\"status\", \"tunnel\" or \"dashboard\"\nRun 'minikube --help' for usage.\n")
            raise _Exit(EX_PROGRAM_USAGE)
        name, rest = args[0], args[1:]
        if name not in COMMANDS:
            _unknown_command(out, name)
        if name not in SIMULATED:
            out.err(f"kubelearn: `minikube {name}` is not simulated; kubelearn's minikube "
                    f"knows {', '.join(SIMULATED)}.\n")
            raise _Exit(1)
        _require_profile(cluster, out, profile)
        code = _COMMANDS[name](cluster, out, rest)
    except _Exit as done:
        code = done.code
    if cluster is not None:
        cluster.run_now()
    return out.result(code)


def run_without_cluster(command: str) -> MinikubeResult:
    """minikube before any ``minikube start``: every command finds no profile."""
    return run(None, command)


def _global_flags(args: list[str]) -> tuple[str, list[str]]:
    profile, rest, i = PROFILE, [], 0
    while i < len(args):
        arg = args[i]
        if arg in ("-p", "--profile") and i + 1 < len(args):
            profile, i = args[i + 1], i + 2
            continue
        if arg.startswith("--profile="):
            profile = arg.split("=", 1)[1]
        elif arg.startswith("-p") and len(arg) > 2 and not rest:
            profile = arg[2:].lstrip("=")
        else:
            rest.append(arg)
        i += 1
    return profile, rest


def _require_profile(cluster, out: _Output, profile: str) -> None:
    """mustload: a profile that does not exist stops every command."""
    if cluster is not None and cluster.flavour == "minikube" and \
            profile == cluster.profile.cluster_name:
        return
    start = "minikube start" if profile == PROFILE else f"minikube start -p {profile}"
    out.out(f'🤷  Profile "{profile}" not found. Run "minikube profile list" to view all '
            f'profiles.\n')
    out.out(f'👉  To start a cluster, run: "{start}"\n')
    raise _Exit(EX_GUEST_NOT_FOUND)


def _unknown_command(out: _Output, name: str) -> None:
    """cobra's error for an unknown command, with its "Did you mean this?" suggestions."""
    suggestions = [c for c in COMMANDS if c != "help" and
                   (_levenshtein(name.lower(), c) <= 2 or c.startswith(name.lower()))]
    text = f'Error: unknown command "{name}" for "minikube"\n'
    if suggestions:
        text += "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions)
    out.err(text + "\nRun 'minikube --help' for usage.\n" if suggestions
            else text + "Run 'minikube --help' for usage.\n")
    raise _Exit(EX_PROGRAM_USAGE)


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _fatal(out: _Output, reason: str, message: str, code: int) -> None:
    """exit.Message: a blank line, ``❌  Exiting due to REASON: message`` on stderr, a
    blank line."""
    out.out("\n")
    out.err(f"❌  Exiting due to {reason}: {message}\n")
    out.out("\n")
    raise _Exit(code)


def _flags(out: _Output, command: str, args: list[str], spec: dict[str, str]):
    """Parse ``args`` against ``spec`` ({"--url": "bool", "-n": "--namespace", ...}):
    (flags, positional). Unknown flags fail as cobra's flag parser does."""
    flags, positional, i = {}, [], 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            i += 1
            continue
        name, _, value = arg.partition("=")
        canonical = spec.get(name)
        if canonical is not None and canonical.startswith("--"):
            name, canonical = canonical, spec[canonical]
        if canonical is None:
            label = (f"unknown shorthand flag: '{name[1]}' in {arg}" if not
                     name.startswith("--") else f"unknown flag: {name}")
            out.err(f"Error: {label}\n")
            raise _Exit(EX_PROGRAM_USAGE)
        if canonical == "bool":
            flags[name] = value.lower() not in ("false", "0") if value else True
        else:
            if not value:
                if i + 1 >= len(args):
                    out.err(f"Error: flag needs an argument: {name}\n")
                    raise _Exit(EX_PROGRAM_USAGE)
                value, i = args[i + 1], i + 1
            flags[name] = value
        i += 1
    return flags, positional


# -- minikube ip / status ----------------------------------------------------------
def _ip(cluster, out: _Output, args: list[str]) -> int:
    _flags(out, "ip", args, {"-n": "--node", "--node": "str"})
    out.out(cluster.profile.control_plane_node.ip + "\n")
    return 0


def _status(cluster, out: _Output, args: list[str]) -> int:
    _flags(out, "status", args, {})
    name = cluster.profile.cluster_name
    out.out(f"{name}\ntype: Control Plane\nhost: Running\nkubelet: Running\n"
            f"apiserver: Running\nkubeconfig: Configured\n\n")
    return 0


# -- minikube service ----------------------------------------------------------------
def _service(cluster, out: _Output, args: list[str]) -> int:
    flags, names = _flags(out, "service", args, {
        "-n": "--namespace", "--namespace": "str", "--url": "bool", "--https": "bool",
        "--wait": "str", "--interval": "str", "--format": "str"})
    if len(names) != 1:
        _fatal(out, "MK_USAGE", "You must specify a service name", EX_PROGRAM_USAGE)
    name, namespace = names[0], flags.get("--namespace", "default")
    url_mode, scheme = flags.get("--url", False), "https" if flags.get("--https") else "http"
    service = cluster.api.store.get("Service", namespace, name)
    if service is None or not (service.get("spec") or {}).get("ports"):
        _fatal(out, "SVC_NOT_FOUND",
               f"Service '{name}' was not found in '{namespace}' namespace.\n"
               f"You may select another namespace by using 'minikube service {name} -n "
               f"<namespace>'. Or list out all the services using 'minikube service list'",
               EX_SVC_NOT_FOUND)
    ip = cluster.profile.control_plane_node.ip
    urls, port_names = [], []
    for port in service["spec"]["ports"]:
        if port.get("nodePort"):
            urls.append(f"{scheme}://{ip}:{port['nodePort']}")
            port_names.append(f"{port['name']}/{port['port']}" if port.get("name")
                              else str(port["port"]))
    if urls:
        if not url_mode:
            out.out(service_table([[namespace, name, "\n".join(port_names), "\n".join(urls)]]))
        for url in urls:
            out.out(f"{url}\n" if url_mode else
                    f"🎉  Opening service {namespace}/{name} in default browser...\n")
        return 0
    if not url_mode:
        out.out(service_table([[namespace, name, "", "No node port"]]))
    out.out(f"😿  service {namespace}/{name} has no node port\n")
    out.err(f'❗  Services [{namespace}/{name}] have type "ClusterIP" not meant to be exposed, '
            f"however for local development minikube allows you to access this !\n")
    return _service_tunnel(cluster, out, service, url_mode)


def _service_tunnel(cluster, out: _Output, service: dict, url_mode: bool) -> int:
    """startKicServiceTunnel: an ssh tunnel per Service port on 127.0.0.1."""
    from kubelearn.network.proxy import HostForward, kube_proxy

    meta = service["metadata"]
    namespace, name = meta.get("namespace", ""), meta["name"]
    out.out(f"🏃  Starting tunnel for service {name}.\n")
    tunnels = state(cluster).service_tunnels
    proxy = kube_proxy(cluster)
    urls = []
    for port in service["spec"]["ports"]:
        key = (namespace, name, port["port"])
        local = tunnels.get(key)
        if local is None:
            local = tunnels[key] = _free_local_port(cluster)
            proxy.host_ports[local] = HostForward("service", namespace, name, port["port"],
                                                  "minikube service")
        urls.append(f"http://127.0.0.1:{local}")
    if url_mode:
        for url in urls:
            out.out(url + "\n")
    else:
        out.out(service_table([[namespace, name, "", "\n".join(urls)]]))
        for _ in urls:
            out.out(f"🎉  Opening service {namespace}/{name} in default browser...\n")
    out.err("❗  Because you are using a Docker driver on linux, the terminal needs to be open "
            "to run it.\n")
    return 0


def _free_local_port(cluster) -> int:
    from kubelearn.network.proxy import kube_proxy

    taken = kube_proxy(cluster).host_ports
    low, high = EPHEMERAL_PORTS
    while True:
        port = cluster.rng.randint(low, high)
        if port not in taken:
            return port


def service_table(rows: list[list[str]]) -> str:
    """minikube's ``PrintServiceList``: a bordered table, header cells centred,
    TARGET PORT right-aligned, the other columns left-aligned; a cell with
    several lines (several ports) takes several lines."""
    header = ["NAMESPACE", "NAME", "TARGET PORT", "URL"]
    split = [[cell.split("\n") for cell in row] for row in rows]
    widths = [len(h) for h in header]
    for row in split:
        for i, lines in enumerate(row):
            widths[i] = max([widths[i]] + [len(line) for line in lines])
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|\n"

    def centred(text: str, width: int) -> str:
        gap = width - len(text)
        return " " * (gap // 2) + text + " " * (gap - gap // 2)

    text = rule + "| " + " | ".join(centred(h, w) for h, w in zip(header, widths)) + " |\n"
    text += rule
    for row in split:
        height = max(len(lines) for lines in row)
        for n in range(height):
            cells = [lines[n] if n < len(lines) else "" for lines in row]
            text += "| " + " | ".join(cell.rjust(w) if i == 2 else cell.ljust(w)
                                      for i, (cell, w) in enumerate(zip(cells, widths))) + " |\n"
    return text + rule


# -- minikube tunnel --------------------------------------------------------------------
def _tunnel(cluster, out: _Output, args: list[str]) -> int:
    from kubelearn.controllers.service import TUNNEL_CHECK_SECONDS, service_controller
    from kubelearn.network.ipam import SERVICE_CIDR

    _flags(out, "tunnel", args, {"-c": "--cleanup", "--cleanup": "bool",
                                 "--bind-address": "str"})
    controller = service_controller(cluster)
    if controller is None:
        out.err("kubelearn: this cluster runs no service controller\n")
        raise _Exit(1)
    route = f"{SERVICE_CIDR} -> {cluster.profile.control_plane_node.ip}"
    tunnel = controller.tunnel or controller.start_tunnel(
        cluster.rng.randint(10_000, 99_999), route)
    cluster.advance(TUNNEL_CHECK_SECONDS)       # the first check patches the services
    services = ", ".join(controller.patched_services())
    out.out(f"Status:\t\n\tmachine: {cluster.profile.cluster_name}\n\tpid: {tunnel.pid}\n"
            f"\troute: {tunnel.route}\n\tminikube: Running\n\tservices: [{services}]\n"
            f"    errors: \n\t\tminikube: no errors\n\t\trouter: no errors\n"
            f"\t\tloadbalancer emulator: no errors\n")
    return 0


# -- minikube dashboard -------------------------------------------------------------------
def _dashboard(cluster, out: _Output, args: list[str]) -> int:
    """Enable the dashboard addon, wait for it, start ``kubectl proxy`` and print the URL.
    (The ipywidgets dashboard is ``cluster.dashboard()``; this prints only what minikube
    prints, so notebook outputs stay those of a terminal.)"""
    from kubelearn.network.proxy import HostForward, kube_proxy

    flags, _ = _flags(out, "dashboard", args, {"--url": "bool", "--port": "str"})
    mk = state(cluster)
    if not mk.dashboard_enabled:
        out.out("🔌  Enabling dashboard ...\n")
        out.out(f"    ▪ Using image {DASHBOARD_IMAGE}\n")
        out.out(f"    ▪ Using image {SCRAPER_IMAGE}\n")
        out.out("💡  Some dashboard features require the metrics-server addon. To enable all "
                "features please run:\n\n\tminikube addons enable metrics-server\n\n\n")
        enable_dashboard(cluster)
        mk.dashboard_enabled = True
    out.out("🤔  Verifying dashboard health ...\n")
    _wait_available(cluster, "kubernetes-dashboard",
                    ("kubernetes-dashboard", "dashboard-metrics-scraper"))
    out.out("🚀  Launching proxy ...\n")
    wanted = flags.get("--port", "0")
    port = int(wanted) if wanted.isdigit() and int(wanted) else _free_local_port(cluster)
    kube_proxy(cluster).host_ports[port] = HostForward("apiserver-proxy",
                                                       opened_by="minikube dashboard")
    out.out("🤔  Verifying proxy health ...\n")
    url = f"http://127.0.0.1:{port}{DASHBOARD_PROXY_PATH}"
    out.out(f"{url}\n" if flags.get("--url") else f"🎉  Opening {url} in your default "
                                                      f"browser...\n")
    return 0


def _wait_available(cluster, namespace: str, names: tuple[str, ...], limit: float = 300):
    waited = 0.0
    while waited < limit:
        ready = all(((cluster.api.store.get("Deployment", namespace, n) or {}).get("status")
                     or {}).get("availableReplicas", 0) >= 1 for n in names)
        if ready:
            return
        cluster.advance(1)
        waited += 1


def enable_dashboard(cluster) -> None:
    """What ``minikube addons enable dashboard`` applies (the parts a learner sees):
    the namespace, both Deployments and their Services; the images go into the registry
    as minikube's addon images."""
    from kubelearn.cloud import dashboard_addon

    for image in dashboard_addon.images():
        name, tag = image["ref"].rsplit(":", 1)
        if f"{name}:{tag}" not in cluster.registry:
            cluster.registry.push(name, tag, size=image["size"], app=image["app"])
    for obj in dashboard_addon.objects():
        kind, meta = obj["kind"], obj["metadata"]
        if cluster.api.store.get(kind, meta.get("namespace", ""), meta["name"]) is None:
            cluster.api.create(obj)
            cluster.run_now()


def _addons(cluster, out: _Output, args: list[str]) -> int:
    from kubelearn.cloud.minikube_addons import addons

    return addons(cluster, out, args)


_COMMANDS = {"ip": _ip, "status": _status, "service": _service, "tunnel": _tunnel,
             "dashboard": _dashboard, "addons": _addons}
