"""Volumes: where the storage behind a pod's volumes lives, and how long.

``ClusterStorage`` (``cluster.storage``) is the node layer's record of every
byte a volume holds; API objects never carry data. It keeps:

* **node disks** (``disk(node)``): one ``FileTree`` per node, what ``hostPath``
  volumes, ``local`` PersistentVolumes and the host-path CSI driver see. Two
  pods on one node share it; a pod on another node sees that node's disk;
* **pod volumes** (``pods[uid]``): emptyDir trees (and inline ephemeral CSI
  volumes), created when the kubelet sets the pod up, shared by its
  containers, kept across container restarts, dropped with the pod
  (``release_pod``); plus the read-only trees of configMap, secret,
  downwardAPI and projected volumes, filled from the API objects when read;
* **CSI drivers** (``csi``): the simulated drivers *installed on this cluster*, by
  name. A cluster starts with none, as a real one does: ``minikube addons enable
  csi-hostpath-driver`` registers ``hostpath.csi.k8s.io``, and whoever installs a
  driver (a test, the EKS simulation's add-ons) calls ``register_csi_driver(name)``.
  ``hostpath.csi.k8s.io`` keeps each volume on the disk of the node it is used on
  (``/var/lib/csi-hostpath-data/<volumeHandle>``); ``efs.csi.aws.com`` keeps one
  tree per EFS file system (``fs-12345678``), the same from every node;
  ``ebs.csi.aws.com`` keeps one tree per EBS volume (``vol-...``), a block device
  that must be attached to the node first (``attach_required``) and whose data
  follows the volume from node to node. A volume of a driver that is not
  registered fails as the kubelet fails it: ``MountVolume.MountDevice failed for
  volume "pv" : kubernetes.io/csi: attacher.MountDevice failed to create
  newCsiDriverClient: driver name hostpath.csi.k8s.io not found in the list of
  registered CSI drivers``.

The kubelet calls ``mount_pod`` before it creates a pod's sandbox (upstream's
``WaitForAttachAndMount``): every volume is set up or the pod waits in
ContainerCreating with the event upstream's volume manager records
(``MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found``,
``hostPath type check failed: /data is not a directory``, ``Unable to attach
or mount volumes: ... error processing PVC default/data: ...``). A
persistentVolumeClaim volume is followed through the API to its bound PV and
the PV's source (hostPath, local, nfs or csi). An attachable PV (an EBS disk) is
mounted only once ``node.status.volumesAttached`` lists it (upstream's
``VerifyControllerAttachedVolume``; the attach/detach controller writes it): until
then the pod waits in ContainerCreating, its volume among the ``unattached``
ones, and the kubelet records no event of its own. (Since 1.28 the kubelet
drops the ``Unable to attach or mount volumes: unmounted volumes=[data],
unattached volumes=[data], failed to process volumes=[]: context deadline
exceeded`` event when its 2m3s wait times out; only the attach/detach
controller's ``Multi-Attach error`` explains the wait.)

``container_fs`` then builds what one container sees: a fresh layer from its
image with the pod's volumes at their ``mountPath`` (``subPath`` and
``readOnly`` honoured).
"""
from __future__ import annotations

import base64
import hashlib
import posixpath
from dataclasses import dataclass, field
from typing import Callable

from kubelearn.controllers.attachdetach import volume_attached
from kubelearn.node.filesystem import (ROOT_DIRS, ContainerFS, FileTree, FsError, Mount,
                                       image_layer, normalize)

HOSTPATH_CSI = "hostpath.csi.k8s.io"
EFS_CSI = "efs.csi.aws.com"
EBS_CSI = "ebs.csi.aws.com"
NODE_DIRS = (*ROOT_DIRS, "/mnt", "/opt", "/srv", "/var/lib", "/var/lib/kubelet",
             "/etc/kubernetes")
SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


class VolumeError(Exception):
    """A volume could not be set up. ``event`` is the FailedMount message."""

    def __init__(self, event: str):
        super().__init__(event)
        self.event = event


def setup_failed(volume: str, detail: str) -> VolumeError:
    return VolumeError(f'MountVolume.SetUp failed for volume "{volume}" : {detail}')


def driver_not_registered(name: str) -> str:
    """csi_plugin.go's error when no node plugin registered the driver."""
    return f"driver name {name} not found in the list of registered CSI drivers"


