"""Cluster DNS: what CoreDNS answers for ``cluster.local``, and the resolvers that ask it.

CoreDNS's ``kubernetes`` plugin answers from the API objects (its informers),
so the answers here are read from the store at the moment of the query:

* ``<service>.<namespace>.svc.cluster.local`` -> the Service's cluster IP; for
  a headless Service (``clusterIP: None``) the ready addresses of its
  Endpoints, in the order the Endpoints object lists them;
* ``<hostname>.<service>.<namespace>.svc.cluster.local`` -> the endpoint with
  that hostname (a StatefulSet pod), or ``10-244-0-5.web.default.svc...`` -> that
  endpoint's address;
* ``<a-b-c-d>.<namespace>.pod.cluster.local`` -> ``a.b.c.d`` (``pods insecure``,
  the Corefile kubeadm and minikube install: the name is not checked against pods);
* the zone's own names (``cluster.local``, ``svc.cluster.local``, a namespace's
  ``default.svc.cluster.local``) exist but carry no address (NODATA);
* anything else in the zone does not exist (NXDOMAIN).

Names outside ``cluster.local`` go to CoreDNS's ``forward`` plugin and the
node's upstream resolver. The course runs offline, so none of them resolves:
they answer NXDOMAIN, as a name with no such top-level domain
(``kubernetes.default``) does on a real cluster.

A pod asks through ``/etc/resolv.conf``, which the kubelet writes for
``dnsPolicy: ClusterFirst`` (``resolv_conf``): the search list
``<ns>.svc.cluster.local svc.cluster.local cluster.local`` and ``ndots:5``.
Two resolvers read it differently, and that difference is a lesson:

* ``resolve`` is getaddrinfo (glibc, musl): what curl, wget's connection, Node.js
  and every program use. A name with fewer than ``ndots`` dots goes through the
  search list first, so ``web``, ``web.default`` and ``web.default.svc`` all find
  ``web.default.svc.cluster.local``;
* ``nslookup_queries`` is busybox's ``nslookup`` (1.30 and later), which speaks
  DNS itself and only applies the search list to a name without any dot:
  ``nslookup web.default`` asks for ``web.default`` as it is and gets NXDOMAIN,
  although ``wget http://web.default`` in the same container works
  (docker-library/busybox#48 and #61, busybox bug 11161).
"""
from __future__ import annotations

import ipaddress

CLUSTER_DOMAIN = "cluster.local"
DNS_SERVICE_IP = "10.96.0.10"        # kubeadm's and minikube's kube-dns cluster IP
NDOTS = 5
NOERROR, NXDOMAIN = "NOERROR", "NXDOMAIN"
HOSTS_HEADER = "# Kubernetes-managed hosts file.\n"
_HOSTS_STATIC = ("127.0.0.1\tlocalhost\n"
                 "::1\tlocalhost ip6-localhost ip6-loopback\n"
                 "fe00::0\tip6-localnet\n"
                 "fe00::0\tip6-mcastprefix\n"
                 "fe00::1\tip6-allnodes\n"
                 "fe00::2\tip6-allrouters\n")


