"""The container runtime of one node: containerd, or docker behind cri-dockerd.

What the kubelet asks a CRI runtime, answered from data and the simulated
clock: which images are on the node, how long a pull takes, what a failed pull
says, which ids and image ids a container gets. Nothing runs; a "container" is
a record the kubelet keeps.

Timings are data (``LIFECYCLE``), in the spirit of kwok's stages: each step of
a pod's start has a base delay and a jitter drawn from the cluster's seeded
generator, so runs are realistic-looking and still identical for one seed.
Image pulls are serialised per node, as the kubelet's default
``serializeImagePulls: true`` does: a second pod waiting for the puller shows
it in ``Successfully pulled image ... in 0.4s (4.5s including waiting)``.
"""
from __future__ import annotations

import ipaddress
from random import Random  # seeded instances only: never the global generator
from dataclasses import dataclass

from kubelearn.node.registry import (DEFAULT_DOMAIN, Image, InvalidReference, Registry,
                                     parse_reference)

# stage -> (base seconds, jitter seconds); a delay is base + U(0, jitter), in whole ms.
LIFECYCLE: dict[str, tuple[float, float]] = {
    "sandbox": (0.4, 0.6),        # RunPodSandbox + CNI ADD: the pod gets its IP
    "pull_cached": (0.25, 0.35),  # a pull whose layers the node already has
    "pull_failed": (0.6, 0.9),    # resolving a reference the registry does not know
    "create": (0.03, 0.07),       # CreateContainer
    "start": (0.03, 0.07),        # StartContainer
    "pod_resync": (0.8, 0.6),     # the pod worker's next sync after a failed one
    "backoff_resync": (10.0, 8.0),  # syncs while an image is in back-off
    "stop": (0.1, 0.4),           # a process that exits on SIGTERM (default)
}

# flowcontrol.Backoff of the image manager: 10s, doubling, capped at 5 minutes.
IMAGE_BACKOFF_INITIAL = 10.0
IMAGE_BACKOFF_MAX = 300.0


def go_duration(seconds: float) -> str:
    """time.Duration.String() of a duration truncated to milliseconds: ``4.1s``,
    ``912ms``, ``1m2.5s``, ``0s``."""
    ms = int(round(seconds * 1000))
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, frac = divmod(rest, 1000)
    text = f"{whole}" + (f".{frac:03d}".rstrip("0") if frac else "") + "s"
    if hours:
        return f"{hours}h{minutes}m{text}"
    if minutes:
        return f"{minutes}m{text}"
    return text


@dataclass(frozen=True)
class PullResult:
    """One pull as the puller will run it: when it starts and ends, and how it ends."""
    requested: float
    started: float
    finished: float
    image: Image | None
    error: str | None

    @property
    def duration(self) -> float:
        return round(self.finished - self.started, 3)

    @property
    def waited(self) -> float:
        """Pull time including the time spent queued behind other pulls."""
        return round(self.finished - self.requested, 3)


class IPAllocator:
    """host-local IPAM over the node's podCIDR: the next free address after the
    last one handed out, wrapping around (``.1`` is the bridge's gateway)."""

    def __init__(self, cidr: str):
        net = ipaddress.ip_network(cidr, strict=False)
        self._first = int(net.network_address) + 2
        self._last = int(net.broadcast_address) - 1
        self._next = self._first
        self._used: set[int] = set()

    def allocate(self) -> str | None:
        size = self._last - self._first + 1
        for step in range(size):
            candidate = self._first + (self._next - self._first + step) % size
            if candidate not in self._used:
                self._used.add(candidate)
                self._next = candidate + 1 if candidate < self._last else self._first
                return str(ipaddress.ip_address(candidate))
        return None

    def release(self, ip: str | None) -> None:
        if ip:
            self._used.discard(int(ipaddress.ip_address(ip)))