# -- trees filled from API objects ----------------------------------------------------
class SourcedTree(FileTree):
    """A read-only tree whose files come from API objects (configMap, secret,
    downwardAPI, projected volumes): built when first read and built again when
    the objects change, so an edited ConfigMap shows in the volume (a real
    kubelet takes up to a minute; here it is at once)."""

    def __init__(self, build: Callable[[], tuple[tuple, dict[str, str]]]):
        super().__init__()
        self._build = build
        self._version: tuple | None = None

    def _refresh(self) -> None:
        version, files = self._build()
        if version == self._version:
            return
        fresh = FileTree.from_files({"/" + p.lstrip("/"): text for p, text in files.items()})
        self.files, self.dirs, self._version = fresh.files, fresh.dirs, version

    def kind(self, path):
        self._refresh()
        return super().kind(path)

    def read(self, path):
        self._refresh()
        return super().read(path)

    def children(self, path):
        self._refresh()
        return super().children(path)

    def copy(self) -> FileTree:
        self._refresh()
        return super().copy()


# -- CSI drivers -------------------------------------------------------------------------
class CSIDriver:
    """A simulated CSI driver: where a volume's data lives."""
    name = ""
    node_local = True                      # data stays on the node that mounts it
    attach_required = False                # CSIDriver.spec.attachRequired
    lifecycle_modes = ("Persistent",)

    def volume(self, storage: "ClusterStorage", node: str, handle: str,
               attributes: dict) -> tuple[FileTree, str]:
        raise NotImplementedError

    def delete_volume(self, storage: "ClusterStorage", handle: str) -> None:
        """The volume was deleted (reclaim policy Delete): its data goes."""

    def publish(self, storage: "ClusterStorage", node: str, source: dict, *, pv: dict,
                target: str) -> tuple[FileTree, str]:
        """NodePublishVolume for the PersistentVolume ``pv`` (``source`` is its ``csi``) at
        ``target``, the kubelet's mount point for the pod: by default ``volume``."""
        return self.volume(storage, node, source.get("volumeHandle", ""),
                           source.get("volumeAttributes") or {})


class HostPathCSIDriver(CSIDriver):
    """``hostpath.csi.k8s.io`` (kubernetes-csi/csi-driver-host-path): each volume is a
    directory on the disk of the node that uses it."""
    name = HOSTPATH_CSI
    lifecycle_modes = ("Persistent", "Ephemeral")
    data_dir = "/var/lib/csi-hostpath-data"

    def volume(self, storage, node, handle, attributes):
        disk = storage.disk(node)
        path = f"{self.data_dir}/{handle}"
        disk.make_dirs(path)
        return disk, path

    def delete_volume(self, storage, handle):
        for disk in storage.disks.values():
            _prune(disk, f"{self.data_dir}/{handle}")


