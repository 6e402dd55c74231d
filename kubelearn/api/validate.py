"""Per-kind validation, as kube-apiserver v1.32 runs it after defaulting.

``validate(info, obj, old)`` returns the ``FieldError`` list of upstream's
``Validate*`` (create) or ``Validate*Update`` (``old`` given) functions, in the
order upstream appends them, so the 422 a learner reads has the same lines in
the same order. Sources: ``pkg/apis/core/validation/validation.go``,
``pkg/apis/apps/validation/validation.go``, ``pkg/apis/storage/validation``,
the registry strategies (selector immutability for apps/v1, PVC/Pod update
rules) and the Service REST allocator (node port range).

Where Go iterates a map (data keys, resource lists) and so reports in random
order, keys are visited sorted. Values print as v1.32 prints them: Go ``%#v``
for maps and structs (``map[string]string{"app":"web"}``).
"""
from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from functools import lru_cache
from typing import Any, Callable

from kubelearn.api import validation as v
from kubelearn.api.kinds import KindInfo
from kubelearn.api.quantity import QuantityParseError, parse_quantity
from kubelearn.api.selector import SelectorError, selector_from_label_selector
from kubelearn.api.validation import (FieldError, GoLiteral, duplicate, forbidden, go_quote,
                                      go_repr, invalid, not_found, not_supported, required)

NODE_PORT_RANGE = (30000, 32767)
MAX_INT32 = 2 ** 31 - 1
MAX_SECRET_SIZE = 1024 * 1024
FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
POD_UPDATABLE_FIELDS = ("`spec.containers[*].image`", "`spec.initContainers[*].image`",
                        "`spec.activeDeadlineSeconds`",
                        "`spec.tolerations` (only additions to existing tolerations)",
                        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                        "previously negative)")


def validate(info: KindInfo, obj: dict, old: dict | None = None) -> list[FieldError]:
    """Field errors for ``obj`` (create) or for the update ``old`` -> ``obj``."""
    if old is None:
        fn = _CREATE.get(info.kind)
        return fn(obj) if fn else _meta(obj, info.namespaced, v.name_is_dns_subdomain)
    fn = _UPDATE.get(info.kind)
    if fn:
        return fn(obj, old)
    return _meta_update(obj, old) + _CREATE.get(info.kind, lambda o: [])(obj)


# --- small helpers ---------------------------------------------------------------------------

def _g(obj: dict | None, *keys, default=None):
    for key in keys:
        if not isinstance(obj, dict):
            return default
        obj = obj.get(key)
    return default if obj is None else obj


def _q(value: Any):
    """A parsed quantity, or None when it does not parse (decode already refused those)."""
    if isinstance(value, (str, int, float)):
        return _parsed(type(value), value)
    return None


@lru_cache(maxsize=4096)
def _parsed(kind: type, value: Any):
    """Parsing is the costly part of resource checks; the same few values recur."""
    try:
        return parse_quantity(value)
    except (QuantityParseError, TypeError, ValueError):
        return None


def _semantic(value: Any) -> Any:
    """apiequality.Semantic on decoded JSON: an absent field equals its zero value (Go sees
    no difference between ``hostNetwork: false`` and no ``hostNetwork``); nil and empty
    maps and slices are equal."""
    if isinstance(value, dict):
        return {k: _semantic(x) for k, x in value.items()
                if not (x is None or x == {} or x == [] or x == "" or x is False
                        or (type(x) is int and x == 0))}
    if isinstance(value, list):
        return [_semantic(x) for x in value]
    return value


def _sem_equal(a: Any, b: Any) -> bool:
    return _semantic(a or None) == _semantic(b or None)


def _names(value: str, fn: Callable[[str, bool], list], path: str, prefix=False) -> list:
    return [invalid(path, value, msg) for msg in fn(value, prefix)]


def _dns_label(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in v.is_dns1123_label(value)]


def _dns_subdomain(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in v.is_dns1123_subdomain(value)]


def _qualified_name(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in v.is_qualified_name(value)]


def _nonneg(value: Any, path: str) -> list[FieldError]:
    return v.validate_nonnegative_field(value or 0, path)