class NXDomain(LookupError):
    """No address for ``name`` (getaddrinfo's EAI_NONAME: curl's "Could not resolve host")."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


# -- the pod's resolver configuration ---------------------------------------------------
def search_domains(namespace: str) -> list[str]:
    """The search list of a ClusterFirst pod in ``namespace``."""
    return [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]


def resolv_conf(namespace: str, *, runtime: str = "containerd", dns_config: dict | None = None,
                policy: str = "ClusterFirst") -> str:
    """The ``/etc/resolv.conf`` the kubelet has the runtime write for a pod.

    ClusterFirst (and ClusterFirstWithHostNet): the cluster's nameserver, its
    search list and ``ndots:5``, merged with ``spec.dnsConfig`` (nameservers and
    searches appended, options replacing the same name); ``None``: the dnsConfig
    alone. The line order is the runtime's: containerd's ``parseDNSOptions``
    writes ``search``, ``nameserver``, ``options``; cri-dockerd's
    ``rewriteResolvFile`` (minikube's docker runtime) ``nameserver`` first."""
    config = dns_config or {}
    if policy == "None":
        servers, searches, options = [], [], []
    else:
        servers, searches, options = [DNS_SERVICE_IP], search_domains(namespace), ["ndots:5"]
    servers = (servers + list(config.get("nameservers") or ()))[:3]
    for domain in config.get("searches") or ():
        if domain not in searches:
            searches.append(domain)
    for option in config.get("options") or ():
        name = option.get("name", "")
        value = option.get("value")
        text = f"{name}:{value}" if value is not None else name
        options = [o for o in options if o.split(":", 1)[0] != name] + [text]
    lines = {"search": [f"search {' '.join(searches)}"] if searches else [],
             "nameserver": [f"nameserver {s}" for s in servers],
             "options": [f"options {' '.join(options)}"] if options else []}
    order = ("nameserver", "search", "options") if runtime == "docker" else (
        "search", "nameserver", "options")
    return "".join(line + "\n" for key in order for line in lines[key])


def hosts_file(pod: dict, pod_ip: str) -> str:
    """The ``/etc/hosts`` the kubelet writes (managedHostsFileContent): localhost, the
    IPv6 names, the pod's own IP and hostname (``host.subdomain.ns.svc.cluster.local
    host`` with a subdomain) and the pod's ``hostAliases``."""
    meta, spec = pod["metadata"], pod.get("spec") or {}
    hostname = (spec.get("hostname") or meta["name"])[:63].rstrip("-.")
    text = HOSTS_HEADER + _HOSTS_STATIC
    if pod_ip:
        if spec.get("subdomain"):
            domain = f"{spec['subdomain']}.{meta.get('namespace', 'default')}.svc.{CLUSTER_DOMAIN}"
            text += f"{pod_ip}\t{hostname}.{domain}\t{hostname}\n"
        else:
            text += f"{pod_ip}\t{hostname}\n"
    aliases = spec.get("hostAliases") or []
    if aliases:
        text += "\n# Entries added by HostAliases.\n"
        for alias in aliases:
            text += f"{alias.get('ip', '')}\t{chr(9).join(alias.get('hostnames') or ())}\n"
    return text


def pod_files(pod: dict, pod_ip: str, runtime: str = "containerd") -> dict[str, str]:
    """The files the kubelet puts in every container of a pod on the pod network:
    ``/etc/hosts`` and ``/etc/resolv.conf``. A hostNetwork pod sees its node's files
    (not simulated: none are written), and so does ``dnsPolicy: Default`` for its
    resolv.conf."""
    spec = pod.get("spec") or {}
    if spec.get("hostNetwork"):
        return {}
    files = {"/etc/hosts": hosts_file(pod, pod_ip)}
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy != "Default":
        files["/etc/resolv.conf"] = resolv_conf(
            pod["metadata"].get("namespace") or "default", runtime=runtime,
            dns_config=spec.get("dnsConfig"), policy=policy)
    return files


# -- CoreDNS ---------------------------------------------------------------------------------
def answer(cluster, qname: str) -> tuple[str, list[str]]:
    """CoreDNS's answer to an A query: (rcode, addresses). ``NOERROR`` with no
    address is NODATA (the name exists, it has no A record)."""
    name = qname.rstrip(".").lower()
    if name == CLUSTER_DOMAIN:
        return NOERROR, []
    if not name.endswith("." + CLUSTER_DOMAIN):
        return NXDOMAIN, []          # forwarded upstream; the course is offline
    labels = name[:-len(CLUSTER_DOMAIN) - 1].split(".")
    store = cluster.api.store
    if labels[-1] == "svc":
        if len(labels) == 1:
            return NOERROR, []
        if len(labels) == 2:
            return (NOERROR, []) if store.get("Namespace", "", labels[0]) else (NXDOMAIN, [])
        if len(labels) == 3:
            return _found(_service_ips(cluster, labels[1], labels[0]))
        if len(labels) == 4:
            return _found(_endpoint_ip(cluster, labels[2], labels[1], labels[0]))
        return NXDOMAIN, []
    if labels[-1] == "pod":
        if len(labels) == 1:
            return NOERROR, []
        if len(labels) == 2:
            return (NOERROR, []) if store.get("Namespace", "", labels[0]) else (NXDOMAIN, [])
        if len(labels) == 3 and store.get("Namespace", "", labels[1]) is not None:
            ip = _dashed_ip(labels[0])
            return _found([ip] if ip else None)
    return NXDOMAIN, []


def lookup(cluster, fqdn: str) -> list[str] | None:
    """The A records of an absolute name (trailing dot optional), or None when it
    has none (NXDOMAIN or NODATA). ExternalName Services answer a CNAME to a name
    outside the cluster, which the offline course cannot follow: None."""
    rcode, addresses = answer(cluster, fqdn)
    return addresses or None


def reverse(cluster, ip: str) -> str | None:
    """CoreDNS's PTR answer for ``ip``: a Service's cluster IP -> its name; an
    endpoint's address -> ``<hostname or a-b-c-d>.<service>.<ns>.svc.cluster.local``
    (the first Service, by name, of the pod's namespace that lists it)."""
    from kubelearn.network.proxy import kube_proxy

    rules = kube_proxy(cluster).rules
    store = cluster.api.store
    key = rules.addresses.best.get(ip)
    if key is not None:
        service = store.get("Service", *key) or {}
        if ip in ((service.get("spec") or {}).get("clusterIPs") or ()):
            return f"{key[1]}.{key[0]}.svc.{CLUSTER_DOMAIN}"
    pod_key = rules.pod_ips.best.get(ip)
    if pod_key is None:
        return None
    for endpoints in store.list("Endpoints", pod_key[0]):
        for subset in endpoints.get("subsets") or ():
            for address in subset.get("addresses") or ():
                if address.get("ip") == ip:
                    host = address.get("hostname") or ip.replace(".", "-")
                    return (f"{host}.{endpoints['metadata']['name']}.{pod_key[0]}.svc."
                            f"{CLUSTER_DOMAIN}")
    return None


def ptr_name(ip: str) -> str:
    """``10.96.0.10`` -> ``10.0.96.10.in-addr.arpa``."""
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa"


def _found(addresses: list[str] | None) -> tuple[str, list[str]]:
    return (NOERROR, addresses) if addresses else (NXDOMAIN, [])


def _service_ips(cluster, namespace: str, name: str) -> list[str] | None:
    service = cluster.api.store.get("Service", namespace, name)
    if service is None:
        return None
    spec = service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return None                  # a CNAME to spec.externalName: outside the offline course
    ips = list(spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []))
    if ips and ips[0] != "None":
        return ips[:1]
    return _endpoint_ips(cluster, namespace, name) or None