class EFSCSIDriver(CSIDriver):
    """``efs.csi.aws.com``: an EFS file system is one tree, the same from every node.

    ``volumeHandle`` is ``fs-12345678``, ``fs-12345678:/sub/dir`` or
    ``fs-12345678::fsap-...`` (the driver's ``parseVolumeId``). Hooks for the EKS
    chapter: ``file_systems`` maps file system ids to their trees; with
    ``auto_create`` (the default) a mount of an unknown id creates it, and a
    simulated AWS account can set it False and register the file systems it
    created (``create_file_system``). A mount gate (``ClusterStorage.mount_gates``,
    ``kubelearn.cloud.eks.set_efs_gate``) decides whether a node reaches the file
    system: what it returns is the mount helper's output, and the mount fails with
    the driver's ``Could not mount ... mount failed: exit status 32`` error; when it
    returns None the file system exists and the mount succeeds."""
    name = EFS_CSI
    node_local = False

    def __init__(self) -> None:
        self.file_systems: dict[str, FileTree] = {}
        self.auto_create = True

    def create_file_system(self, fs_id: str) -> FileTree:
        return self.file_systems.setdefault(fs_id, FileTree())

    def publish(self, storage, node, source, *, pv, target):
        handle = source.get("volumeHandle", "")
        attributes = source.get("volumeAttributes") or {}
        fs_id, subpath, options = efs_mount_source(handle, attributes,
                                                   bool(source.get("readOnly")),
                                                   (pv.get("spec") or {}).get("mountOptions"))
        gate = storage.mount_gates.get(self.name)
        if gate is None:
            return self.volume(storage, node, handle, attributes)
        output = gate(node, handle)
        if output is not None:
            mount_source = f"{fs_id}:{subpath}"
            raise VolumeError(
                f'rpc error: code = Internal desc = Could not mount "{mount_source}" at '
                f'"{target}": mount failed: exit status 32\nMounting command: mount\n'
                f"Mounting arguments: -t efs -o {','.join(options)} {mount_source} {target}\n"
                f"Output: {output}")
        tree = self.create_file_system(fs_id)    # the gate knows it exists
        path = normalize(subpath)
        tree.make_dirs(path)
        return tree, path

    def volume(self, storage, node, handle, attributes):
        fs_id, _, rest = handle.partition(":")
        sub = rest.split(":", 1)[0] or "/"
        tree = self.file_systems.get(fs_id)
        if tree is None:
            if not self.auto_create:
                raise VolumeError(
                    f'rpc error: code = Internal desc = Could not mount "{fs_id}:{sub}" at '
                    f'target: mount failed: exit status 32 (file system {fs_id} not found)')
            tree = self.create_file_system(fs_id)
        path = normalize(sub)
        tree.make_dirs(path)
        return tree, path

    def delete_volume(self, storage, handle):
        fs_id, _, rest = handle.partition(":")
        sub = rest.split(":", 1)[0]
        tree = self.file_systems.get(fs_id)
        if tree is not None and sub not in ("", "/"):
            _prune(tree, normalize(sub))


def efs_mount_source(handle: str, attributes: dict, read_only: bool,
                     mount_options=None) -> tuple[str, str, list[str]]:
    """(file system id, path, mount options) of an EFS volume, as the driver's
    NodePublishVolume builds them: ``tls`` unless ``encryptInTransit`` is false,
    ``accesspoint=fsap-...`` for an access point, ``ro``, then the PV's
    ``mountOptions``. A handle that is not ``fs-...`` fails as ``parseVolumeId`` does."""
    if not handle.startswith("fs-"):
        raise VolumeError(f"rpc error: code = InvalidArgument desc = volume ID '{handle}' is "
                          "invalid: Expected a file system ID of the form 'fs-...'")
    tokens = handle.split(":")
    if len(tokens) > 3:
        raise VolumeError(f"rpc error: code = InvalidArgument desc = volume ID '{handle}' is "
                          "invalid: Expected at most three fields separated by ':'")
    subpath = posixpath.normpath(tokens[1]) if len(tokens) >= 2 and tokens[1] else "/"
    if subpath == "/" and attributes.get("path"):
        subpath = posixpath.join("/", attributes["path"])
    options: list[str] = []
    if len(tokens) == 3 and tokens[2]:
        options += [f"accesspoint={tokens[2]}", "tls"]
    encrypt = str(attributes.get("encryptInTransit", "true")).lower() not in ("false", "0")
    if encrypt and "tls" not in options:
        options.append("tls")
    if read_only:
        options.append("ro")
    for flag in mount_options or ():
        flag = str(flag).lower()
        if flag not in options:
            options.append(flag)
    return tokens[0], subpath, options


class EBSCSIDriver(CSIDriver):
    """``ebs.csi.aws.com``: an EBS volume (``volumeHandle`` ``vol-0abc...``) is a block
    device with one file system. It is attached to a node before the kubelet mounts it
    (``attach_required``, the attach/detach controller), and its data goes with the
    volume: detached from one node and attached to another, the files are still there.

    Hook for the EKS chapter: ``volumes`` maps volume ids to their trees;
    ``create_volume(vol_id)`` makes one (a mount of an unknown id makes it too)."""
    name = EBS_CSI
    node_local = False
    attach_required = True

    def __init__(self) -> None:
        self.volumes: dict[str, FileTree] = {}

    def create_volume(self, volume_id: str) -> FileTree:
        return self.volumes.setdefault(volume_id, FileTree())

    def volume(self, storage, node, handle, attributes):
        return self.create_volume(handle), "/"

    def delete_volume(self, storage, handle):
        self.volumes.pop(handle, None)


# The drivers kubelearn simulates, by name: what ``register_csi_driver`` can install.
CSI_DRIVERS: dict[str, type[CSIDriver]] = {
    d.name: d for d in (HostPathCSIDriver, EFSCSIDriver, EBSCSIDriver)}


