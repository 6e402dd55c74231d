"""Service link variables, after upstream's ``pkg/kubelet/envvars`` and the kubelet's
``getServiceEnvVarMap``: a container learns where the Services of its namespace
are from variables like ``WEB_SERVICE_HOST``, ``WEB_SERVICE_PORT`` and the Docker
link ones (``WEB_PORT_80_TCP_ADDR``). Only Services that exist when the container
starts are there: one reason to create a Service before the Pods that look for it.
"""
from __future__ import annotations

MASTER_SERVICES = ("kubernetes",)          # always injected, from the default namespace


def _env_name(name: str) -> str:
    return name.replace("-", "_").upper()


def _host_port(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def from_services(services: list[dict]) -> list[tuple[str, str]]:
    """envvars.FromServices: ``<SVC>_SERVICE_HOST``, ``_SERVICE_PORT``, one
    ``_SERVICE_PORT_<NAME>`` per named port, and the Docker link variables."""
    out: list[tuple[str, str]] = []
    for svc in services:
        spec = svc.get("spec") or {}
        ip, ports = spec.get("clusterIP") or "", spec.get("ports") or []
        if ip in ("", "None") or not ports:
            continue
        prefix = _env_name(svc["metadata"]["name"])
        out.append((f"{prefix}_SERVICE_HOST", ip))
        name = f"{prefix}_SERVICE_PORT"
        out.append((name, str(ports[0].get("port", 0))))
        for port in ports:
            if port.get("name"):
                out.append((f"{name}_{_env_name(port['name'])}", str(port.get("port", 0))))
        for i, port in enumerate(ports):
            protocol = port.get("protocol") or "TCP"
            number = port.get("port", 0)
            url = f"{protocol.lower()}://{_host_port(ip, number)}"
            if i == 0:
                out.append((f"{prefix}_PORT", url))
            base = f"{prefix}_PORT_{number}_{protocol.upper()}"
            out += [(base, url), (f"{base}_PROTO", protocol.lower()),
                    (f"{base}_PORT", str(number)), (f"{base}_ADDR", ip)]
    return out


def service_env(api, namespace: str, enable_service_links: bool) -> dict[str, str]:
    """getServiceEnvVarMap: the services a pod of ``namespace`` sees now, by name
    (a service of the pod's namespace named like a master service wins over it). The
    kubelets keep the answer until a Service changes (``env.EnvironmentCache``)."""
    chosen: dict[str, dict] = {}
    for name in MASTER_SERVICES:
        svc = api.store.get("Service", "default", name)
        if svc is not None:
            chosen[name] = svc
    if enable_service_links:
        for svc in api.store.list("Service", namespace):
            chosen[svc["metadata"]["name"]] = svc
    return dict(from_services([chosen[name] for name in sorted(chosen)]))
