"""The ``Volumes:`` block of pods and pod templates, and a PersistentVolume's ``Source:``.

Ports of describeVolumes and the print*VolumeSource functions of describe.go
(v1.32) for the sources kubelearn models. A projected volume prints the 1.32
form: ``ConfigMapName``/``ConfigMapOptional`` and ``SecretName``/
``SecretOptionalName`` with the ``*bool`` printed by ``%v``, so ``<nil>`` when
unset (the ``Optional: false`` form came in 1.33). A source upstream can print
but kubelearn does not model raises ``NotImplementedError``.
"""
from __future__ import annotations

from kubelearn.api.quantity import QuantityParseError, parse_quantity
from kubelearn.apiserver.tables import quantity_text
from kubelearn.kubectl.describe.writer import (LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3,
                                               MAX_ANNOTATION_LEN, go_bool)

# What %v prints for a non-nil *bool in the 1.32 projected-volume lines: a pointer. The real
# value is a memory address that changes every run; this fixed one keeps output reproducible.
GO_BOOL_POINTER = "0xc0004a6f38"

# Volume sources upstream can print but kubelearn does not model.
UNBUILT_SOURCES = (
    "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "ephemeral", "fc",
    "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "image", "iscsi",
    "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos",
    "vsphereVolume",
)


def describe_volumes(w, volumes: list[dict] | None, space: str) -> None:
    if not volumes:
        w.write(LEVEL_0, f"{space}Volumes:\t<none>\n")
        return
    w.write(LEVEL_0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(LEVEL_1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        describe_volume_source(w, volume)


def describe_volume_source(w, source: dict) -> None:
    """The Type line and fields of one volume source (a pod volume, or a PV's spec)."""
    for field, printer in _PRINTERS:
        if source.get(field) is not None:
            printer(w, source[field])
            return
    unbuilt = sorted(f for f in UNBUILT_SOURCES if source.get(f) is not None)
    if unbuilt:
        raise NotImplementedError(f"describe for {unbuilt[0]} volumes is not built yet")
    w.write(LEVEL_1, "<unknown>\n")


def _host_path(w, src: dict) -> None:
    kind = src["type"] if src.get("type") is not None else "<none>"
    w.write(LEVEL_2, "Type:\tHostPath (bare host directory volume)\n"
                     f"    Path:\t{src.get('path', '')}\n    HostPathType:\t{kind}\n")


def _empty_dir(w, src: dict) -> None:
    size = src.get("sizeLimit")
    try:
        positive = size is not None and parse_quantity(size).sign() > 0
    except QuantityParseError:
        positive = False
    w.write(LEVEL_2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                     f"    Medium:\t{src.get('medium', '')}\n"
                     f"    SizeLimit:\t{quantity_text(size) if positive else '<unset>'}\n")


def _secret(w, src: dict) -> None:
    w.write(LEVEL_2, "Type:\tSecret (a volume populated by a Secret)\n"
                     f"    SecretName:\t{src.get('secretName', '')}\n"
                     f"    Optional:\t{go_bool(src.get('optional'))}\n")


def _config_map(w, src: dict) -> None:
    w.write(LEVEL_2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                     f"    Name:\t{src.get('name', '')}\n"
                     f"    Optional:\t{go_bool(src.get('optional'))}\n")


def _pointer(value) -> str:
    return "<nil>" if value is None else GO_BOOL_POINTER


def _projected(w, src: dict) -> None:
    w.write(LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple "
                     "sources)\n")
    for item in src.get("sources") or []:
        if item.get("secret") is not None:
            secret = item["secret"]
            w.write(LEVEL_2, f"SecretName:\t{secret.get('name', '')}\n"
                             f"    SecretOptionalName:\t{_pointer(secret.get('optional'))}\n")
        elif item.get("downwardAPI") is not None:
            w.write(LEVEL_2, "DownwardAPI:\ttrue\n")
        elif item.get("configMap") is not None:
            config_map = item["configMap"]
            w.write(LEVEL_2, f"ConfigMapName:\t{config_map.get('name', '')}\n"
                             f"    ConfigMapOptional:\t{_pointer(config_map.get('optional'))}\n")
        elif item.get("serviceAccountToken") is not None:
            w.write(LEVEL_2, "TokenExpirationSeconds:\t"
                             f"{item['serviceAccountToken'].get('expirationSeconds', 3600)}\n")


def _pvc(w, src: dict) -> None:
    w.write(LEVEL_2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the "
                     f"same namespace)\n    ClaimName:\t{src.get('claimName', '')}\n"
                     f"    ReadOnly:\t{go_bool(src.get('readOnly'))}\n")


def _nfs(w, src: dict) -> None:
    w.write(LEVEL_2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
                     f"    Server:\t{src.get('server', '')}\n    Path:\t{src.get('path', '')}\n"
                     f"    ReadOnly:\t{go_bool(src.get('readOnly'))}\n")


def _local(w, src: dict) -> None:
    w.write(LEVEL_2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n"
                     f"    Path:\t{src.get('path', '')}\n")


def _downward_api(w, src: dict) -> None:
    w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n"
                     "    Items:\n")
    for item in src.get("items") or []:
        if item.get("fieldRef") is not None:
            w.write(LEVEL_3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
        if item.get("resourceFieldRef") is not None:
            w.write(LEVEL_3, f"{item['resourceFieldRef'].get('resource', '')} -> "
                             f"{item.get('path', '')}\n")


def _csi(w, src: dict) -> None:
    """printCSIVolumeSource (pod volume) or printCSIPersistentVolumeSource (has volumeHandle)."""
    lines = ["Type:\tCSI (a Container Storage Interface (CSI) volume source)\n",
             f"    Driver:\t{src.get('driver', '')}\n", f"    FSType:\t{src.get('fsType') or ''}\n"]
    if "volumeHandle" in src:
        lines.append(f"    VolumeHandle:\t{src.get('volumeHandle', '')}\n")
    lines.append(f"    ReadOnly:\t{go_bool(src.get('readOnly'))}\n")
    w.write(LEVEL_2, "".join(lines))
    attributes = src.get("volumeAttributes") or {}
    w.write(LEVEL_2, "VolumeAttributes:\t")
    if not attributes:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i:
            w.write(LEVEL_2, "")
            w.write(LEVEL_2, "\t")
        line = f"{key}={attributes[key]}"
        w.write(LEVEL_2, f"{line[:MAX_ANNOTATION_LEN]}...\n" if len(line) > MAX_ANNOTATION_LEN
                else f"{line}\n")


_PRINTERS = (
    ("hostPath", _host_path), ("emptyDir", _empty_dir), ("secret", _secret),
    ("configMap", _config_map), ("nfs", _nfs), ("persistentVolumeClaim", _pvc),
    ("downwardAPI", _downward_api), ("projected", _projected), ("csi", _csi), ("local", _local),
)