# -- what a pod has mounted -----------------------------------------------------------------
@dataclass
class PodVolume:
    """One set-up volume of a pod: ``base`` of ``tree`` is the volume's root."""
    tree: FileTree
    base: str = "/"
    read_only: bool = False


@dataclass
class PodVolumes:
    volumes: dict[str, PodVolume] = field(default_factory=dict)
    private: dict[str, FileTree] = field(default_factory=dict)   # emptyDir, ephemeral csi


class DeferredMounts:
    """A pod whose volumes are all ``set_up_on_read`` ones, noted by ``defer_pod``: what
    setting them up needs, kept until a container's filesystem is first made."""
    __slots__ = ("api", "pod", "node")

    def __init__(self, api, pod: dict, node: str) -> None:
        self.api, self.pod, self.node = api, pod, node


def set_up_on_read(volume: dict) -> bool:
    """projected and downwardAPI volumes: their setup cannot fail and they hold nothing
    of their own (``SourcedTree`` reads the API objects). Every pod has one, the
    service-account token volume, and most never look at it. A kind ``_setup`` can
    fail for must not be listed here."""
    return "projected" in volume or "downwardAPI" in volume


@dataclass
class MountResult:
    """One WaitForAttachAndMount attempt: the FailedMount event messages, and the volumes
    still waiting to be attached to the node (they wait without an event)."""
    failures: list[str] = field(default_factory=list)
    unattached: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.failures and not self.unattached