def _valid_ip(value: str, path: str) -> list[FieldError]:
    if _parse_ip(value) is None:
        return [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    return []


def _parse_ip(value: str):
    """netutils.ParseIPSloppy: also accepts IPv4 parts with leading zeros."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        parts = value.split(".")
        if len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts):
            return ipaddress.ip_address(".".join(str(int(p)) for p in parts))
        return None


def _non_special_ip(value: str, path: str) -> list[FieldError]:
    ip = _parse_ip(value)
    if ip is None:
        return [invalid(path, value, "must be a valid IP address")]
    errs = []
    if ip.is_unspecified:
        errs.append(invalid(path, value, f"may not be unspecified ({value})"))
    if ip.is_loopback:
        errs.append(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if ip.is_link_local:
        errs.append(invalid(path, value,
                            "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    if ip.is_multicast and (ip in ipaddress.ip_network("224.0.0.0/24") or
                            ip in ipaddress.ip_network("ff02::/16")):
        errs.append(invalid(path, value, "may not be in the link-local multicast range "
                                         "(224.0.0.0/24, ff02::/10)"))
    return errs


def _port_num(port: Any, path: str) -> list[FieldError]:
    return [invalid(path, port, msg) for msg in v.is_valid_port_num(port or 0)]


def _port_num_or_name(port: Any, path: str) -> list[FieldError]:
    """ValidatePortNumOrName for an int-or-string."""
    if isinstance(port, str):
        return [invalid(path, port, msg) for msg in v.is_valid_port_name(port)]
    return [invalid(path, port or 0, msg) for msg in v.is_valid_port_num(port or 0)]


# --- metadata --------------------------------------------------------------------------------

_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


def _kube_finalizer(name: str, path: str) -> list[FieldError]:
    """validateKubeFinalizerName: a name without '/' must be a standard finalizer."""
    if "/" not in name and name not in _STANDARD_FINALIZERS:
        return [invalid(path, name, "name is neither a standard finalizer name nor is it fully "
                                    "qualified")]
    return []


def _meta(obj: dict, namespaced: bool, name_fn, path: str = "metadata") -> list[FieldError]:
    """core ValidateObjectMeta: apimachinery's checks plus kube finalizer names."""
    meta = obj.get("metadata") or {}
    errs = v.validate_object_meta(meta, namespaced, name_fn, path)
    for i, fin in enumerate(meta.get("finalizers") or []):
        errs += _kube_finalizer(fin, f"{path}.finalizers[{i}]")
    return errs


def _meta_update(obj: dict, old: dict, path: str = "metadata") -> list[FieldError]:
    """ValidateObjectMetaUpdate (apimachinery objectmeta.go) plus kube finalizer names."""
    new, prev = obj.get("metadata") or {}, old.get("metadata") or {}
    errs: list[FieldError] = []
    if prev.get("deletionTimestamp"):
        extra = sorted(set(new.get("finalizers") or []) - set(prev.get("finalizers") or []))
        if extra:
            errs.append(forbidden(f"{path}.finalizers", "no new finalizers can be added if the "
                                  f"object is being deleted, found new finalizers "
                                  f"{go_repr(extra, '[]string')}"))
    if (new.get("generation") or 0) < (prev.get("generation") or 0):
        errs.append(invalid(f"{path}.generation", new.get("generation") or 0,
                            "must not be decremented"))
    for key in ("name", "namespace", "uid", "creationTimestamp"):
        if (new.get(key) or "") != (prev.get(key) or ""):
            errs.append(invalid(f"{path}.{key}", new.get(key) or "", v.FIELD_IMMUTABLE_ERROR_MSG))
    errs += v.validate_labels(new.get("labels"), f"{path}.labels")
    errs += v.validate_annotations(new.get("annotations"), f"{path}.annotations")
    for i, fin in enumerate(new.get("finalizers") or []):
        errs += _kube_finalizer(fin, f"{path}.finalizers[{i}]")
    return errs


# --- volumes ---------------------------------------------------------------------------------

# validateVolumeSource visits sources in this order; the second element is the path child
# upstream names in "may not specify more than 1 volume type" (typos included).
_POD_SOURCES = (("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
                ("gcePersistentDisk", "gcePersistentDisk"),
                ("awsElasticBlockStore", "awsElasticBlockStore"), ("secret", "secret"),
                ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"),
                ("flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim"),
                ("rbd", "rbd"), ("cinder", "cinder"), ("cephfs", "cephFS"),
                ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"), ("fc", "fc"),
                ("flexVolume", "flexVolume"), ("configMap", "configMap"),
                ("azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume"),
                ("photonPersistentDisk", "photonPersistentDisk"),
                ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"),
                ("storageos", "storageos"), ("projected", "projected"), ("scaleIO", "scaleIO"),
                ("csi", "csi"), ("ephemeral", "ephemeral"), ("image", "image"))
_HOST_PATH_TYPES = ("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File",
                    "FileOrCreate", "Socket")


def _no_backsteps(target: str, path: str) -> list[FieldError]:
    if ".." in target.replace("\\", "/").split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def _local_descending(target: str, path: str) -> list[FieldError]:
    errs = []
    if target.startswith("/"):
        errs.append(invalid(path, target, "must be a relative path"))
    return errs + _no_backsteps(target, path)


def _local_non_reserved(target: str, path: str) -> list[FieldError]:
    errs = _local_descending(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(path, target, "must not start with '..'"))
    return errs


def _mode(mode: Any, path: str) -> list[FieldError]:
    if mode is not None and (mode > 0o777 or mode < 0):
        return [invalid(path, mode, FILE_MODE_ERROR)]
    return []


def _key_to_paths(items: list | None, path: str) -> list[FieldError]:
    errs = []
    for i, kp in enumerate(items or []):
        p = f"{path}[{i}]"
        if not kp.get("key"):
            errs.append(required(f"{p}.key"))
        if not kp.get("path"):
            errs.append(required(f"{p}.path"))
        errs += _local_non_reserved(kp.get("path") or "", f"{p}.path")
        errs += _mode(kp.get("mode"), f"{p}.mode")
    return errs


def _host_path(src: dict, path: str) -> list[FieldError]:
    if not src.get("path"):
        return [required(f"{path}.path")]
    errs = _no_backsteps(src["path"], f"{path}.path")
    if src.get("type") is not None and src["type"] not in _HOST_PATH_TYPES:
        errs.append(not_supported(f"{path}.type", src["type"], _HOST_PATH_TYPES))
    return errs


def _nfs(src: dict, path: str) -> list[FieldError]:
    errs = []
    if not src.get("server"):
        errs.append(required(f"{path}.server"))
    if not src.get("path"):
        errs.append(required(f"{path}.path"))
    if not (src.get("path") or "").startswith("/"):
        errs.append(invalid(f"{path}.path", src.get("path") or "", "must be an absolute path"))
    return errs


def _aws_ebs(src: dict, path: str) -> list[FieldError]:
    errs = [] if src.get("volumeID") else [required(f"{path}.volumeID")]
    partition = src.get("partition") or 0
    if partition < 0 or partition > 255:
        errs.append(invalid(f"{path}.partition", partition, v.inclusive_range_error(1, 255)))
    return errs


def _csi_driver(driver: str, path: str) -> list[FieldError]:
    errs = [] if driver else [required(path)]
    if len(driver) > 63:
        errs.append(v.too_long(path, 63))
    errs += [invalid(path, driver, msg) for msg in v.is_dns1123_subdomain(driver.lower())]
    return errs


def _projected(src: dict, path: str) -> list[FieldError]:
    errs = _mode(src.get("defaultMode"), f"{path}.defaultMode")
    seen: set = set()
    for i, source in enumerate(src.get("sources") or []):
        sp = f"{path}.sources[{i}]"
        count = 0
        for key in ("secret", "configMap"):
            proj = source.get(key)
            if proj is None:
                continue
            count += 1
            if not proj.get("name"):
                errs.append(required(f"{sp}.{key}.name"))
            errs += _key_to_paths(proj.get("items"), f"{sp}.{key}.items")
            for kp in proj.get("items") or []:
                if kp.get("path"):
                    if kp["path"] in seen:
                        errs.append(invalid(path, proj.get("name") or "",
                                            "conflicting duplicate paths"))
                    seen.add(kp["path"])
        if source.get("downwardAPI") is not None:
            count += 1
            for item in source["downwardAPI"].get("items") or []:
                errs += _downward_file(item, f"{sp}.downwardAPI")
        token = source.get("serviceAccountToken")
        if token is not None:
            count += 1
            seconds = token.get("expirationSeconds") or 0
            if seconds < 600:
                errs.append(invalid(f"{sp}.serviceAccountToken.expirationSeconds", seconds,
                                    "may not specify a duration less than 10 minutes"))
            if not token.get("path"):
                errs.append(required(f"{path}.path"))
            else:
                errs += _local_non_reserved(token["path"], f"{path}.path")
        if source.get("clusterTrustBundle") is not None:
            count += 1
        if count > 1:
            errs.append(forbidden(sp, "may not specify more than 1 volume type per source"))
    return errs


def _downward_file(item: dict, path: str) -> list[FieldError]:
    errs = [] if item.get("path") else [required(f"{path}.path")]
    errs += _local_non_reserved(item.get("path") or "", f"{path}.path")
    if item.get("fieldRef") is None and item.get("resourceFieldRef") is None:
        errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    errs += _mode(item.get("mode"), f"{path}.mode")
    return errs


def _volume_source(vol: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for key, child in _POD_SOURCES:
        src = vol.get(key)
        if src is None:
            continue
        if count:
            errs.append(forbidden(f"{path}.{child}", "may not specify more than 1 volume type"))
            continue
        count += 1
        p = f"{path}.{key}"
        if key == "emptyDir":
            size = _q(src.get("sizeLimit")) if src.get("sizeLimit") is not None else None
            if size is not None and size.sign() < 0:
                errs.append(forbidden(f"{p}.sizeLimit",
                                      "SizeLimit field must be a valid resource quantity"))
        elif key == "hostPath":
            errs += _host_path(src, p)
        elif key == "awsElasticBlockStore":
            errs += _aws_ebs(src, p)
        elif key == "secret":
            if not src.get("secretName"):
                errs.append(required(f"{p}.secretName"))
            errs += _mode(src.get("defaultMode"), f"{p}.defaultMode")
            errs += _key_to_paths(src.get("items"), f"{p}.items")
        elif key == "nfs":
            errs += _nfs(src, p)
        elif key == "persistentVolumeClaim":
            if not src.get("claimName"):
                errs.append(required(f"{p}.claimName"))
        elif key == "downwardAPI":
            errs += _mode(src.get("defaultMode"), f"{p}.defaultMode")
            for item in src.get("items") or []:
                errs += _downward_file(item, p)
        elif key == "configMap":
            if not src.get("name"):
                errs.append(required(f"{p}.name"))
            errs += _mode(src.get("defaultMode"), f"{p}.defaultMode")
            errs += _key_to_paths(src.get("items"), f"{p}.items")
        elif key == "projected":
            errs += _projected(src, p)
        elif key == "csi":
            errs += _csi_driver(src.get("driver") or "", f"{p}.driver")
            secret = src.get("nodePublishSecretRef")
            if secret is not None:
                if not secret.get("name"):
                    errs.append(required(f"{p}.nodePublishSecretRef.name"))
                else:
                    errs += _names(secret["name"], v.name_is_dns_subdomain, f"{p}.name")
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def _volumes(volumes: list | None, path: str) -> tuple[dict, list[FieldError]]:
    """ValidateVolumes: the usable volumes by name, and the errors (a bad volume is unusable)."""
    names: dict[str, dict] = {}
    errs: list[FieldError] = []
    for i, vol in enumerate(volumes or []):
        p = f"{path}[{i}]"
        el = _volume_source(vol, p)
        name = vol.get("name") or ""
        if not name:
            el.append(required(f"{p}.name"))
        else:
            el += _dns_label(name, f"{p}.name")
        if name in names:
            el.append(duplicate(f"{p}.name", name))
        if not el:
            names[name] = vol
        else:
            errs += el
    return names, errs


# --- containers ------------------------------------------------------------------------------

_PROTOCOLS = ("SCTP", "TCP", "UDP")
_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_RELAXED_ENV_MSG = ("a valid environment variable name must consist only of printable ASCII "
                    "characters other than '='")
_ENV_FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                    "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
                    "status.podIPs")
# pods.ConvertDownwardAPIFieldLabel (v1): what a fieldRef may name at all.
_CONVERTIBLE_FIELD_PATHS = frozenset(("metadata.annotations", "metadata.labels", "metadata.name",
                                      "metadata.namespace", "metadata.uid", "spec.nodeName",
                                      "spec.restartPolicy", "spec.serviceAccountName",
                                      "spec.schedulerName", "status.phase", "status.hostIP",
                                      "status.hostIPs", "status.podIP", "status.podIPs"))
_RESOURCE_FIELD_PATHS = ("limits.cpu", "limits.ephemeral-storage", "limits.memory",
                         "requests.cpu", "requests.ephemeral-storage", "requests.memory")
_SUBSCRIPT = re.compile(r"(metadata\.(?:annotations|labels))\['(.*)'\]")


def _relaxed_env_name(name: str) -> list[str]:
    """IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is beta, on, in v1.32)."""
    if any(ord(ch) > 126 or ord(ch) < 32 or ch == "=" for ch in name):
        return [_RELAXED_ENV_MSG]
    return []


def _container_ports(ports: list | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set = set()
    for i, port in enumerate(ports or []):
        p = f"{path}[{i}]"
        name = port.get("name") or ""
        if name:
            msgs = v.is_valid_port_name(name)
            if msgs:
                errs += [invalid(f"{p}.name", name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(f"{p}.name", name))
            else:
                names.add(name)
        cport = port.get("containerPort") or 0
        if cport == 0:
            errs.append(required(f"{p}.containerPort"))
        else:
            errs += _port_num(cport, f"{p}.containerPort")
        if port.get("hostPort"):
            errs += _port_num(port["hostPort"], f"{p}.hostPort")
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(required(f"{p}.protocol"))
        elif protocol not in _PROTOCOLS:
            errs.append(not_supported(f"{p}.protocol", protocol, _PROTOCOLS))
    return errs


def _field_ref(ref: dict, path: str) -> list[FieldError]:
    if not ref.get("apiVersion"):
        return [required(f"{path}.apiVersion")]
    field_path = ref.get("fieldPath") or ""
    if not field_path:
        return [required(f"{path}.fieldPath")]
    sub = _SUBSCRIPT.fullmatch(field_path)
    base = sub.group(1) if sub else field_path
    if base not in _CONVERTIBLE_FIELD_PATHS:
        return [invalid(f"{path}.fieldPath", field_path,
                        f"error converting fieldPath: field label not supported: {field_path}")]
    if sub:
        key = sub.group(2).lower() if base == "metadata.annotations" else sub.group(2)
        return _qualified_name(key, path)
    if base not in _ENV_FIELD_PATHS:
        return [not_supported(f"{path}.fieldPath", base, _ENV_FIELD_PATHS)]
    return []


def _key_selector(sel: dict, path: str) -> list[FieldError]:
    errs = _names(sel.get("name") or "", v.name_is_dns_subdomain, f"{path}.name")
    key = sel.get("key") or ""
    if not key:
        errs.append(required(f"{path}.key"))
    else:
        errs += [invalid(f"{path}.key", key, msg) for msg in v.is_config_map_key(key)]
    return errs


def _env(env: list | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, var in enumerate(env or []):
        p = f"{path}[{i}]"
        name = var.get("name") or ""
        if not name:
            errs.append(required(f"{p}.name"))
        else:
            errs += [invalid(f"{p}.name", name, msg) for msg in _relaxed_env_name(name)]
        source = var.get("valueFrom")
        if source is None:
            continue
        sp = f"{p}.valueFrom"
        count = 0
        if source.get("fieldRef") is not None:
            count += 1
            errs += _field_ref(source["fieldRef"], f"{sp}.fieldRef")
        if source.get("resourceFieldRef") is not None:
            count += 1
            res = source["resourceFieldRef"].get("resource") or ""
            if not res:
                errs.append(required(f"{sp}.resourceFieldRef.resource"))
            elif res not in _RESOURCE_FIELD_PATHS and not res.startswith(
                    ("limits.hugepages-", "requests.hugepages-")):
                errs.append(not_supported(f"{sp}.resourceFieldRef.resource", res,
                                          _RESOURCE_FIELD_PATHS))
        if source.get("configMapKeyRef") is not None:
            count += 1
            errs += _key_selector(source["configMapKeyRef"], f"{sp}.configMapKeyRef")
        if source.get("secretKeyRef") is not None:
            count += 1
            errs += _key_selector(source["secretKeyRef"], f"{sp}.secretKeyRef")
        if count == 0:
            errs.append(invalid(sp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                        "`configMapKeyRef` or `secretKeyRef`"))
        elif var.get("value"):
            errs.append(invalid(sp, "", "may not be specified when `value` is not empty"))
        elif count > 1:
            errs.append(invalid(sp, "", "may not have more than one field specified at a time"))
    return errs


def _env_from(sources: list | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, src in enumerate(sources or []):
        p = f"{path}[{i}]"
        if src.get("prefix"):
            errs += [invalid(f"{p}.prefix", src["prefix"], m)
                     for m in _relaxed_env_name(src["prefix"])]
        count = 0
        for key in ("configMapRef", "secretRef"):
            ref = src.get(key)
            if ref is None:
                continue
            count += 1
            if not ref.get("name"):
                errs.append(required(f"{p}.{key}.name"))
            else:
                errs += _names(ref["name"], v.name_is_dns_subdomain, f"{p}.{key}.name",
                               prefix=True)
        if count == 0:
            errs.append(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _volume_mounts(mounts: list | None, volumes: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set = set()
    for i, mnt in enumerate(mounts or []):
        p = f"{path}[{i}]"
        name = mnt.get("name") or ""
        if not name:
            errs.append(required(f"{p}.name"))
        if name not in volumes:
            errs.append(not_found(f"{p}.name", name))
        mount_path = mnt.get("mountPath") or ""
        if not mount_path:
            errs.append(required(f"{p}.mountPath"))
        if mount_path in seen:
            errs.append(invalid(f"{p}.mountPath", mount_path, "must be unique"))
        seen.add(mount_path)
        if mnt.get("subPath"):
            errs += _local_descending(mnt["subPath"], f"{path}.subPath")
        if mnt.get("subPathExpr"):
            if mnt.get("subPath"):
                errs.append(invalid(f"{p}.subPathExpr", mnt["subPathExpr"],
                                    "subPathExpr and subPath are mutually exclusive"))
            errs += _local_descending(mnt["subPathExpr"], f"{path}.subPathExpr")
        propagation = mnt.get("mountPropagation")
        if propagation is not None and propagation not in ("Bidirectional", "HostToContainer",
                                                           "None"):
            errs.append(not_supported(f"{path}.mountPropagation", propagation,
                                      ("Bidirectional", "HostToContainer", "None")))
    return errs


_STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
# helper.standardResources (pkg/apis/core/helper/helpers.go): names a quota may also use.
_STANDARD_RESOURCES = frozenset((
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    "pods", "quota", "services", "replicationcontrollers", "resourcequotas", "secrets",
    "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers",
    "storage", "requests.storage"))


def _resource_name(name: str, path: str) -> list[FieldError]:
    """validateContainerResourceName (after validateResourceName)."""
    return [invalid(path, name, msg) for msg in _resource_name_messages(name)]


@lru_cache(maxsize=1024)
def _resource_name_messages(name: str) -> tuple[str, ...]:
    msgs = v.is_qualified_name(name)
    if msgs:
        return tuple(msgs)
    if "/" not in name:
        hugepages = name.startswith(("hugepages-", "requests.hugepages-"))
        if name not in _STANDARD_RESOURCES and not hugepages:
            msgs.append("must be a standard resource type or fully qualified")
        if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
            msgs.append("must be a standard resource for containers")
    return tuple(msgs)


def _overcommit(name: str) -> bool:
    """IsOvercommitAllowed: native resources other than hugepages."""
    native = "/" not in name or name.split("/")[0].endswith("kubernetes.io")
    return native and not name.startswith("hugepages-")


def _resources(res: dict | None, path: str) -> list[FieldError]:
    """validateResourceRequirements (containers)."""
    res = res or {}
    errs: list[FieldError] = []
    limits, requests = res.get("limits") or {}, res.get("requests") or {}
    for name in sorted(limits):
        p = f"{path}.limits[{name}]"
        errs += _resource_name(name, p)
        q = _q(limits[name])
        if q is not None and q.sign() < 0:
            errs.append(invalid(p, str(q), v.IS_NEGATIVE_ERROR_MSG))
    for name in sorted(requests):
        p = f"{path}.requests[{name}]"
        errs += _resource_name(name, p)
        q = _q(requests[name])
        if q is None:
            continue
        if q.sign() < 0:
            errs.append(invalid(p, str(q), v.IS_NEGATIVE_ERROR_MSG))
        if name in limits:
            limit = _q(limits[name])
            if limit is None:
                continue
            if q != limit and not _overcommit(name):
                errs.append(invalid(f"{path}.requests", str(q),
                                    f"must be equal to {name} limit of {limit}"))
            elif q > limit:
                errs.append(invalid(f"{path}.requests", str(q),
                                    f"must be less than or equal to {name} limit of {limit}"))
        elif not _overcommit(name):
            errs.append(required(f"{path}.limits",
                                 "Limit must be set for non overcommitable resources"))
    return errs


def _handler(handler: dict, path: str, kinds: tuple[str, ...]) -> list[FieldError]:
    """validateHandler: exactly one of exec/httpGet/tcpSocket/grpc (probes) or sleep (hooks)."""
    errs: list[FieldError] = []
    count = 0
    for kind in kinds:
        action = handler.get(kind)
        if action is None:
            continue
        if count:
            errs.append(forbidden(f"{path}.{kind}", "may not specify more than 1 handler type"))
            continue
        count += 1
        p = f"{path}.{kind}"
        if kind == "exec":
            if not action.get("command"):
                errs.append(required(f"{p}.command"))
        elif kind == "httpGet":
            if not action.get("path"):
                errs.append(required(f"{p}.path"))
            errs += _port_num_or_name(action.get("port"), f"{p}.port")
            scheme = action.get("scheme") or ""
            if scheme not in ("HTTP", "HTTPS"):
                errs.append(not_supported(f"{p}.scheme", scheme, ("HTTP", "HTTPS")))
        elif kind == "tcpSocket":
            errs += _port_num_or_name(action.get("port"), f"{p}.port")
        elif kind == "grpc":
            errs += _port_num_or_name(action.get("port") or 0, f"{p}.port")
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_HOOK_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")


def _probe(probe: dict | None, path: str, kind: str) -> list[FieldError]:
    if probe is None:
        return []
    errs = _handler(probe, path, _PROBE_HANDLERS)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold"):
        errs += _nonneg(probe.get(key), f"{path}.{key}")
    grace = probe.get("terminationGracePeriodSeconds")
    if grace is not None and grace <= 0:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", grace,
                            "must be greater than 0"))
    if kind in ("liveness", "startup") and probe.get("successThreshold") != 1:
        errs.append(invalid(f"{path}.successThreshold", probe.get("successThreshold") or 0,
                            "must be 1"))
    if kind == "readiness" and grace is not None:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", grace,
                            "must not be set for readinessProbes"))
    return errs


def _lifecycle(lifecycle: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for hook in ("postStart", "preStop"):
        if lifecycle.get(hook) is not None:
            errs += _handler(lifecycle[hook], f"{path}.{hook}", _HOOK_HANDLERS)
    return errs


def _container_common(ctr: dict, volumes: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = ctr.get("name") or ""
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs += _dns_label(name, f"{path}.name")
    if not ctr.get("image"):
        errs.append(required(f"{path}.image"))
    policy = ctr.get("terminationMessagePolicy") or ""
    if not policy:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif policy not in ("File", "FallbackToLogsOnError"):
        errs.append(not_supported(f"{path}.terminationMessagePolicy", policy,
                                  ("File", "FallbackToLogsOnError")))
    errs += _container_ports(ctr.get("ports"), f"{path}.ports")
    errs += _env(ctr.get("env"), f"{path}.env")
    errs += _env_from(ctr.get("envFrom"), f"{path}.envFrom")
    errs += _volume_mounts(ctr.get("volumeMounts"), volumes, f"{path}.volumeMounts")
    pull = ctr.get("imagePullPolicy") or ""
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif pull not in _PULL_POLICIES:
        errs.append(not_supported(f"{path}.imagePullPolicy", pull, _PULL_POLICIES))
    errs += _resources(ctr.get("resources"), f"{path}.resources")
    return errs


def _host_port_conflicts(containers: list, path: str, seen: set) -> list[FieldError]:
    errs: list[FieldError] = []
    for ci, ctr in enumerate(containers):
        for pi, port in enumerate(ctr.get("ports") or []):
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol') or ''}/{port.get('hostIP') or ''}/{port['hostPort']}"
            if key in seen:
                errs.append(duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errs


def _containers(containers: list | None, volumes: dict, path: str) -> list[FieldError]:
    if not containers:
        return [required(path)]
    errs: list[FieldError] = []
    names: set = set()
    for i, ctr in enumerate(containers):
        p = f"{path}[{i}]"
        errs += _container_common(ctr, volumes, p)
        name = ctr.get("name") or ""
        if name in names:
            errs.append(duplicate(f"{p}.name", name))
        names.add(name)
        if ctr.get("lifecycle") is not None:
            errs += _lifecycle(ctr["lifecycle"], f"{p}.lifecycle")
        errs += _probe(ctr.get("livenessProbe"), f"{p}.livenessProbe", "liveness")
        errs += _probe(ctr.get("readinessProbe"), f"{p}.readinessProbe", "readiness")
        errs += _probe(ctr.get("startupProbe"), f"{p}.startupProbe", "startup")
        if ctr.get("restartPolicy") is not None:
            errs.append(forbidden(f"{p}.restartPolicy", "may not be set for non-init containers"))
    return errs + _host_port_conflicts(containers, path, set())


def _init_containers(inits: list | None, regular: list | None, volumes: dict,
                     path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names = {c.get("name") or "" for c in regular or []}
    for i, ctr in enumerate(inits or []):
        p = f"{path}[{i}]"
        errs += _container_common(ctr, volumes, p)
        policy = ctr.get("restartPolicy")
        if policy is not None and policy != "Always":
            errs.append(not_supported(f"{p}.restartPolicy", policy, ("Always",)))
        name = ctr.get("name") or ""
        if name in names:
            errs.append(duplicate(f"{p}.name", name))
        elif name:
            names.add(name)
        errs += _host_port_conflicts([ctr], path, set())
        if policy == "Always":
            if ctr.get("lifecycle") is not None:
                errs += _lifecycle(ctr["lifecycle"], f"{p}.lifecycle")
            errs += _probe(ctr.get("livenessProbe"), f"{p}.livenessProbe", "liveness")
            errs += _probe(ctr.get("readinessProbe"), f"{p}.readinessProbe", "readiness")
            errs += _probe(ctr.get("startupProbe"), f"{p}.startupProbe", "startup")
        else:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if ctr.get(key) is not None:
                    errs.append(forbidden(f"{p}.{key}", "may not be set for init containers "
                                                       "without restartPolicy=Always"))
    return errs


# --- pod spec --------------------------------------------------------------------------------

_RESTART_POLICIES = ("Always", "OnFailure", "Never")
_DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
_TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _tolerations(tolerations: list | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, tol in enumerate(tolerations or []):
        p = f"{path}[{i}]"
        key, op = tol.get("key") or "", tol.get("operator") or ""
        effect, value = tol.get("effect") or "", tol.get("value") or ""
        if key:
            errs += v.validate_label_name(key, f"{p}.key")
        if not key and op != "Exists":
            errs.append(invalid(f"{p}.operator", op, "operator must be Exists when `key` is "
                                "empty, which means \"match all values and all keys\""))
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid(f"{p}.effect", effect,
                                "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = v.is_valid_label_value(value)
            if msgs:
                errs.append(invalid(f"{p}.operator", value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(invalid(f"{p}.operator", value,
                                    "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(f"{p}.operator", op, ("Equal", "Exists")))
        if effect and effect not in _TAINT_EFFECTS:
            errs.append(not_supported(f"{p}.effect", effect, _TAINT_EFFECTS))
    return errs


def _pod_spec(spec: dict, path: str, *, is_pod: bool) -> list[FieldError]:
    """ValidatePodSpec, in upstream's order."""
    errs: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    volumes, verrs = _volumes(spec.get("volumes"), f"{path}.volumes")
    errs += verrs
    errs += _containers(spec.get("containers"), volumes, f"{path}.containers")
    errs += _init_containers(spec.get("initContainers"), spec.get("containers"), volumes,
                             f"{path}.initContainers")
    if spec.get("hostNetwork"):
        for ci, ctr in enumerate(spec.get("containers") or []):
            for pi, port in enumerate(ctr.get("ports") or []):
                hp, cp = port.get("hostPort") or 0, port.get("containerPort") or 0
                if (is_pod or hp != 0) and hp != cp:
                    errs.append(invalid(f"{path}.containers[{ci}].ports[{pi}].hostPort", hp,
                                        "must match `containerPort` when `hostNetwork` is true"))
    restart = spec.get("restartPolicy") or ""
    if not restart:
        errs.append(required(f"{path}.restartPolicy"))
    elif restart not in _RESTART_POLICIES:
        errs.append(not_supported(f"{path}.restartPolicy", restart, _RESTART_POLICIES))
    dns = spec.get("dnsPolicy") or ""
    if not dns:
        errs.append(required(f"{path}.dnsPolicy"))
    elif dns not in _DNS_POLICIES:
        errs.append(not_supported(f"{path}.dnsPolicy", dns, _DNS_POLICIES))
    errs += v.validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    if dns == "None":
        cfg = spec.get("dnsConfig")
        if cfg is None:
            errs.append(required(f"{path}.dnsConfig",
                                 "must provide `dnsConfig` when `dnsPolicy` is None"))
        elif not cfg.get("nameservers"):
            errs.append(required(f"{path}.dnsConfig.nameservers", "must provide at least one "
                                 "DNS nameserver when `dnsPolicy` is None"))
    if spec.get("serviceAccountName"):
        errs += _names(spec["serviceAccountName"], v.name_is_dns_subdomain,
                       f"{path}.serviceAccountName")
    if spec.get("nodeName"):
        errs += _names(spec["nodeName"], v.name_is_dns_subdomain, f"{path}.nodeName")
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and (deadline < 1 or deadline > MAX_INT32):
        errs.append(invalid(f"{path}.activeDeadlineSeconds", deadline,
                            v.inclusive_range_error(1, MAX_INT32)))
    if spec.get("hostname"):
        errs += _dns_label(spec["hostname"], f"{path}.hostname")
    if spec.get("subdomain"):
        errs += _dns_label(spec["subdomain"], f"{path}.subdomain")
    errs += _tolerations(spec.get("tolerations"), f"{path}.tolerations")
    for i, alias in enumerate(spec.get("hostAliases") or []):
        errs += _valid_ip(alias.get("ip") or "", f"{path}.hostAliases[{i}].ip")
        for j, host in enumerate(alias.get("hostnames") or []):
            errs += _dns_subdomain(host, f"{path}.hostAliases[{i}].hostnames[{j}]")
    if spec.get("priorityClassName"):
        errs += _names(spec["priorityClassName"], v.name_is_dns_subdomain,
                       f"{path}.priorityClassName")
    preemption = spec.get("preemptionPolicy")
    if preemption is not None and preemption not in ("PreemptLowerPriority", "Never"):
        errs.append(not_supported(f"{path}.preemptionPolicy", preemption,
                                  ("PreemptLowerPriority", "Never")))
    return errs


def _pod_template(template: dict | None, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpec."""
    template = template or {}
    meta = template.get("metadata") or {}
    errs = v.validate_labels(meta.get("labels"), f"{path}.labels")
    errs += v.validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += _pod_spec(template.get("spec") or {}, f"{path}.spec", is_pod=False)
    if _g(template, "spec", "ephemeralContainers"):
        errs.append(forbidden(f"{path}.spec.ephemeralContainers",
                              "ephemeral containers not allowed in pod template"))
    return errs


# --- pods ------------------------------------------------------------------------------------

def _pod_metadata_and_spec(obj: dict) -> list[FieldError]:
    errs = _meta(obj, True, v.name_is_dns_subdomain)
    spec = obj.get("spec") or {}
    errs += _pod_spec(spec, "spec", is_pod=True)
    if not spec.get("serviceAccountName"):
        for vi, vol in enumerate(spec.get("volumes") or []):
            for si, src in enumerate(_g(vol, "projected", "sources", default=[])):
                if src.get("serviceAccountToken") is not None:
                    errs.append(forbidden(f"spec.volumes[{vi}].projected.sources[{si}]."
                                          "serviceAccountToken",
                                          "must not be specified when serviceAccountName is not "
                                          "set"))
    for key in ("containers", "initContainers"):
        for i, ctr in enumerate(spec.get(key) or []):
            image = ctr.get("image") or ""
            if image != image.strip():
                errs.append(invalid(f"spec.{key}[{i}].image", image,
                                    "must not have leading or trailing whitespace"))
    return errs


def _validate_pod(obj: dict) -> list[FieldError]:
    errs = _pod_metadata_and_spec(obj)
    spec = obj.get("spec") or {}
    if spec.get("ephemeralContainers"):
        errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if spec.get("nodeName") and spec.get("schedulingGates"):
        errs.append(forbidden("spec.nodeName",
                              "cannot be set until all schedulingGates have been cleared"))
    return errs


def _container_updates(new: list, old: list, path: str) -> tuple[list[FieldError], bool]:
    if len(new) != len(old):
        return [forbidden(path, "pod updates may not add or remove containers")], True
    errs = []
    for i, ctr in enumerate(new):
        image = ctr.get("image") or ""
        if not image:
            errs.append(required(f"{path}[{i}].image"))
        if image.strip() != image:
            errs.append(invalid(f"{path}[{i}].image", image,
                                "must not have leading or trailing whitespace"))
    return errs, False


def _validate_pod_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations may change."""
    errs = _meta_update(obj, old) + _pod_metadata_and_spec(obj)
    spec, old_spec = obj.get("spec") or {}, old.get("spec") or {}
    for key in ("containers", "initContainers"):
        cerrs, stop = _container_updates(spec.get(key) or [], old_spec.get(key) or [],
                                         f"spec.{key}")
        errs += cerrs
        if stop:
            return errs
    deadline, old_deadline = spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if deadline is not None:
        if deadline < 0 or deadline > MAX_INT32:
            return errs + [invalid("spec.activeDeadlineSeconds", deadline,
                                   v.inclusive_range_error(0, MAX_INT32))]
        if old_deadline is not None and old_deadline < deadline:
            return errs + [invalid("spec.activeDeadlineSeconds", deadline,
                                   "must be less than or equal to previous value")]
    elif old_deadline is not None:
        errs.append(invalid("spec.activeDeadlineSeconds", None,
                            "must not update from a positive integer to nil value"))
    errs += _only_added_tolerations(spec.get("tolerations") or [],
                                    old_spec.get("tolerations") or [])
    if _sem_equal(spec, old_spec):
        return errs
    munged = dict(spec)
    for key in ("containers", "initContainers"):
        olds = old_spec.get(key) or []
        if spec.get(key):
            munged[key] = [{**c, "image": olds[i].get("image")} if i < len(olds) else c
                           for i, c in enumerate(spec[key])]
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in old_spec:
            munged[key] = old_spec[key]
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if old_grace is not None and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if not _sem_equal(munged, old_spec):
        diff = go_cmp_diff("core.PodSpec", old_spec, munged, _POD_SPEC_GO)
        errs.append(forbidden("spec", "pod updates may not change fields other than "
                              + ",".join(POD_UPDATABLE_FIELDS) + "\n" + diff))
    return errs


def _only_added_tolerations(new: list, old: list) -> list[FieldError]:
    for prev in old:
        if not any({**prev, "tolerationSeconds": t.get("tolerationSeconds")} == dict(
                t, tolerationSeconds=t.get("tolerationSeconds")) for t in new):
            return [forbidden("spec.tolerations",
                              "existing toleration can not be modified except its "
                              "tolerationSeconds")]
    return _tolerations(new, "spec.tolerations")


# --- workloads -------------------------------------------------------------------------------

def _selector_value(selector: dict | None) -> GoLiteral:
    return go_repr(selector or {}, "v1.LabelSelector")


def _template_labels_value(template: dict | None) -> GoLiteral:
    return go_repr(_g(template, "metadata", "labels"), "map[string]string")


def _as_selector(selector: dict | None):
    try:
        return selector_from_label_selector(selector)
    except (SelectorError, ValueError, TypeError):
        return None


def _selector_required(spec: dict, path: str, what: str) -> list[FieldError]:
    selector = spec.get("selector")
    if selector is None:
        return [required(f"{path}.selector")]
    errs = v.validate_label_selector(selector, f"{path}.selector")
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        errs.append(invalid(f"{path}.selector", _selector_value(selector),
                            f"empty selector is invalid for {what}"))
    return errs


def _template_for_replicaset(spec: dict, path: str, what: str) -> list[FieldError]:
    """LabelSelectorAsSelector, then ValidatePodTemplateSpecForReplicaSet."""
    selector = _as_selector(spec.get("selector"))
    if selector is None:
        return [invalid(f"{path}.selector", _selector_value(spec.get("selector")),
                        "invalid label selector")]
    template = spec.get("template") or {}
    errs: list[FieldError] = []
    if not selector.empty and not selector.matches(_g(template, "metadata", "labels")):
        errs.append(invalid(f"{path}.template.metadata.labels", _template_labels_value(template),
                            "`selector` does not match template `labels`"))
    errs += _pod_template(template, f"{path}.template")
    restart = _g(template, "spec", "restartPolicy", default="")
    if restart != "Always":
        errs.append(not_supported(f"{path}.template.spec.restartPolicy", restart, ("Always",)))
    if _g(template, "spec", "activeDeadlineSeconds") is not None:
        errs.append(forbidden(f"{path}.template.spec.activeDeadlineSeconds",
                              f"activeDeadlineSeconds in {what} is not Supported"))
    return errs


def _int_or_percent(value: Any, path: str) -> list[FieldError]:
    """ValidatePositiveIntOrPercent."""
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]+%", value):
            return [invalid(path, value, "a valid percent string must be a numeric string "
                                         "followed by an ending '%' (e.g. '1%',  or '93%', regex "
                                         "used for validation is '[0-9]+%')")]
        return []
    return _nonneg(value or 0, path)


def _int_or_percent_value(value: Any) -> int:
    if isinstance(value, str):
        return int(value[:-1]) if re.fullmatch(r"[0-9]+%", value) else 0
    return value or 0


def _not_over_100(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, str) and re.fullmatch(r"[0-9]+%", value) and int(value[:-1]) > 100:
        return [invalid(path, value, "must not be greater than 100%")]
    return []


def _deployment_strategy(strategy: dict, path: str) -> list[FieldError]:
    stype = strategy.get("type") or ""
    rolling = strategy.get("rollingUpdate")
    if stype == "Recreate":
        if rolling is not None:
            return [forbidden(f"{path}.rollingUpdate",
                              "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if stype == "RollingUpdate":
        if rolling is None:
            return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
        rp = f"{path}.rollingUpdate"
        errs = _int_or_percent(rolling.get("maxUnavailable"), f"{rp}.maxUnavailable")
        errs += _int_or_percent(rolling.get("maxSurge"), f"{rp}.maxSurge")
        if (_int_or_percent_value(rolling.get("maxUnavailable")) == 0
                and _int_or_percent_value(rolling.get("maxSurge")) == 0):
            errs.append(invalid(f"{rp}.maxUnavailable", rolling.get("maxUnavailable"),
                                "may not be 0 when `maxSurge` is 0"))
        return errs + _not_over_100(rolling.get("maxUnavailable"), f"{rp}.maxUnavailable")
    shown = GoLiteral(f"apps.DeploymentStrategy{{Type:{go_quote(stype)}, RollingUpdate:"
                      f"(*apps.RollingUpdateDeployment)(nil)}}")
    return [not_supported(path, shown, ("Recreate", "RollingUpdate"))]


def _deployment_spec(spec: dict) -> list[FieldError]:
    errs = _nonneg(spec.get("replicas"), "spec.replicas")
    errs += _selector_required(spec, "spec", "deployment")
    errs += _template_for_replicaset(spec, "spec", "ReplicaSet")
    errs += _deployment_strategy(spec.get("strategy") or {}, "spec.strategy")
    errs += _nonneg(spec.get("minReadySeconds"), "spec.minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errs += _nonneg(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs += _nonneg(deadline, "spec.progressDeadlineSeconds")
        if deadline <= (spec.get("minReadySeconds") or 0):
            errs.append(invalid("spec.progressDeadlineSeconds", deadline,
                                "must be greater than minReadySeconds"))
    return errs


def _immutable_selector(obj: dict, old: dict) -> list[FieldError]:
    new_sel, old_sel = _g(obj, "spec", "selector"), _g(old, "spec", "selector")
    if _sem_equal(new_sel, old_sel):
        return []
    return [invalid("spec.selector", _selector_value(new_sel), v.FIELD_IMMUTABLE_ERROR_MSG)]


def _validate_deployment(obj: dict) -> list[FieldError]:
    return _meta(obj, True, v.name_is_dns_subdomain) + _deployment_spec(obj.get("spec") or {})


def _validate_deployment_update(obj: dict, old: dict) -> list[FieldError]:
    return (_meta_update(obj, old) + _deployment_spec(obj.get("spec") or {})
            + _immutable_selector(obj, old))


def _replicaset_spec(spec: dict) -> list[FieldError]:
    errs = _nonneg(spec.get("replicas"), "spec.replicas")
    errs += _nonneg(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += _selector_required(spec, "spec", "deployment")
    return errs + _template_for_replicaset(spec, "spec", "ReplicaSet")


def _validate_replicaset(obj: dict) -> list[FieldError]:
    return _meta(obj, True, v.name_is_dns_subdomain) + _replicaset_spec(obj.get("spec") or {})


def _validate_replicaset_update(obj: dict, old: dict) -> list[FieldError]:
    # The ReplicaSet strategy runs ValidateReplicaSet and ValidateReplicaSetUpdate (which
    # validates the spec again); kubectl prints each cause once.
    return (_validate_replicaset(obj) + _meta_update(obj, old)
            + _replicaset_spec(obj.get("spec") or {}) + _immutable_selector(obj, old))


def _daemonset_spec(spec: dict) -> list[FieldError]:
    errs = v.validate_label_selector(spec.get("selector"), "spec.selector")
    selector = _as_selector(spec.get("selector"))
    template = spec.get("template") or {}
    if selector is not None and not selector.matches(_g(template, "metadata", "labels")):
        errs.append(invalid("spec.template.metadata.labels", _template_labels_value(template),
                            "`selector` does not match template `labels`"))
    sel = spec.get("selector")
    if sel is not None and not sel.get("matchLabels") and not sel.get("matchExpressions"):
        errs.append(invalid("spec.selector", _selector_value(sel),
                            "empty selector is invalid for daemonset"))
    errs += _pod_template(template, "spec.template")
    restart = _g(template, "spec", "restartPolicy", default="")
    if restart != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", restart, ("Always",)))
    if _g(template, "spec", "activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in DaemonSet is not Supported"))
    errs += _nonneg(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += _daemonset_strategy(spec.get("updateStrategy") or {}, "spec.updateStrategy")
    if spec.get("revisionHistoryLimit") is not None:
        errs += _nonneg(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
    return errs


def _daemonset_strategy(strategy: dict, path: str) -> list[FieldError]:
    stype = strategy.get("type") or ""
    if stype == "OnDelete":
        return []
    if stype == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            return [required(f"{path}.rollingUpdate")]
        rp = f"{path}.rollingUpdate"
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs = _int_or_percent(unavailable, f"{rp}.maxUnavailable")
        errs += _int_or_percent(surge, f"{rp}.maxSurge")
        errs += _not_over_100(unavailable, f"{rp}.maxUnavailable")
        errs += _not_over_100(surge, f"{rp}.maxSurge")
        has_unavailable = _int_or_percent_value(unavailable) != 0
        has_surge = _int_or_percent_value(surge) != 0
        if has_unavailable and has_surge:
            errs.append(invalid(f"{rp}.maxSurge", surge,
                                "may not be set when maxUnavailable is non-zero"))
        elif not has_unavailable and not has_surge:
            errs.append(required(f"{rp}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
        return errs
    shown = GoLiteral(f"apps.DaemonSetUpdateStrategy{{Type:{go_quote(stype)}, RollingUpdate:"
                      f"(*apps.RollingUpdateDaemonSet)(nil)}}")
    return [not_supported(path, shown, ("RollingUpdate", "OnDelete"))]


def _validate_daemonset(obj: dict) -> list[FieldError]:
    return _meta(obj, True, v.name_is_dns_subdomain) + _daemonset_spec(obj.get("spec") or {})


def _validate_daemonset_update(obj: dict, old: dict) -> list[FieldError]:
    # DaemonSet strategy: ValidateDaemonSet, then ValidateDaemonSetUpdate (spec again).
    return (_validate_daemonset(obj) + _meta_update(obj, old)
            + _daemonset_spec(obj.get("spec") or {}) + _immutable_selector(obj, old))


# --- services --------------------------------------------------------------------------------

_SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")


def _headless(spec: dict) -> bool:
    ips = spec.get("clusterIPs") or []
    return len(ips) == 1 and ips[0] == "None"


def _service_port_value(port: dict) -> GoLiteral:
    """%#v of the internal core.ServicePort used as the duplicate-port key."""
    return GoLiteral(f'core.ServicePort{{Name:"", Protocol:{go_quote(port.get("protocol") or "")},'
                     f' AppProtocol:(*string)(nil), Port:{port.get("port") or 0}, TargetPort:'
                     'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}')


def _service_cluster_ips(spec: dict) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields."""
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    cluster_ip, ips = spec.get("clusterIP") or "", list(spec.get("clusterIPs") or [])
    shown = go_repr(ips, "[]string")
    if cluster_ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != cluster_ip:
            errs.append(invalid("spec.clusterIPs", shown, "first value must match `clusterIP`"))
    elif ips:
        errs.append(invalid("spec.clusterIPs", shown,
                            "must be empty when `clusterIP` is not specified"))
    seen: set = set()
    for i, family in enumerate(spec.get("ipFamilies") or []):
        if family not in ("IPv4", "IPv6"):
            errs.append(not_supported(f"spec.ipFamilies[{i}]", family, ("IPv4", "IPv6")))
        if family in seen:
            errs.append(duplicate(f"spec.ipFamilies[{i}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in ("PreferDualStack", "RequireDualStack", "SingleStack"):
        errs.append(not_supported("spec.ipFamilyPolicy", policy,
                                  ("PreferDualStack", "RequireDualStack", "SingleStack")))
    bad = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                bad = True
                errs.append(invalid("spec.clusterIPs", shown,
                                    "'None' must be the first and only value"))
            continue
        ip_errs = _valid_ip(ip, f"spec.clusterIPs[{i}]")
        bad = bad or bool(ip_errs)
        errs += ip_errs
    if len(ips) > 2:
        errs.append(invalid("spec.clusterIPs", shown, "may only hold up to 2 values"))
    if bad:
        return errs
    if len(ips) > 1 and len({_parse_ip(ip).version for ip in ips}) != len(ips):
        errs.append(invalid("spec.clusterIPs", shown,
                            "may specify no more than one IP for each IP family"))
    families = spec.get("ipFamilies") or []
    if not _headless(spec):
        for i, ip in enumerate(ips[:len(families)]):
            version = _parse_ip(ip).version
            if families[i] == "IPv4" and version == 6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip, "expected an IPv4 value as "
                                    f"indicated by `ipFamilies[{i}]`"))
            if families[i] == "IPv6" and version != 6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip, "expected an IPv6 value as "
                                    f"indicated by `ipFamilies[{i}]`"))
    return errs


def _validate_service(obj: dict) -> list[FieldError]:
    """ValidateService."""
    spec = obj.get("spec") or {}
    stype = spec.get("type") or ""
    errs = _meta(obj, True, v.name_is_dns1035_label)
    ports = spec.get("ports") or []
    if not ports and not _headless(spec) and stype != "ExternalName":
        errs.append(required("spec.ports"))
    if stype in ("LoadBalancer", "NodePort") and _headless(spec):
        errs.append(invalid("spec.clusterIPs[0]", spec["clusterIPs"][0],
                            f"may not be set to 'None' for {stype} services"))
    elif stype == "ExternalName":
        if spec.get("clusterIPs"):
            errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if spec.get("ipFamilies"):
            errs.append(forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy",
                                  "may not be set for ExternalName services"))
        cname = (spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs += _dns_subdomain(cname, "spec.externalName")
        else:
            errs.append(required("spec.externalName"))
    names: set = set()
    for i, port in enumerate(ports):
        p = f"spec.ports[{i}]"
        name = port.get("name") or ""
        if len(ports) > 1 and not name:
            errs.append(required(f"{p}.name"))
        elif name:
            errs += _dns_label(name, f"{p}.name")
            if name in names:
                errs.append(duplicate(f"{p}.name", name))
            names.add(name)
        errs += _port_num(port.get("port") or 0, f"{p}.port")
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(required(f"{p}.protocol"))
        elif protocol not in _PROTOCOLS:
            errs.append(not_supported(f"{p}.protocol", protocol, _PROTOCOLS))
        errs += _port_num_or_name(port.get("targetPort"), f"{p}.targetPort")
        if port.get("appProtocol") is not None:
            errs += _qualified_name(port["appProtocol"], f"{p}.appProtocol")
    if spec.get("selector") is not None:
        errs += v.validate_labels(spec["selector"], "spec.selector")
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(required("spec.sessionAffinity"))
    elif affinity not in ("ClientIP", "None"):
        errs.append(not_supported("spec.sessionAffinity", affinity, ("ClientIP", "None")))
    if affinity == "ClientIP":
        timeout = _g(spec, "sessionAffinityConfig", "clientIP", "timeoutSeconds")
        if timeout is None:
            errs.append(required("spec.sessionAffinityConfig",
                                 "when session affinity type is ClientIP"))
        elif timeout <= 0 or timeout > 86400:
            errs.append(invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout,
                                "must be greater than 0 and less than 86400"))
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden("spec.sessionAffinityConfig",
                              "must not be set when session affinity is None"))
    errs += _service_cluster_ips(spec)
    for i, ip in enumerate(spec.get("externalIPs") or []):
        ip_errs = _valid_ip(ip, f"spec.externalIPs[{i}]")
        errs += ip_errs or _non_special_ip(ip, f"spec.externalIPs[{i}]")
    if not stype:
        errs.append(required("spec.type"))
    elif stype not in _SERVICE_TYPES:
        errs.append(not_supported("spec.type", stype, _SERVICE_TYPES))
    if stype == "ClusterIP":
        for i, port in enumerate(ports):
            if port.get("nodePort"):
                errs.append(forbidden(f"spec.ports[{i}].nodePort",
                                      "may not be used when `type` is 'ClusterIP'"))
    seen_node_ports: set = set()
    for i, port in enumerate(ports):
        if not port.get("nodePort"):
            continue
        key = (port.get("protocol"), port["nodePort"])
        if key in seen_node_ports:
            errs.append(duplicate(f"spec.ports[{i}].nodePort", port["nodePort"]))
        seen_node_ports.add(key)
    seen_ports: set = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol"), port.get("port"))
        if key in seen_ports:
            errs.append(duplicate(f"spec.ports[{i}]", _service_port_value(port)))
        seen_ports.add(key)
    if spec.get("loadBalancerSourceRanges") and stype != "LoadBalancer":
        errs.append(forbidden("spec.LoadBalancerSourceRanges",
                              "may only be used when `type` is 'LoadBalancer'"))
    if spec.get("allocateLoadBalancerNodePorts") is not None and stype != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts",
                              "may only be used when `type` is 'LoadBalancer'"))
    if stype == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    external = stype in ("LoadBalancer", "NodePort") or bool(spec.get("externalIPs"))
    policy = spec.get("externalTrafficPolicy") or ""
    if not external:
        if policy:
            errs.append(invalid("spec.externalTrafficPolicy", policy,
                                "may only be set for externally-accessible services"))
    elif not policy:
        errs.append(required("spec.externalTrafficPolicy"))
    elif policy not in ("Cluster", "Local"):
        errs.append(not_supported("spec.externalTrafficPolicy", policy, ("Cluster", "Local")))
    needs_hc = stype == "LoadBalancer" and policy == "Local"
    hc = spec.get("healthCheckNodePort") or 0
    if not needs_hc and hc:
        errs.append(invalid("spec.healthCheckNodePort", hc, "may only be set when `type` is "
                            "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif needs_hc and hc:
        errs += _port_num(hc, "spec.healthCheckNodePort")
    internal = spec.get("internalTrafficPolicy")
    if internal is None:
        if stype in ("NodePort", "LoadBalancer", "ClusterIP"):
            errs.append(required("spec.internalTrafficPolicy"))
    elif internal not in ("Cluster", "Local"):
        errs.append(not_supported("spec.internalTrafficPolicy", internal, ("Cluster", "Local")))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution != "PreferClose":
        errs.append(not_supported("spec.trafficDistribution", distribution, ("PreferClose",)))
    return errs


def node_port_errors(obj: dict, old: dict | None = None) -> list[FieldError]:
    """The node port allocator's range check, made before validation (first bad port only).

    Upstream the Service REST storage allocates node ports before it validates,
    and a port outside the range fails the request alone:
    ``spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid
    range. The range of valid ports is 30000-32767``. "already allocated" needs the
    cluster's state and is the server's allocator's job.
    """
    spec = obj.get("spec") or {}
    if spec.get("type") not in ("NodePort", "LoadBalancer"):
        return []
    old_ports = {p.get("nodePort") for p in _g(old, "spec", "ports", default=[])}
    lo, hi = NODE_PORT_RANGE
    for i, port in enumerate(spec.get("ports") or []):
        np = port.get("nodePort") or 0
        if np and np not in old_ports and not lo <= np <= hi:
            return [invalid(f"spec.ports[{i}].nodePort", np, "provided port is not in the valid "
                            f"range. The range of valid ports is {lo}-{hi}")]
    return []


def _validate_service_create(obj: dict) -> list[FieldError]:
    return node_port_errors(obj) or _validate_service(obj)


def _validate_service_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidateServiceUpdate: cluster IPs and IP families may not change once set."""
    early = node_port_errors(obj, old)
    if early:
        return early
    errs = _meta_update(obj, old)
    spec, old_spec = obj.get("spec") or {}, old.get("spec") or {}
    if "ExternalName" not in (spec.get("type"), old_spec.get("type")) and not (
            _headless(spec) and _headless(old_spec)):
        new_ips, old_ips = spec.get("clusterIPs") or [], old_spec.get("clusterIPs") or []
        shown = go_repr(list(new_ips), "[]string")
        if len(new_ips) == len(old_ips):
            for i, ip in enumerate(old_ips):
                if ip != new_ips[i]:
                    errs.append(invalid(f"spec.clusterIPs[{i}]", shown, "may not change once set"))
        elif len(old_ips) > len(new_ips):
            if not new_ips:
                errs.append(invalid("spec.clusterIPs[0]", shown,
                                    "primary clusterIP can not be unset"))
            elif new_ips[0] != old_ips[0]:
                errs.append(invalid("spec.clusterIPs[0]", shown, "may not change once set"))
        elif old_ips and new_ips[0] != old_ips[0]:
            errs.append(invalid("spec.clusterIPs[0]", shown, "may not change once set"))
    if "ExternalName" not in (spec.get("type"), old_spec.get("type")) and \
            _headless(spec) == _headless(old_spec) and not _headless(spec):
        new_f, old_f = spec.get("ipFamilies") or [], old_spec.get("ipFamilies") or []
        if len(new_f) == len(old_f):
            for i, fam in enumerate(old_f):
                if fam != new_f[i]:
                    errs.append(invalid("spec.ipFamilies[0]", go_repr(list(new_f),
                                                                     "[]core.IPFamily"),
                                        "may not change once set"))
    return errs + _validate_service(obj)


# --- config ----------------------------------------------------------------------------------

def _b64_len(text: str) -> int:
    """Bytes a base64 value decodes to (decode already refused bad base64)."""
    try:
        return len(base64.b64decode(text))
    except (binascii.Error, ValueError):
        return len(text)


def _validate_configmap(obj: dict) -> list[FieldError]:
    errs = _meta(obj, True, v.name_is_dns_subdomain)
    data, binary = obj.get("data") or {}, obj.get("binaryData") or {}
    size = 0
    for key in sorted(data):
        errs += [invalid(f"data[{key}]", key, msg) for msg in v.is_config_map_key(key)]
        if key in binary:
            errs.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        size += len(data[key].encode("utf-8"))
    for key in sorted(binary):
        errs += [invalid(f"binaryData[{key}]", key, msg) for msg in v.is_config_map_key(key)]
        size += _b64_len(binary[key])
    if size > MAX_SECRET_SIZE:
        errs.append(v.too_long("", MAX_SECRET_SIZE))
    return errs


def _immutable_data(obj: dict, old: dict, keys: tuple[str, ...]) -> list[FieldError]:
    if not old.get("immutable"):
        return []
    errs = []
    if not obj.get("immutable"):
        errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
    for key in keys:
        if (obj.get(key) or {}) != (old.get(key) or {}):
            errs.append(forbidden(key, "field is immutable when `immutable` is set"))
    return errs


def _validate_configmap_update(obj: dict, old: dict) -> list[FieldError]:
    return (_meta_update(obj, old) + _immutable_data(obj, old, ("data", "binaryData"))
            + _validate_configmap(obj))


def _validate_secret(obj: dict) -> list[FieldError]:
    errs = _meta(obj, True, v.name_is_dns_subdomain)
    data = obj.get("data") or {}
    size = 0
    for key in sorted(data):
        errs += [invalid(f"data[{key}]", key, msg) for msg in v.is_config_map_key(key)]
        size += _b64_len(data[key])
    if size > MAX_SECRET_SIZE:
        errs.append(v.too_long("data", MAX_SECRET_SIZE))
    stype = obj.get("type") or ""
    if stype == "kubernetes.io/service-account-token":
        if not _g(obj, "metadata", "annotations", "kubernetes.io/service-account.name"):
            errs.append(required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif stype == "kubernetes.io/dockercfg" and ".dockercfg" not in data:
        errs.append(required("data[.dockercfg]"))
    elif stype == "kubernetes.io/dockerconfigjson" and ".dockerconfigjson" not in data:
        errs.append(required("data[.dockerconfigjson]"))
    elif stype == "kubernetes.io/basic-auth" and "username" not in data and "password" not in data:
        errs += [required("data[username]"), required("data[password]")]
    elif stype == "kubernetes.io/ssh-auth" and not data.get("ssh-privatekey"):
        errs.append(required("data[ssh-privatekey]"))
    elif stype == "kubernetes.io/tls":
        for key in ("tls.crt", "tls.key"):
            if key not in data:
                errs.append(required(f"data[{key}]"))
    return errs


def _validate_secret_update(obj: dict, old: dict) -> list[FieldError]:
    errs = _meta_update(obj, old)
    if (obj.get("type") or "") != (old.get("type") or ""):
        errs.append(invalid("type", obj.get("type") or "", v.FIELD_IMMUTABLE_ERROR_MSG))
    return errs + _immutable_data(obj, old, ("data",)) + _validate_secret(obj)


# --- namespaces, nodes, endpoints, service accounts, events ---------------------------------

def _validate_namespace(obj: dict) -> list[FieldError]:
    errs = _meta(obj, False, v.name_is_dns_label)
    for fin in _g(obj, "spec", "finalizers", default=[]):
        errs += [invalid("spec.finalizers", fin, m) for m in v.is_qualified_name(fin)]
        errs += _kube_finalizer(fin, "spec.finalizers")
    return errs


def _taints(taints: list, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set = set()
    for i, taint in enumerate(taints):
        p = f"{path}[{i}]"
        errs += v.validate_label_name(taint.get("key") or "", f"{p}.key")
        msgs = v.is_valid_label_value(taint.get("value") or "")
        if msgs:
            errs.append(invalid(f"{p}.value", taint.get("value") or "", ";".join(msgs)))
        effect = taint.get("effect") or ""
        if not effect:
            errs.append(required(f"{p}.effect"))
        elif effect not in _TAINT_EFFECTS:
            errs.append(not_supported(f"{p}.effect", effect, _TAINT_EFFECTS))
        key = (taint.get("key"), effect)
        if key in seen:
            errs.append(v.FieldError("Duplicate", p, GoLiteral(
                f"core.Taint{{Key:{go_quote(taint.get('key') or '')}, Value:"
                f"{go_quote(taint.get('value') or '')}, Effect:{go_quote(effect)}, "
                "TimeAdded:<nil>}"), "taints must be unique by key and effect pair"))
            continue
        seen.add(key)
    return errs


def _node_resources(obj: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    for section in ("capacity", "allocatable"):
        values = _g(obj, "status", section, default={})
        for name in sorted(values):
            q = _q(values[name])
            if q is not None and q.sign() < 0:
                errs.append(invalid(f"status.{section}.{name}", str(q), v.IS_NEGATIVE_ERROR_MSG))
    return errs


def _validate_node(obj: dict) -> list[FieldError]:
    errs = _meta(obj, False, v.name_is_dns_subdomain)
    if _g(obj, "spec", "taints"):
        errs += _taints(obj["spec"]["taints"], "metadata.taints")
    return errs + _node_resources(obj)


def _validate_node_update(obj: dict, old: dict) -> list[FieldError]:
    errs = _meta_update(obj, old) + _node_resources(obj)
    old_cidrs, cidrs = _g(old, "spec", "podCIDRs", default=[]), _g(obj, "spec", "podCIDRs",
                                                                   default=[])
    if old_cidrs and list(old_cidrs) != list(cidrs):
        errs.append(forbidden("spec.podCIDRs",
                              "node updates may not change podCIDR except from \"\" to valid"))
    old_provider = _g(old, "spec", "providerID", default="")
    if old_provider and old_provider != _g(obj, "spec", "providerID", default=""):
        errs.append(forbidden("spec.providerID",
                              "node updates may not change providerID except from \"\" to valid"))
    if _g(obj, "spec", "taints"):
        errs += _taints(obj["spec"]["taints"], "metadata.taints")
    return errs


def _validate_endpoints(obj: dict) -> list[FieldError]:
    errs = _meta(obj, True, v.name_is_dns_subdomain)
    for i, subset in enumerate(obj.get("subsets") or []):
        p = f"subsets[{i}]"
        if not subset.get("addresses") and not subset.get("notReadyAddresses"):
            errs.append(required(p, "must specify `addresses` or `notReadyAddresses`"))
        for key in ("addresses", "notReadyAddresses"):
            for j, addr in enumerate(subset.get(key) or []):
                ap = f"{p}.{key}[{j}]"
                errs += _valid_ip(addr.get("ip") or "", f"{ap}.ip")
                if addr.get("hostname"):
                    errs += _dns_label(addr["hostname"], f"{ap}.hostname")
                if addr.get("nodeName"):
                    errs += _names(addr["nodeName"], v.name_is_dns_subdomain, f"{ap}.nodeName")
                errs += _non_special_ip(addr.get("ip") or "", f"{ap}.ip")
        ports = subset.get("ports") or []
        for j, port in enumerate(ports):
            pp = f"{p}.ports[{j}]"
            if len(ports) > 1 and not port.get("name"):
                errs.append(required(f"{pp}.name"))
            elif port.get("name"):
                errs += _dns_label(port["name"], f"{pp}.name")
            errs += _port_num(port.get("port") or 0, f"{pp}.port")
            protocol = port.get("protocol") or ""
            if not protocol:
                errs.append(required(f"{pp}.protocol"))
            elif protocol not in _PROTOCOLS:
                errs.append(not_supported(f"{pp}.protocol", protocol, _PROTOCOLS))
    return errs


# --- storage ---------------------------------------------------------------------------------

_ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
_PV_SOURCES = (("hostPath", "hostPath"), ("gcePersistentDisk", "gcePersistentDisk"),
               ("awsElasticBlockStore", "awsElasticBlockStore"), ("glusterfs", "glusterfs"),
               ("flocker", "flocker"), ("nfs", "nfs"), ("rbd", "rbd"), ("quobyte", "quobyte"),
               ("cephfs", "cephFS"), ("iscsi", "iscsi"), ("cinder", "cinder"), ("fc", "fc"),
               ("flexVolume", "flexVolume"), ("azureFile", "azureFile"),
               ("vsphereVolume", "vsphereVolume"),
               ("photonPersistentDisk", "photonPersistentDisk"),
               ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"),
               ("scaleIO", "scaleIO"), ("local", "local"), ("storageos", "storageos"),
               ("csi", "csi"))


def _access_modes(modes: list, path: str, *, pvc: bool) -> list[FieldError]:
    """Required access modes (a claim's error says how many)."""
    if modes:
        return []
    return [required(path, "at least 1 access mode is required" if pvc else "")]


def _access_mode_values(modes: list, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    rwop, other = False, False
    for mode in modes:
        if mode not in _ACCESS_MODES:
            errs.append(not_supported(path, mode, _ACCESS_MODES))
        if mode == "ReadWriteOncePod":
            rwop = True
        elif mode in _ACCESS_MODES:
            other = True
    if rwop and other:
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def _resource_list_value(values: dict | None) -> GoLiteral:
    """%#v of an internal core.ResourceList (only its shape can be reproduced)."""
    if values is None:
        return GoLiteral("core.ResourceList(nil)")
    items = ", ".join(f"{go_quote(k)}:resource.Quantity{{...}}" for k in sorted(values))
    return GoLiteral(f"core.ResourceList{{{items}}}")


def _pv_spec(spec: dict) -> list[FieldError]:
    """ValidatePersistentVolumeSpec (not inline)."""
    modes = spec.get("accessModes") or []
    errs = _access_modes(modes, "spec.accessModes", pvc=False)
    errs += _access_mode_values(modes, "spec.accessModes")
    capacity = spec.get("capacity") or {}
    if not capacity:
        errs.append(required("spec.capacity"))
    if "storage" not in capacity or len(capacity) > 1:
        errs.append(not_supported("spec.capacity", _resource_list_value(spec.get("capacity")),
                                  ("storage",)))
    for name in sorted(capacity):
        q = _q(capacity[name])
        if q is None:
            continue
        if q.to_int() < 0:
            errs.append(invalid(f"spec.capacity[{name}]", q.to_int(),
                                "must be a valid resource quantity"))
        if q.sign() <= 0:
            errs.append(invalid(f"spec.capacity[{name}]", str(q), "must be greater than zero"))
    policy = spec.get("persistentVolumeReclaimPolicy") or ""
    if policy and policy not in ("Delete", "Recycle", "Retain"):
        errs.append(not_supported("spec.persistentVolumeReclaimPolicy", policy,
                                  ("Delete", "Recycle", "Retain")))
    count = 0
    for key, child in _PV_SOURCES:
        src = spec.get(key)
        if src is None:
            continue
        if count and key != "flexVolume":
            errs.append(forbidden(f"spec.{child}", "may not specify more than 1 volume type"))
            continue
        count += 1
        p = f"spec.{key}"
        if key == "hostPath":
            errs += _host_path(src, p)
        elif key == "nfs":
            errs += _nfs(src, p)
        elif key == "awsElasticBlockStore":
            errs += _aws_ebs(src, p)
        elif key == "local":
            if not src.get("path"):
                errs.append(required(f"{p}.path"))
            else:
                errs += _no_backsteps(src["path"], f"{p}.path")
            if not spec.get("nodeAffinity"):
                errs.append(required("spec.nodeAffinity", "Local volume requires node affinity"))
        elif key == "csi":
            errs += _csi_driver(src.get("driver") or "", f"{p}.driver")
            if not src.get("volumeHandle"):
                errs.append(required(f"{p}.volumeHandle"))
    if count == 0:
        errs.append(required("spec", "must specify a volume type"))
    host = _g(spec, "hostPath", "path")
    if host and re.sub("/+", "/", host).rstrip("/") == "" and policy == "Recycle":
        errs.append(forbidden("spec.persistentVolumeReclaimPolicy",
                              "may not be 'recycle' for a hostPath mount of '/'"))
    if spec.get("storageClassName"):
        errs += _names(spec["storageClassName"], v.name_is_dns_subdomain, "spec.storageClassName")
    mode = spec.get("volumeMode")
    if mode is not None and mode not in ("Block", "Filesystem"):
        errs.append(not_supported("spec.volumeMode", mode, ("Block", "Filesystem")))
    return errs


def _validate_pv(obj: dict) -> list[FieldError]:
    return _meta(obj, False, v.name_is_dns_subdomain) + _pv_spec(obj.get("spec") or {})


def _pv_source(spec: dict) -> dict:
    return {k: spec[k] for k, _ in _PV_SOURCES if spec.get(k) is not None}


def _validate_pv_update(obj: dict, old: dict) -> list[FieldError]:
    errs = _validate_pv(obj)
    spec, old_spec = obj.get("spec") or {}, old.get("spec") or {}
    new_source, old_source = _pv_source(spec), _pv_source(old_spec)
    if not _sem_equal(new_source, old_source):
        diff = go_cmp_diff("core.PersistentVolumeSource", old_source, new_source, _PV_SOURCE_GO)
        errs.append(forbidden("spec.persistentvolumesource",
                              "spec.persistentvolumesource is immutable after creation\n" + diff))
    if spec.get("volumeMode") != old_spec.get("volumeMode"):
        errs.append(invalid("volumeMode", spec.get("volumeMode"), v.FIELD_IMMUTABLE_ERROR_MSG))
    return errs


def _pvc_spec(spec: dict) -> list[FieldError]:
    modes = spec.get("accessModes") or []
    errs = _access_modes(modes, "spec.accessModes", pvc=True)
    if spec.get("selector") is not None:
        errs += v.validate_label_selector(spec["selector"], "spec.selector")
    errs += _access_mode_values(modes, "spec.accessModes")
    storage = _g(spec, "resources", "requests", "storage")
    if storage is None:
        errs.append(required("spec.resources[storage]"))
    else:
        q = _q(storage)
        if q is not None and q.sign() <= 0:
            errs.append(invalid("spec.resources[storage]", str(q), "must be greater than zero"))
    if spec.get("storageClassName"):
        errs += _names(spec["storageClassName"], v.name_is_dns_subdomain, "spec.storageClassName")
    mode = spec.get("volumeMode")
    if mode is not None and mode not in ("Block", "Filesystem"):
        errs.append(not_supported("spec.volumeMode", mode, ("Block", "Filesystem")))
    return errs


def _validate_pvc(obj: dict) -> list[FieldError]:
    return _meta(obj, True, v.name_is_dns_subdomain) + _pvc_spec(obj.get("spec") or {})


def _validate_pvc_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaimUpdate: only requests (bound claims) and volumeName once."""
    errs = _meta_update(obj, old) + _validate_pvc(obj)
    spec, old_spec = dict(obj.get("spec") or {}), dict(old.get("spec") or {})
    if not old_spec.get("volumeName"):
        old_spec["volumeName"] = spec.get("volumeName")
    if not old_spec.get("storageClassName") and spec.get("storageClassName"):
        old_spec["storageClassName"] = spec["storageClassName"]   # upgrade from nil is allowed
    bound = _g(old, "status", "phase") == "Bound"   # PrepareForUpdate keeps the old status
    if bound and _g(spec, "resources", "requests") is not None:
        requests = dict(spec["resources"]["requests"])
        old_storage = _g(old_spec, "resources", "requests", "storage")
        if old_storage is None:
            requests.pop("storage", None)
        else:
            requests["storage"] = old_storage
        spec["resources"] = {**spec["resources"], "requests": requests}
    if not _sem_equal(_quantities(spec), _quantities(old_spec)):
        diff = go_cmp_diff("core.PersistentVolumeClaimSpec", old_spec, spec, _PVC_SPEC_GO)
        errs.append(forbidden("spec", "spec is immutable after creation except resources.requests "
                              "and volumeAttributesClassName for bound claims\n" + diff))
    new_size = _q(_g(obj, "spec", "resources", "requests", "storage"))
    old_size = _q(_g(old, "spec", "resources", "requests", "storage"))
    if new_size is not None and old_size is not None and new_size < old_size:
        status_size = _q(_g(old, "status", "capacity", "storage"))
        if status_size is None or new_size <= status_size:
            errs.append(forbidden("spec.resources.requests.storage",
                                  "field can not be less than status.capacity"))
    if _g(obj, "spec", "volumeMode") != _g(old, "spec", "volumeMode"):
        errs.append(invalid("volumeMode", _g(obj, "spec", "volumeMode"),
                            v.FIELD_IMMUTABLE_ERROR_MSG))
    return errs


def _quantities(value: Any) -> Any:
    """Compare quantities by value (``1Gi`` == ``1024Mi``) as Semantic.DeepEqual does."""
    if isinstance(value, dict):
        return {k: (_q(x).nanos if k in ("storage", "cpu", "memory") and _q(x) is not None
                    else _quantities(x)) for k, x in value.items()}
    if isinstance(value, list):
        return [_quantities(x) for x in value]
    return value


def _validate_storage_class(obj: dict) -> list[FieldError]:
    errs = _meta(obj, False, v.name_is_dns_subdomain)
    provisioner = obj.get("provisioner") or ""
    if not provisioner:
        errs.append(required("provisioner"))
    else:
        errs += _qualified_name(provisioner.lower(), "provisioner")
    params = obj.get("parameters") or {}
    if len(params) > 512:
        errs.append(v.too_long("parameters", 512))
    elif sum(len(k) + len(x) for k, x in params.items()) > 256 * 1024:
        errs.append(v.too_long("parameters", 256 * 1024))
    policy = obj.get("reclaimPolicy")
    if policy and policy not in ("Delete", "Retain"):
        errs.append(not_supported("reclaimPolicy", policy, ("Delete", "Retain")))
    mode = obj.get("volumeBindingMode")
    if mode is None:
        errs.append(required("volumeBindingMode"))
    elif mode not in ("Immediate", "WaitForFirstConsumer"):
        errs.append(not_supported("volumeBindingMode", mode, ("Immediate", "WaitForFirstConsumer")))
    return errs


def _validate_storage_class_update(obj: dict, old: dict) -> list[FieldError]:
    errs = _meta_update(obj, old)
    if (obj.get("parameters") or {}) != (old.get("parameters") or {}):
        errs.append(forbidden("parameters", "updates to parameters are forbidden."))
    if obj.get("provisioner") != old.get("provisioner"):
        errs.append(forbidden("provisioner", "updates to provisioner are forbidden."))
    if obj.get("reclaimPolicy") != old.get("reclaimPolicy"):
        errs.append(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."))
    if obj.get("volumeBindingMode") != old.get("volumeBindingMode"):
        errs.append(invalid("volumeBindingMode", obj.get("volumeBindingMode"),
                            v.FIELD_IMMUTABLE_ERROR_MSG))
    return errs


# --- a go-cmp style diff ---------------------------------------------------------------------

# JSON name -> Go field name, in the internal type's field order, for the structs whose
# update errors print a diff.
_POD_SPEC_GO = (("volumes", "Volumes"), ("initContainers", "InitContainers"),
                ("containers", "Containers"), ("ephemeralContainers", "EphemeralContainers"),
                ("restartPolicy", "RestartPolicy"),
                ("terminationGracePeriodSeconds", "TerminationGracePeriodSeconds"),
                ("activeDeadlineSeconds", "ActiveDeadlineSeconds"), ("dnsPolicy", "DNSPolicy"),
                ("nodeSelector", "NodeSelector"), ("serviceAccountName", "ServiceAccountName"),
                ("automountServiceAccountToken", "AutomountServiceAccountToken"),
                ("nodeName", "NodeName"), ("securityContext", "SecurityContext"),
                ("imagePullSecrets", "ImagePullSecrets"), ("hostname", "Hostname"),
                ("subdomain", "Subdomain"), ("setHostnameAsFQDN", "SetHostnameAsFQDN"),
                ("affinity", "Affinity"), ("schedulerName", "SchedulerName"),
                ("tolerations", "Tolerations"), ("hostAliases", "HostAliases"),
                ("priorityClassName", "PriorityClassName"), ("priority", "Priority"),
                ("preemptionPolicy", "PreemptionPolicy"), ("dnsConfig", "DNSConfig"),
                ("readinessGates", "ReadinessGates"), ("runtimeClassName", "RuntimeClassName"),
                ("overhead", "Overhead"), ("enableServiceLinks", "EnableServiceLinks"),
                ("topologySpreadConstraints", "TopologySpreadConstraints"), ("os", "OS"),
                ("schedulingGates", "SchedulingGates"), ("resourceClaims", "ResourceClaims"),
                ("resources", "Resources"))
_PVC_SPEC_GO = (("accessModes", "AccessModes"), ("selector", "Selector"),
                ("resources", "Resources"), ("volumeName", "VolumeName"),
                ("storageClassName", "StorageClassName"), ("volumeMode", "VolumeMode"),
                ("dataSource", "DataSource"), ("dataSourceRef", "DataSourceRef"),
                ("volumeAttributesClassName", "VolumeAttributesClassName"))
_PV_SOURCE_GO = tuple((k, k[0].upper() + k[1:]) for k, _ in _PV_SOURCES)


def _go_value(value: Any) -> str:
    """A compact Go-literal-like rendering of a JSON value for the diff lines."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k[:1].upper() + k[1:]}: {_go_value(x)}"
                               for k, x in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(_go_value(x) for x in value) + "}"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nil"
    return str(value)


def go_cmp_diff(type_name: str, old: dict, new: dict, fields: tuple) -> str:
    """A ``cmp.Diff(old, new)``-shaped report of which fields differ.

    go-cmp's exact layout is deliberately unstable (it randomises spacing), so
    this keeps its shape: the struct, ``... // N identical fields`` runs, and a
    ``-``/``+`` pair per changed field.
    """
    lines = [f"  {type_name}{{"]
    same = 0

    def flush():
        nonlocal same
        if same:
            lines.append(f"  \t... // {same} identical field{'s' if same > 1 else ''}")
            same = 0

    for key, go_name in fields:
        a, b = old.get(key), new.get(key)
        if _sem_equal(a, b):
            same += 1
            continue
        flush()
        if a is not None:
            lines.append(f"- \t{go_name}: {_go_value(a)},")
        if b is not None:
            lines.append(f"+ \t{go_name}: {_go_value(b)},")
    flush()
    lines.append("  }")
    return "\n".join(lines) + "\n"


# --- dispatch --------------------------------------------------------------------------------

def _meta_only(name_fn, namespaced: bool):
    return lambda obj: _meta(obj, namespaced, name_fn)


_CREATE: dict[str, Callable[[dict], list[FieldError]]] = {
    "Pod": _validate_pod, "Deployment": _validate_deployment,
    "ReplicaSet": _validate_replicaset, "DaemonSet": _validate_daemonset,
    "Service": _validate_service_create, "ConfigMap": _validate_configmap,
    "Secret": _validate_secret, "Namespace": _validate_namespace, "Node": _validate_node,
    "Endpoints": _validate_endpoints, "PersistentVolume": _validate_pv,
    "PersistentVolumeClaim": _validate_pvc, "StorageClass": _validate_storage_class,
    "ServiceAccount": _meta_only(v.name_is_dns_subdomain, True),
    "Event": _meta_only(v.name_is_dns_subdomain, True),
}
_UPDATE: dict[str, Callable[[dict, dict], list[FieldError]]] = {
    "Pod": _validate_pod_update, "Deployment": _validate_deployment_update,
    "ReplicaSet": _validate_replicaset_update, "DaemonSet": _validate_daemonset_update,
    "Service": _validate_service_update, "ConfigMap": _validate_configmap_update,
    "Secret": _validate_secret_update,
    "Namespace": lambda obj, old: _meta_update(obj, old),
    "Node": _validate_node_update, "PersistentVolume": _validate_pv_update,
    "PersistentVolumeClaim": _validate_pvc_update,
    "StorageClass": _validate_storage_class_update,
}