def _endpoint_addresses(cluster, namespace: str, name: str) -> list[dict]:
    endpoints = cluster.api.store.get("Endpoints", namespace, name) or {}
    return [address for subset in endpoints.get("subsets") or ()
            for address in subset.get("addresses") or ()]


def _endpoint_ips(cluster, namespace: str, name: str) -> list[str]:
    seen: list[str] = []
    for address in _endpoint_addresses(cluster, namespace, name):
        if address.get("ip") and address["ip"] not in seen:
            seen.append(address["ip"])
    return seen


def _endpoint_ip(cluster, namespace: str, service: str, host: str) -> list[str] | None:
    if cluster.api.store.get("Service", namespace, service) is None:
        return None
    for address in _endpoint_addresses(cluster, namespace, service):
        ip = address.get("ip", "")
        if address.get("hostname") == host or ip.replace(".", "-") == host:
            return [ip]
    return None


def _dashed_ip(label: str) -> str | None:
    try:
        return str(ipaddress.IPv4Address(label.replace("-", ".")))
    except ValueError:
        return None


def is_address(host: str) -> bool:
    """An IPv4 or IPv6 literal (``[::1]`` too). A name that cannot be one (it starts
    with a letter and has no colon) is turned away without parsing: resolving runs
    on every request a pod sends."""
    if not host or not (host[0].isdigit() or host[0] == "[" or ":" in host):
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


# -- resolvers ---------------------------------------------------------------------------------
def parse_resolv_conf(text: str) -> tuple[list[str], int]:
    """(search list, ndots) of a resolv.conf (the last ``search`` line wins)."""
    search: list[str] = []
    ndots = 1
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] in ("search", "domain"):
            search = words[1:]
        elif words[0] == "options":
            for option in words[1:]:
                if option.startswith("ndots:") and option[6:].isdigit():
                    ndots = min(int(option[6:]), 15)
    return search, ndots


def hosts_lookup(hosts: str, name: str) -> str | None:
    """The first IPv4 address ``/etc/hosts`` gives ``name`` (nsswitch ``files``)."""
    wanted = name.rstrip(".").lower()
    for line in hosts.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and wanted in (w.lower() for w in words[1:]):
            if "." in words[0] and is_address(words[0]):
                return words[0]
    return None


def candidates(name: str, search: list[str], ndots: int = NDOTS) -> list[str]:
    """The names getaddrinfo asks for, in order (glibc res_search): an absolute name
    (trailing dot) as it is; a name with at least ``ndots`` dots as it is, then under
    each search domain; a shorter one under each search domain, then as it is."""
    if name.endswith("."):
        return [name[:-1]]
    expanded = [f"{name}.{domain}" for domain in search]
    return [name, *expanded] if name.count(".") >= ndots else [*expanded, name]


def resolve(cluster, name: str, namespace: str, *, hosts: str | None = None,
            conf: str | None = None) -> list[str]:
    """getaddrinfo in a ClusterFirst pod of ``namespace``: the addresses of ``name``,
    or raise NXDomain. An IP literal is itself; ``localhost`` is 127.0.0.1; ``hosts``
    (the container's /etc/hosts) answers first; ``conf`` (its /etc/resolv.conf)
    replaces the default search list and ndots."""
    if is_address(name):
        return [name.strip("[]")]
    if not name or name.rstrip(".") == "" or ".." in name:
        raise NXDomain(name)
    if name.rstrip(".").lower() == "localhost":
        return ["127.0.0.1"]
    if hosts:
        found = hosts_lookup(hosts, name)
        if found:
            return [found]
    search, ndots = (parse_resolv_conf(conf) if conf is not None
                     else (search_domains(namespace), NDOTS))
    for fqdn in candidates(name, search, ndots):
        addresses = lookup(cluster, fqdn)
        if addresses:
            return addresses
    raise NXDomain(name)


def nslookup_queries(name: str, namespace: str, search: list[str] | None = None) -> list[str]:
    """The names busybox ``nslookup`` (1.30+) queries for ``name``: its own resolver
    (``add_query_with_search``) puts a name with no dot under each search domain and
    sends any other name as it is: no ndots, and never the bare short name."""
    domains = search_domains(namespace) if search is None else search
    if "." in name or not domains:
        return [name]
    return [f"{name}.{domain}" for domain in domains]