class ClusterStorage:
    """The data behind every volume of a cluster (``cluster.storage``)."""

    def __init__(self) -> None:
        self.disks: dict[str, FileTree] = {}
        self.pods: dict[str, PodVolumes | DeferredMounts] = {}
        self.nfs: dict[tuple[str, str], FileTree] = {}
        self.csi: dict[str, CSIDriver] = {}      # the CSI drivers installed, by name
        # driver name -> gate(node, volume_handle): None when the node reaches the volume,
        # else what the mount helper prints (a cloud's network decides: EKS's EFS)
        self.mount_gates: dict[str, Callable[[str, str], str | None]] = {}

    def register_csi_driver(self, driver: str | CSIDriver) -> CSIDriver:
        """Install a CSI driver on every node (its node plugin registers with the kubelets):
        a name from ``CSI_DRIVERS`` or a ``CSIDriver``. Registering an installed driver again
        keeps it, and its data. Returns the driver (for its hooks, e.g. EFS's
        ``create_file_system``)."""
        if isinstance(driver, str):
            found = self.csi.get(driver)
            if found is not None:
                return found
            kind = CSI_DRIVERS.get(driver)
            if kind is None:
                raise ValueError(f"kubelearn simulates no CSI driver {driver!r}; it knows "
                                 + ", ".join(sorted(CSI_DRIVERS)))
            driver = kind()
        self.csi[driver.name] = driver
        return driver

    def unregister_csi_driver(self, name: str) -> None:
        """Uninstall a driver: its volumes fail to mount again (their data stays)."""
        self.csi.pop(name, None)

    def disk(self, node: str) -> FileTree:
        """A node's disk (created on first use with a Linux root layout)."""
        tree = self.disks.get(node)
        if tree is None:
            tree = self.disks[node] = FileTree.from_files({}, NODE_DIRS)
        return tree

    def release_pod(self, uid: str) -> None:
        """The pod is gone from its node: its emptyDirs go with it."""
        self.pods.pop(uid, None)

    # -- setting a pod's volumes up ------------------------------------------
    def mount_pod(self, api, pod: dict, node: str) -> MountResult:
        """Set up every volume of ``pod`` not set up yet: the FailedMount event messages of
        those that could not be, and the volumes not attached to ``node`` yet (the pod can
        start when ``ready``)."""
        uid = pod["metadata"]["uid"]
        state = self.pods.get(uid)
        if not isinstance(state, PodVolumes):       # new, or deferred: set up now
            state = self.pods[uid] = PodVolumes()
        result, unprocessed = MountResult(), []
        for volume in pod["spec"].get("volumes") or ():
            name = volume.get("name", "")
            if name in state.volumes:
                continue
            try:
                state.volumes[name] = self._setup(api, pod, volume, node, state)
            except _Unprocessed as err:
                unprocessed.append((name, err.detail))
            except _Unattached:
                result.unattached.append(name)
            except VolumeError as err:
                result.failures.append(err.event)
        result.unattached.sort()
        if unprocessed:
            mounted = set(state.volumes)
            unmounted = sorted(v.get("name", "") for v in pod["spec"].get("volumes") or ()
                               if v.get("name", "") not in mounted)
            names = sorted(name for name, _ in unprocessed)
            result.failures.append(
                "Unable to attach or mount volumes: unmounted volumes=[" + " ".join(unmounted)
                + "], unattached volumes=[" + " ".join(result.unattached) + "], failed to "
                "process volumes=[" + " ".join(names) + "]: "
                + "; ".join(detail for _, detail in unprocessed))
        return result

    def defer_pod(self, api, pod: dict, node: str) -> bool:
        """``mount_pod``, put off when it cannot fail: True when every volume of a new
        ``pod`` is ``set_up_on_read``; they are set up when a container's filesystem is
        first made (``container_fs``), with what they would have been set up with now."""
        uid = pod["metadata"]["uid"]
        if uid in self.pods or not all(set_up_on_read(v) for v in pod["spec"]["volumes"]):
            return False
        self.pods[uid] = DeferredMounts(api, pod_reference(pod), node)
        return True

    def _setup(self, api, pod: dict, volume: dict, node: str, state: PodVolumes) -> PodVolume:
        name = volume.get("name", "")
        meta = pod["metadata"]
        namespace = meta.get("namespace", "default")
        if "emptyDir" in volume:
            tree = state.private.setdefault(name, FileTree())
            return PodVolume(tree)
        if "hostPath" in volume:
            source = volume["hostPath"] or {}
            return self._host_path(name, source, node)
        if "configMap" in volume:
            return PodVolume(self._object_tree(api, name, "ConfigMap", namespace,
                                               volume["configMap"] or {}), read_only=True)
        if "secret" in volume:
            return PodVolume(self._object_tree(api, name, "Secret", namespace,
                                               volume["secret"] or {}), read_only=True)
        if "downwardAPI" in volume:
            items = (volume["downwardAPI"] or {}).get("items") or ()
            ref = pod_reference(pod)
            return PodVolume(SourcedTree(lambda: _downward(api, ref, items)), read_only=True)
        if "projected" in volume:
            sources = (volume["projected"] or {}).get("sources") or ()
            ref = pod_reference(pod)
            return PodVolume(SourcedTree(lambda: _projected(api, ref, sources)), read_only=True)
        if "persistentVolumeClaim" in volume:
            claim = volume["persistentVolumeClaim"] or {}
            found = self._claim(api, namespace, claim.get("claimName", ""), node,
                                meta.get("uid", ""))
            return PodVolume(found.tree, found.base, found.read_only or bool(claim.get("readOnly")))
        if "csi" in volume:
            return self._inline_csi(name, volume["csi"] or {}, node, state)
        if "nfs" in volume:
            source = volume["nfs"] or {}
            return PodVolume(self._nfs(source), normalize(source.get("path") or "/"),
                             bool(source.get("readOnly")))
        kind = next((k for k in volume if k != "name"), "unknown")
        raise setup_failed(name, f"kubelearn does not simulate {kind} volumes")

    def _host_path(self, name: str, source: dict, node: str) -> PodVolume:
        path = source.get("path") or ""
        if ".." in path.split("/"):
            raise setup_failed(name, f"invalid HostPath `{path}`: must not contain '..'")
        path = normalize(path)
        disk = self.disk(node)
        check_host_path(name, disk, path, source.get("type"))
        return PodVolume(disk, path)

    def _object_tree(self, api, volume: str, kind: str, namespace: str,
                     source: dict) -> FileTree:
        obj_name = source.get("name") if kind == "ConfigMap" else source.get("secretName")
        optional = bool(source.get("optional"))
        items = source.get("items")
        noun = "configmap" if kind == "ConfigMap" else "secret"

        def build():
            obj = api.store.get(kind, namespace, obj_name or "")
            if obj is None:
                return (None,), {}
            data = object_data(obj)
            if not items:
                return (obj["metadata"].get("resourceVersion"),), dict(data)
            files = {item.get("path") or item.get("key"): data[item.get("key")]
                     for item in items if item.get("key") in data}
            return (obj["metadata"].get("resourceVersion"),), files

        obj = api.store.get(kind, namespace, obj_name or "")
        if obj is None and not optional:
            raise setup_failed(volume, f'{noun} "{obj_name}" not found')
        if obj is not None and items and not optional:
            data = object_data(obj)
            for item in items:
                if item.get("key") not in data:
                    what = ("configmap references non-existent config key"
                            if kind == "ConfigMap" else "references non-existent secret key")
                    raise setup_failed(volume, f"{what}: {item.get('key')}")
        return SourcedTree(build)

    def _claim(self, api, namespace: str, claim: str, node: str, pod_uid: str = "") -> PodVolume:
        prefix = f"error processing PVC {namespace}/{claim}: "
        pvc = api.store.get("PersistentVolumeClaim", namespace, claim)
        if pvc is None:
            raise _Unprocessed(prefix + "failed to fetch PVC from API server: "
                               f'persistentvolumeclaims "{claim}" not found')
        if pvc["metadata"].get("deletionTimestamp"):
            raise _Unprocessed(prefix + f"can't start pod because PVC {namespace}/{claim} "
                                        "is being deleted")
        phase = (pvc.get("status") or {}).get("phase", "")
        pv_name = (pvc.get("spec") or {}).get("volumeName", "")
        if phase != "Bound" or not pv_name:
            raise _Unprocessed(prefix + f'PVC {namespace}/{claim} has non-bound phase '
                                        f'("{phase}") or empty pvc.Spec.VolumeName '
                                        f'("{pv_name}")')
        pv = api.store.get("PersistentVolume", "", pv_name)
        if pv is None:
            raise _Unprocessed(prefix + f"failed to fetch PV {pv_name} from API server: "
                                        f'persistentvolumes "{pv_name}" not found')
        if not volume_attached(api, node, pv):
            raise _Unattached(pv_name)
        return self.persistent_volume(pv, node, pod_uid)

    def persistent_volume(self, pv: dict, node: str, pod_uid: str = "") -> PodVolume:
        """Where a PersistentVolume's data is, seen from ``node`` (for the pod ``pod_uid``,
        whose mount point a CSI driver's error names)."""
        name = pv["metadata"]["name"]
        spec = pv.get("spec") or {}
        if spec.get("hostPath") is not None:
            return self._host_path(name, spec["hostPath"] or {}, node)
        if spec.get("local") is not None:
            path = normalize((spec["local"] or {}).get("path") or "/")
            disk = self.disk(node)
            if disk.kind(path) is None:
                raise VolumeError(f'MountVolume.NewMounter initialization failed for volume '
                                  f'"{name}" : path "{path}" does not exist')
            return PodVolume(disk, path)
        if spec.get("csi") is not None:
            source = spec["csi"] or {}
            driver = self.csi.get(source.get("driver", ""))
            if driver is None:
                raise VolumeError(f'MountVolume.MountDevice failed for volume "{name}" : '
                                  "kubernetes.io/csi: attacher.MountDevice failed to create "
                                  "newCsiDriverClient: "
                                  + driver_not_registered(source.get("driver", "")))
            target = f"/var/lib/kubelet/pods/{pod_uid}/volumes/kubernetes.io~csi/{name}/mount"
            try:
                tree, path = driver.publish(self, node, source, pv=pv, target=target)
            except VolumeError as err:
                raise setup_failed(name, err.event) from None
            return PodVolume(tree, path, bool(source.get("readOnly")))
        if spec.get("nfs") is not None:
            source = spec["nfs"] or {}
            return PodVolume(self._nfs(source), normalize(source.get("path") or "/"),
                             bool(source.get("readOnly")))
        kind = next((k for k in ("awsElasticBlockStore", "gcePersistentDisk", "azureDisk",
                                 "iscsi", "rbd", "cephfs", "glusterfs") if spec.get(k)),
                    "unknown")
        raise setup_failed(name, f"kubelearn does not simulate {kind} volumes")

    def _inline_csi(self, name: str, source: dict, node: str, state: PodVolumes) -> PodVolume:
        driver = self._driver(name, source.get("driver", ""))
        if "Ephemeral" not in driver.lifecycle_modes:
            raise setup_failed(name, "kubernetes.io/csi: mounter.SetUpAt failed to check volume "
                                     f'lifecycle mode: volume mode "Ephemeral" not supported by '
                                     f'driver {driver.name} (only supports '
                                     f'["{" ".join(driver.lifecycle_modes)}"])')
        tree = state.private.setdefault(name, FileTree())
        return PodVolume(tree, "/", bool(source.get("readOnly")))

    def _driver(self, volume: str, name: str) -> CSIDriver:
        driver = self.csi.get(name)
        if driver is None:
            raise setup_failed(volume, "kubernetes.io/csi: mounter.SetUpAt failed to get CSI "
                                       f"client: {driver_not_registered(name)}")
        return driver

    def _nfs(self, source: dict) -> FileTree:
        key = (source.get("server") or "", "/")
        tree = self.nfs.setdefault(key, FileTree())
        tree.make_dirs(normalize(source.get("path") or "/"))
        return tree

    # -- the control plane's hooks (controllers/volume_storage.py) -----------------
    def delete_csi_volume(self, driver: str, volume_handle: str) -> None:
        """A CSI volume was deleted (reclaim policy Delete): its data goes."""
        found = self.csi.get(driver)
        if found is not None:
            found.delete_volume(self, volume_handle)

    # -- what a container sees ----------------------------------------------------
    def container_fs(self, pod: dict, spec: dict, app: dict,
                     etc: dict[str, str] | None = None) -> ContainerFS:
        """A new container's filesystem: a fresh layer from its image (plus ``etc``, the
        files the kubelet writes for the pod: /etc/hosts, /etc/resolv.conf), the pod's
        volumes mounted as the container's ``volumeMounts`` say."""
        layer = image_layer(app, pod["metadata"]["name"])
        layer.files.update(etc or {})
        uid = pod["metadata"].get("uid", "")
        state = self.pods.get(uid)
        if isinstance(state, DeferredMounts):
            self.mount_pod(state.api, state.pod, state.node)
            state = self.pods[uid]
        mounts = []
        for mount in spec.get("volumeMounts") or ():
            volume = state.volumes.get(mount.get("name", "")) if state else None
            if volume is None or not mount.get("mountPath"):
                continue
            base = volume.base
            sub = mount.get("subPath") or ""
            if sub:
                base = normalize(posixpath.join(base, sub))
                if volume.tree.kind(base) is None and not volume.read_only:
                    try:
                        volume.tree.make_dirs(base)   # the kubelet creates a missing subPath
                    except FsError:
                        pass
            mounts.append(Mount(normalize(mount["mountPath"]), volume.tree, base,
                                volume.read_only or bool(mount.get("readOnly")),
                                mount.get("name", "")))
        return ContainerFS(layer, mounts)


