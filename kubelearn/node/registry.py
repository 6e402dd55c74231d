"""A simulated image registry: what ``docker pull`` would find, as data.

Kubelets ask it for the images pods name. An image is plain data: its
normalised name, size, how long a pull takes, a digest, and an ``app``
description (ports, HTTP routes, log lines, how it reacts to SIGTERM) that the
networking, logs and exec parts read later. The course's images are listed in
``kubelearn.node.images``; ``Registry.push`` adds more, as ``docker push``
would.

References are normalised as docker does (``distribution/reference``
``ParseNormalizedNamed``): ``nginx`` is ``docker.io/library/nginx:latest``,
``repo/app:2`` is ``docker.io/repo/app:2``, ``registry.k8s.io/pause:3.10``
keeps its registry. An image not in the registry fails to pull, with the
runtime's own error text, which is how a typo in a tag becomes
``ErrImagePull`` / ``ImagePullBackOff``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_REPO_PREFIX = "library/"
DEFAULT_TAG = "latest"

_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class InvalidReference(ValueError):
    """A reference docker refuses to parse; ``str()`` is distribution's message."""


@dataclass(frozen=True)
class Reference:
    """A parsed image reference: ``docker.io`` / ``library/nginx`` / ``1.25``."""
    domain: str
    path: str
    tag: str | None = None
    digest: str | None = None

    @property
    def repository(self) -> str:
        """``docker.io/library/nginx``."""
        return f"{self.domain}/{self.path}"

    @property
    def familiar_repository(self) -> str:
        """``nginx`` (docker's FamiliarName: no default domain, no ``library/``)."""
        if self.domain != DEFAULT_DOMAIN:
            return self.repository
        return self.path[len(OFFICIAL_REPO_PREFIX):] if self.path.startswith(
            OFFICIAL_REPO_PREFIX) else self.path

    def __str__(self) -> str:
        """The fully qualified form the containerd runtime reports."""
        text = self.repository
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text


@lru_cache(maxsize=4096)
def parse_reference(ref: str) -> Reference:
    """ParseNormalizedNamed, plus the default ``latest`` tag the kubelet applies."""
    if _HEX64.fullmatch(ref):
        raise InvalidReference(f"invalid repository name ({ref}), cannot specify 64-byte "
                               "hexadecimal strings")
    name, digest = (ref.split("@", 1) + [None])[:2] if "@" in ref else (ref, None)
    slash = name.find("/")
    first = name[:slash] if slash >= 0 else ""
    if slash < 0 or (not any(ch in first for ch in ".:") and first != "localhost"
                     and first.lower() == first):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, name[slash + 1:]
    if domain == LEGACY_DEFAULT_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_REPO_PREFIX + remainder
    path, tag = remainder, None
    colon = remainder.rfind(":")
    if colon > remainder.rfind("/"):
        path, tag = remainder[:colon], remainder[colon + 1:]
    if path.lower() != path:
        raise InvalidReference(f"invalid reference format: repository name ({path}) must be "
                               "lowercase")
    if not path or not all(_COMPONENT.fullmatch(c) for c in path.split("/")) \
            or (tag is not None and not _TAG.fullmatch(tag)) \
            or (digest is not None and not _DIGEST.fullmatch(digest)):
        raise InvalidReference("invalid reference format")
    if tag is None and digest is None:
        tag = DEFAULT_TAG
    return Reference(domain, path, tag, digest)


def normalize(ref: str) -> str:
    """``nginx`` -> ``docker.io/library/nginx:latest`` (raises InvalidReference)."""
    return str(parse_reference(ref))


@dataclass(frozen=True)
class Image:
    """One tag of one repository, as the registry stores it."""
    repository: str            # normalised: docker.io/library/nginx
    tag: str
    size: int                  # bytes, as the runtime reports it ("Image size: N bytes.")
    pull_seconds: float        # a pull on an idle node, before jitter
    app: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def reference(self) -> str:
        """``docker.io/library/nginx:1.25``."""
        return f"{self.repository}:{self.tag}"

    @property
    def digest(self) -> str:
        """``sha256:...``: deterministic, the sha256 of the reference."""
        return "sha256:" + hashlib.sha256(self.reference.encode()).hexdigest()

    @property
    def familiar(self) -> str:
        """``nginx:1.25``, as ``docker images`` shows it."""
        ref = parse_reference(self.reference)
        return f"{ref.familiar_repository}:{self.tag}"


class Registry:
    """All the registries a simulated cluster can pull from, in one table."""

    def __init__(self, images: Iterable[Image] | None = None):
        if images is None:
            from kubelearn.node.images import course_images

            images = course_images()
        self._images: dict[tuple[str, str], Image] = {}
        self._by_digest: dict[str, Image] = {}
        for image in images:
            self._add(image)

    def _add(self, image: Image) -> Image:
        self._images[(image.repository, image.tag)] = image
        self._by_digest[f"{image.repository}@{image.digest}"] = image
        return image

    def push(self, name: str, tag: str = DEFAULT_TAG, *, size: int = 50_000_000,
             pull_seconds: float | None = None, app: dict | None = None) -> Image:
        """Add (or replace) ``name:tag``, as ``docker push`` would."""
        ref = parse_reference(f"{name}:{tag}")
        if pull_seconds is None:
            pull_seconds = round(0.5 + size / 20_000_000, 3)
        return self._add(Image(ref.repository, tag, size, pull_seconds, dict(app or {})))

    def resolve(self, ref: str) -> Image | None:
        """The image a reference names, or None (also for a reference that does not parse)."""
        try:
            parsed = parse_reference(ref)
        except InvalidReference:
            return None
        if parsed.digest:
            return self._by_digest.get(f"{parsed.repository}@{parsed.digest}")
        return self._images.get((parsed.repository, parsed.tag))

    def has_repository(self, ref: str) -> bool:
        """Does any tag of this reference's repository exist?"""
        try:
            repository = parse_reference(ref).repository
        except InvalidReference:
            return False
        return any(repo == repository for repo, _ in self._images)

    def tags(self, name: str) -> list[str]:
        repository = parse_reference(name).repository
        return sorted(tag for repo, tag in self._images if repo == repository)

    def images(self) -> list[Image]:
        return [self._images[k] for k in sorted(self._images)]

    def __contains__(self, ref: str) -> bool:
        return self.resolve(ref) is not None

    def __repr__(self) -> str:
        return f"<Registry: {len(self._images)} images>"