class ContainerRuntime:
    """Images, pulls and container ids of one node's runtime."""

    def __init__(self, scheme: str, registry: Registry, rng: Random,
                 preloaded: list[str] = ()):
        self.scheme = scheme              # "containerd" or "docker"
        self.registry = registry
        self.rng = rng
        # normalised reference -> simulated time from which it is on the node
        self._images: dict[str, float] = {ref: float("-inf") for ref in
                                          (_normalised(r) for r in preloaded) if ref}
        self._puller_free_at = float("-inf")

    # -- timings ---------------------------------------------------------
    def delay(self, stage: str, span: tuple[float, float] | None = None) -> float:
        """A jittered delay for a lifecycle stage, in whole milliseconds."""
        base, jitter = span if span is not None else LIFECYCLE[stage]
        return round(base + self.rng.random() * jitter, 3)

    # -- images ----------------------------------------------------------
    def has_image(self, spec_image: str, now: float) -> bool:
        ref = _normalised(spec_image)
        return ref is not None and self._images.get(ref, float("inf")) <= now

    def image_refs(self, now: float) -> list[str]:
        """Images on the node now (``crictl images``), sorted."""
        return sorted(ref for ref, since in self._images.items() if since <= now)

    def pull(self, spec_image: str, now: float) -> PullResult:
        """Queue a pull behind the node's other pulls and say how it will end.

        The image counts as present from the moment its pull finishes, whether
        or not the pod that asked for it is still there.
        """
        image = self.registry.resolve(spec_image)
        started = max(now, self._puller_free_at)
        if image is None:
            finished = started + self.delay("pull_failed")
            self._puller_free_at = finished
            return PullResult(now, started, round(finished, 3), None,
                              self.pull_error(spec_image))
        ref = image.reference
        if self._images.get(ref, float("inf")) <= started:
            took = self.delay("pull_cached")
        else:
            took = self.delay("pull", (image.pull_seconds * 0.92, image.pull_seconds * 0.16))
        finished = round(started + took, 3)
        self._puller_free_at = finished
        self._images[ref] = min(self._images.get(ref, float("inf")), finished)
        return PullResult(now, started, finished, image, None)

    def pull_error(self, spec_image: str) -> str:
        """What the runtime answers for an image the registry does not have."""
        ref = parse_reference(spec_image)
        full = str(ref)
        repo_exists = self.registry.has_repository(spec_image)
        if self.scheme == "docker":
            familiar = ref.familiar_repository + (f":{ref.tag}" if ref.tag else "")
            if repo_exists or ref.domain != DEFAULT_DOMAIN:
                desc = (f"Error response from daemon: manifest for {familiar} not found: "
                        "manifest unknown: manifest unknown")
            else:
                desc = (f"Error response from daemon: pull access denied for "
                        f"{ref.familiar_repository}, repository does not exist or may require "
                        "'docker login': denied: requested access to the resource is denied")
            return f"rpc error: code = Unknown desc = {desc}"
        if repo_exists or ref.domain != DEFAULT_DOMAIN:
            return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{full}": '
                    f'failed to resolve reference "{full}": {full}: not found')
        return (f'rpc error: code = Unknown desc = failed to pull and unpack image "{full}": '
                f'failed to resolve reference "{full}": pull access denied, repository does not '
                "exist or may require authorization: server message: insufficient_scope: "
                "authorization failed")

    # -- containers ------------------------------------------------------
    def container_id(self) -> str:
        return f"{self.scheme}://{self.rng.getrandbits(256):064x}"

    def image_fields(self, spec_image: str) -> tuple[str, str]:
        """(``image``, ``imageID``) of a running container's status, as this runtime reports
        them: containerd gives full names, docker the familiar ones."""
        image = self.registry.resolve(spec_image)
        ref = parse_reference(spec_image)
        digest = image.digest if image is not None else (ref.digest or "")
        if self.scheme == "docker":
            shown = f"{ref.familiar_repository}:{ref.tag}" if ref.tag else spec_image
            return shown, f"docker-pullable://{ref.familiar_repository}@{digest}"
        return str(ref) if ref.tag else spec_image, f"{ref.repository}@{digest}"


def _normalised(ref: str) -> str | None:
    try:
        return str(parse_reference(ref))
    except InvalidReference:
        return None