def _prune(tree: FileTree, path: str) -> None:
    """``rm -rf path`` in a tree."""
    prefix = path.rstrip("/") + "/"
    for name in [f for f in tree.files if f == path or f.startswith(prefix)]:
        del tree.files[name]
    tree.dirs.difference_update({d for d in tree.dirs if d == path or d.startswith(prefix)})


class _Unprocessed(Exception):
    """The volume manager's populator could not process the volume (a PVC problem)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class _Unattached(Exception):
    """The volume is attachable and not attached to the node yet."""


# -- hostPath ------------------------------------------------------------------------------
def check_host_path(volume: str, disk: FileTree, path: str, kind: str | None) -> None:
    """upstream's hostPath SetUp: ``checkType`` for the volume's type, creating what
    ``DirectoryOrCreate``/``FileOrCreate`` create. With no type, a missing path is made a
    directory (the container runtime creates a bind mount's missing source)."""
    found = disk.kind(path)
    if not kind:
        if found is None:
            _make_dir(volume, disk, path)
        return
    if kind == "DirectoryOrCreate":
        if found is None:
            _make_dir(volume, disk, path)
            return
        kind = "Directory"
    if kind == "FileOrCreate":
        if found is None:
            try:
                disk.write(path, "")
            except FsError:
                raise setup_failed(volume, f"open {path}: no such file or directory") from None
            return
        kind = "File"
    checks = {"Directory": ("dir", "a directory"), "File": ("file", "a file"),
              "Socket": (None, "a socket file"), "CharDevice": (None, "a character device"),
              "BlockDevice": (None, "a block device")}
    if kind not in checks:
        raise setup_failed(volume, f"{kind} is an invalid volume type")
    wanted, noun = checks[kind]
    if wanted is None or found != wanted:
        raise setup_failed(volume, f"hostPath type check failed: {path} is not {noun}")


def _make_dir(volume: str, disk: FileTree, path: str) -> None:
    try:
        disk.make_dirs(path)
    except FsError as err:
        raise setup_failed(volume, f"mkdir {err.path}: not a directory") from None


# -- ConfigMap, Secret, downward API and projected contents ---------------------------------
def object_data(obj: dict) -> dict[str, str]:
    """The files a ConfigMap or Secret volume holds: key -> text (Secret values decoded)."""
    if obj.get("kind") == "Secret":
        data = {k: _decode(v) for k, v in (obj.get("data") or {}).items()}
        data.update(obj.get("stringData") or {})
        return data
    data = dict(obj.get("data") or {})
    data.update({k: _decode(v) for k, v in (obj.get("binaryData") or {}).items()})
    return data


def _decode(value: str) -> str:
    try:
        return base64.b64decode(value or "").decode("utf-8", errors="replace")
    except (ValueError, TypeError):
        return ""


def pod_reference(pod: dict) -> dict:
    """What a volume, or a container filesystem made later, keeps of its pod: the
    metadata and spec they read. Not the whole pod, whose status of that moment would
    otherwise stay alive as long as they do."""
    return {"metadata": pod["metadata"], "spec": pod.get("spec") or {}}


def _field(pod: dict, path: str) -> str:
    meta = pod["metadata"]
    if path in ("metadata.labels", "metadata.annotations"):
        values = meta.get(path.split(".")[1]) or {}
        return "\n".join(f'{k}="{v}"' for k, v in sorted(values.items()))
    simple = {"metadata.name": meta.get("name", ""),
              "metadata.namespace": meta.get("namespace", ""),
              "metadata.uid": meta.get("uid", ""),
              "spec.nodeName": pod["spec"].get("nodeName", ""),
              "spec.serviceAccountName": pod["spec"].get("serviceAccountName", "")}
    return simple.get(path, "")


def _downward(api, pod: dict, items) -> tuple[tuple, dict[str, str]]:
    current = api.store.get("Pod", pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
    source = current if current is not None else pod
    files = {item.get("path", ""): _field(source, (item.get("fieldRef") or {}).get("fieldPath", ""))
             for item in items if item.get("fieldRef")}
    return (source["metadata"].get("resourceVersion"),), files


def _projected(api, pod: dict, sources) -> tuple[tuple, dict[str, str]]:
    namespace = pod["metadata"].get("namespace", "default")
    files: dict[str, str] = {}
    version: list = []
    for source in sources:
        if source.get("serviceAccountToken"):
            token = source["serviceAccountToken"]
            files[token.get("path") or "token"] = service_account_token(pod)
        for kind, key in (("ConfigMap", "configMap"), ("Secret", "secret")):
            if source.get(key):
                ref = source[key]
                obj = api.store.get(kind, namespace, ref.get("name", ""))
                version.append(obj["metadata"].get("resourceVersion") if obj else None)
                data = object_data(obj) if obj else {}
                items = ref.get("items")
                if items:
                    files.update({i.get("path") or i.get("key"): data[i.get("key")]
                                  for i in items if i.get("key") in data})
                else:
                    files.update(data)
        if source.get("downwardAPI"):
            _, more = _downward(api, pod, (source["downwardAPI"] or {}).get("items") or ())
            files.update(more)
    return tuple(version), files


def service_account_token(pod: dict) -> str:
    """A JWT-shaped token, the same for the same pod (no wall clock, no randomness)."""
    meta = pod["metadata"]
    seed = f"{meta.get('namespace')}/{meta['name']}/{meta.get('uid')}".encode()
    body = base64.urlsafe_b64encode(hashlib.sha256(seed).digest() * 4).decode().rstrip("=")
    head = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imt1YmVsZWFybiJ9"
    sig = base64.urlsafe_b64encode(hashlib.sha256(seed + b"sig").digest() * 8).decode()
    return f"{head}.{body}.{sig.rstrip('=')}"


def storage_of(cluster) -> ClusterStorage:
    """``cluster.storage`` (made on first use for clusters built without it)."""
    storage = getattr(cluster, "storage", None)
    if storage is None:
        storage = cluster.storage = ClusterStorage()
    return storage
