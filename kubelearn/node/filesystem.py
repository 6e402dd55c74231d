"""Container filesystems: a writable layer per container, volumes mounted into it.

What a process in a container sees at ``/`` is, as with a real runtime, two
kinds of storage:

* the container's own **layer**: the image's files plus whatever the process
  writes. A new container (every restart) gets a fresh layer from the image,
  so what the previous one wrote is gone;
* **mounts**: directories (or single files) of volume storage that appear at
  a ``mountPath``. The storage belongs to the volume, not to the container:
  an emptyDir lives as long as its pod, a hostPath directory as long as its
  node's disk, a PersistentVolume as long as the PV's backing store
  (``kubelearn.node.volumes``).

Both are ``FileTree`` objects: plain data, absolute paths to text, plus the
set of directories. A ``Mount`` says which directory of which tree appears
where; ``ContainerFS`` resolves a container path through the longest mount
that covers it, and answers with the errors a Linux kernel gives (``ENOENT``,
``EISDIR``, ``EROFS`` ...) as ``FsError`` carrying the errno's text, which the
shell turns into busybox's or coreutils' messages.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

ENOENT = "No such file or directory"
EEXIST = "File exists"
EISDIR = "Is a directory"
ENOTDIR = "Not a directory"
ENOTEMPTY = "Directory not empty"
EROFS = "Read-only file system"
EBUSY = "Resource busy"

# The top-level directories every image has (a Linux root filesystem).
ROOT_DIRS = ("/bin", "/dev", "/etc", "/home", "/lib", "/proc", "/root", "/run", "/sbin",
             "/sys", "/tmp", "/usr", "/usr/bin", "/usr/local", "/usr/local/bin", "/var",
             "/var/log")


class FsError(Exception):
    """A failed filesystem call: ``path`` and the errno's text (``ENOENT``...)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def normalize(path: str, cwd: str = "/") -> str:
    """An absolute, normalised path (``a/../b`` against ``cwd``; ``//x`` is ``/x``)."""
    if not path.startswith("/"):
        path = posixpath.join(cwd or "/", path)
    path = posixpath.normpath(path)
    return "/" + path.lstrip("/") if path != "/" else "/"


def parent(path: str) -> str:
    return posixpath.dirname(path) or "/"


def inside(path: str, top: str) -> bool:
    """``path`` is ``top`` or below it."""
    return path == top or top == "/" or path.startswith(top + "/")


@dataclass
class FileTree:
    """One filesystem's contents: ``files`` (path -> text) and ``dirs`` (paths).

    Paths are absolute within the tree (``/`` is its root). Writers are the
    script processes that have this tree mounted (see ``volumes.sync``)."""
    files: dict[str, str] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=lambda: {"/"})
    writers: list = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_files(cls, files: dict[str, str] | None = None,
                   dirs: tuple[str, ...] | list[str] = ()) -> "FileTree":
        """A tree holding ``files`` (their parent directories included) and ``dirs``."""
        tree = cls()
        for d in dirs:
            tree.make_dirs(normalize(d))
        for path, text in (files or {}).items():
            path = normalize(path)
            tree.make_dirs(parent(path))
            tree.files[path] = text
        return tree

    def copy(self) -> "FileTree":
        return FileTree(dict(self.files), set(self.dirs))

    # -- queries -----------------------------------------------------------
    def kind(self, path: str) -> str | None:
        """``"file"``, ``"dir"`` or None."""
        if path in self.files:
            return "file"
        if path in self.dirs:
            return "dir"
        return None

    def read(self, path: str) -> str:
        if path in self.files:
            return self.files[path]
        if path in self.dirs:
            raise FsError(path, EISDIR)
        self._check_parents(path)
        raise FsError(path, ENOENT)

    def children(self, path: str) -> list[str]:
        """The names directly inside directory ``path``, sorted."""
        if path in self.files:
            raise FsError(path, ENOTDIR)
        if path not in self.dirs:
            raise FsError(path, ENOENT)
        prefix = path.rstrip("/") + "/"
        names = {p[len(prefix):].split("/", 1)[0]
                 for p in (*self.files, *self.dirs) if p != path and p.startswith(prefix)}
        return sorted(names)

    # -- changes -----------------------------------------------------------
    def write(self, path: str, text: str, append: bool = False) -> None:
        if path in self.dirs:
            raise FsError(path, EISDIR)
        self._check_parents(path)
        self.files[path] = (self.files.get(path, "") if append else "") + text

    def make_dir(self, path: str) -> None:
        """mkdir(2): the parent must exist, the path must not."""
        if path in self.dirs or path in self.files:
            raise FsError(path, EEXIST)
        self._check_parents(path)
        self.dirs.add(path)

    def make_dirs(self, path: str) -> None:
        """``mkdir -p``: every missing directory on the way (a file in the way is ENOTDIR)."""
        if path in self.dirs:
            return
        if path in self.files:
            raise FsError(path, EEXIST)
        self.make_dirs(parent(path))
        if parent(path) in self.files:
            raise FsError(path, ENOTDIR)
        self.dirs.add(path)

    def remove(self, path: str) -> None:
        """unlink(2) for a file, rmdir(2) for an empty directory."""
        if path in self.files:
            del self.files[path]
            return
        if path not in self.dirs:
            raise FsError(path, ENOENT)
        if self.children(path):
            raise FsError(path, ENOTEMPTY)
        if path == "/":
            raise FsError(path, EBUSY)
        self.dirs.discard(path)

    def _check_parents(self, path: str) -> None:
        """The parent must be a directory: ENOTDIR if a file is on the way, else ENOENT."""
        up = parent(path)
        if up in self.dirs:
            return
        while True:
            if up in self.files:
                raise FsError(path, ENOTDIR)
            if up in self.dirs or up == "/":
                raise FsError(path, ENOENT)
            up = parent(up)


@dataclass
class Mount:
    """``base`` (a directory or file of ``tree``) seen at ``path`` in a container."""
    path: str
    tree: FileTree
    base: str = "/"
    read_only: bool = False
    volume: str = ""

    def tree_path(self, path: str) -> str:
        rest = path[len(self.path):].lstrip("/") if self.path != "/" else path.lstrip("/")
        return normalize(posixpath.join(self.base, rest)) if rest else self.base


class ContainerFS:
    """The filesystem one container sees: its layer with volumes mounted over it."""

    def __init__(self, layer: FileTree, mounts: list[Mount] = ()):
        self.layer = layer
        self.mounts = sorted(mounts, key=lambda m: (-len(m.path), m.path))
        for mount in self.mounts:         # the runtime creates the mount points
            if mount.path != "/" and layer.kind(mount.path) is None:
                try:
                    layer.make_dirs(mount.path)
                except FsError:
                    pass

    def trees(self) -> list[FileTree]:
        return [self.layer] + [m.tree for m in self.mounts]

    def resolve(self, path: str) -> tuple[FileTree, str, Mount | None]:
        """(tree, path in that tree, the mount or None) for an absolute container path."""
        for mount in self.mounts:
            if inside(path, mount.path):
                return mount.tree, mount.tree_path(path), mount
        return self.layer, path, None

    def mount_at(self, path: str) -> Mount | None:
        return next((m for m in self.mounts if m.path == path), None)

    # -- queries -----------------------------------------------------------
    def kind(self, path: str) -> str | None:
        tree, where, _ = self.resolve(path)
        return tree.kind(where)

    def read(self, path: str) -> str:
        tree, where, _ = self.resolve(path)
        try:
            return tree.read(where)
        except FsError as err:
            raise FsError(path, err.reason) from None

    def listdir(self, path: str) -> list[str]:
        tree, where, _ = self.resolve(path)
        try:
            names = set(tree.children(where))
        except FsError as err:
            raise FsError(path, err.reason) from None
        prefix = path.rstrip("/") + "/"
        for mount in self.mounts:          # mount points show in their parent directory
            if mount.path.startswith(prefix) and "/" not in mount.path[len(prefix):]:
                names.add(mount.path[len(prefix):])
        return sorted(names)

    # -- changes -----------------------------------------------------------
    def _writable(self, path: str) -> tuple[FileTree, str]:
        tree, where, mount = self.resolve(path)
        if mount is not None and mount.read_only:
            raise FsError(path, EROFS)
        return tree, where

    def write(self, path: str, text: str, append: bool = False) -> None:
        tree, where = self._writable(path)
        try:
            tree.write(where, text, append)
        except FsError as err:
            raise FsError(path, err.reason) from None

    def make_dir(self, path: str, parents: bool = False) -> None:
        if self.mount_at(path) is not None:
            if parents:
                return
            raise FsError(path, EEXIST)
        tree, where = self._writable(path)
        try:
            if parents:
                self._make_dirs(path)
            else:
                tree.make_dir(where)
        except FsError as err:
            raise FsError(path, err.reason) from None

    def _make_dirs(self, path: str) -> None:
        if path == "/" or self.kind(path) == "dir":
            return
        self._make_dirs(parent(path))
        tree, where = self._writable(path)
        if tree.kind(where) is None:
            tree.make_dir(where)
        elif tree.kind(where) == "file":
            raise FsError(path, EEXIST)

    def remove(self, path: str, recursive: bool = False) -> None:
        """unlink/rmdir; ``recursive`` empties directories first (``rm -r``). Removing
        a mount point fails with EBUSY once its contents are gone, as on Linux."""
        kind = self.kind(path)
        if kind is None:
            self.read(path)                # raises the right ENOENT/ENOTDIR
        if kind == "dir":
            if not recursive:
                raise FsError(path, EISDIR)
            for name in self.listdir(path):
                self.remove(posixpath.join(path, name), recursive=True)
            if self.mount_at(path) is not None or path == "/":
                raise FsError(path, EBUSY)
        tree, where = self._writable(path)
        try:
            tree.remove(where)
        except FsError as err:
            raise FsError(path, err.reason) from None

    def snapshot(self) -> "ContainerFS":
        """A private copy (layer and every mounted tree) for a dry run."""
        copies: dict[int, FileTree] = {}

        def copy(tree: FileTree) -> FileTree:
            if id(tree) not in copies:
                copies[id(tree)] = tree.copy()
            return copies[id(tree)]

        clone = ContainerFS.__new__(ContainerFS)
        clone.layer = copy(self.layer)
        clone.mounts = [Mount(m.path, copy(m.tree), m.base, m.read_only, m.volume)
                        for m in self.mounts]
        return clone


def image_layer(app: dict, hostname: str = "") -> FileTree:
    """A fresh writable layer for a container of an image whose app is ``app``:
    the root directories, the app's ``files`` and ``dirs``, and the files the
    kubelet writes into every container (``/etc/hostname``)."""
    if app.get("base") == "scratch":
        tree = FileTree.from_files(app.get("files"), ("/dev", "/etc", "/proc", "/sys"))
    else:
        tree = FileTree.from_files(app.get("files"), (*ROOT_DIRS, *(app.get("dirs") or ())))
    if hostname:
        tree.files["/etc/hostname"] = hostname + "\n"
    return tree
