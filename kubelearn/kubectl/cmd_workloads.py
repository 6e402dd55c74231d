"""``kubectl create deployment``, ``expose``, ``scale`` and ``set image``.

Ports of kubectl 1.32's ``pkg/cmd/create/create_deployment.go``,
``pkg/cmd/expose/expose.go`` (with the polymorphic helpers that read a
selector, ports and protocols from the exposed object), ``pkg/cmd/scale`` and
``pkg/cmd/set/set_image.go``. Generated objects are typed Go structs, so their
JSON keeps Go's field order; everything is written through the API server,
which validates and defaults it as on a real cluster.
"""
from __future__ import annotations

from kubelearn.api.kinds import KindInfo, kind_info
from kubelearn.api.validation import go_quote
from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.cmd_create import _submit, _typed_metadata, dry_run_mode, print_result
from kubelearn.kubectl.cmd_label import split_pairs
from kubelearn.kubectl.cmd_set_env import SET_ENV
from kubelearn.kubectl.command import Command, Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.manifests import read_sources
from kubelearn.kubectl.output import OBJECT_FORMATS, parse_output
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

_PRINT_FLAGS = (
    Flag("output", "o"),
    Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("template"),
    Flag("allow-missing-template-keys", kind="bool", default=True),
    Flag("show-managed-fields", kind="bool", default=False),
)

# --- create deployment ---------------------------------------------------------------------

CREATE_DEPLOYMENT_FLAGS = _PRINT_FLAGS + (
    Flag("image", kind="list"),
    Flag("replicas", "r", "int", 1),
    Flag("port", kind="int", default=-1),
    Flag("save-config", kind="bool", default=False),
    Flag("validate", default="strict", no_opt="strict"),
    Flag("field-manager", default="kubectl-create"),
)


def run_create_deployment(inv: Invocation) -> None:
    """``kubectl create deployment NAME --image=IMAGE... [-- COMMAND args]``."""
    if not inv.flags.given("image"):
        # cobra's required-flag check (1.32 logs it as a klog line; this is the
        # wording of 1.27, 1.30 and 1.33)
        raise KubectlError('error: required flag(s) "image" not set')
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    if len(inv.args) != 1:
        raise KubectlError(f"error: exactly one NAME is required, got {len(inv.args)}\n"
                           "See 'kubectl create deployment -h' for help and examples")
    images, command = inv.flags["image"], inv.flags.after_dash
    if len(images) > 1 and command:
        raise KubectlError("error: cannot specify multiple --image options and command")
    dry_run_mode(inv)
    name = inv.args[0]
    labels = {"app": name}
    meta = _typed_metadata(inv, name, True)
    meta["labels"] = labels
    containers = []
    for image in images:
        container = {"name": container_name(inv, image), "image": image}
        if command:
            container["command"] = list(command)
        containers.append(container)
    if inv.flags["port"] >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": inv.flags["port"]}]
    for container in containers:
        container["resources"] = {}
    obj = {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": meta,
           "spec": {"replicas": inv.flags["replicas"],
                    "selector": {"matchLabels": dict(labels)},
                    "template": {"metadata": {"creationTimestamp": None, "labels": dict(labels)},
                                 "spec": {"containers": containers}},
                    "strategy": {}},
           "status": {}}
    _submit(inv, "Deployment", obj, "deployment")


def container_name(inv: Invocation, image: str) -> str:
    """The last path segment of the image without tag or digest; ``_`` and ``.``
    become ``-`` plus a random 5-letter suffix (upstream ``sanitizeAndUniquify``)."""
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-") + "-" + inv.api.random_suffix(5)
    return name


CREATE_DEPLOYMENT = Command("create deployment", CREATE_DEPLOYMENT_FLAGS, run_create_deployment)


# --- shared: resources named on the command line ------------------------------------------------

def _targets(inv: Invocation, resources: list[str], *, selector: str | None = None,
             all_: bool = False) -> tuple[list[tuple[KindInfo, dict]], list]:
    """The objects ``TYPE NAME...`` / ``TYPE/NAME`` / ``TYPE -l sel`` name, and the
    NotFound errors of those that do not exist (kubectl's builder, ContinueOnError)."""
    found, problems = [], []
    for request in parse_resource_args(resources):
        ns = inv.namespace if request.info.namespaced else ""
        if request.names:
            for name in request.names:
                try:
                    found.append((request.info, inv.api.get(request.info, name, ns)))
                except StatusError as err:
                    problems.append(err)
        elif selector or all_:
            found += [(request.info, o) for o in select(inv.api, request.info, ns or None,
                                                        selector)]
        else:
            raise KubectlError("error: resource(s) were provided, but no name was specified")
    return found, problems


_NO_RESOURCES = ("error: You must provide one or more resources by argument or filename.\n"
                 "Example resource specifications include:\n"
                 "   '-f rsrc.yaml'\n"
                 "   '--filename=rsrc.json'\n"
                 "   '<resource> <name>'\n"
                 "   '<resource>'")


def _pod_spec_path(info: KindInfo) -> tuple[str, ...] | None:
    """Where a kind keeps its pod spec (upstream ``UpdatePodSpecForObject``)."""
    if info.kind == "Pod":
        return ("spec",)
    if info.kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job",
                     "ReplicationController"):
        return ("spec", "template", "spec")
    if info.kind == "CronJob":
        return ("spec", "jobTemplate", "spec", "template", "spec")
    return None


# --- expose --------------------------------------------------------------------------------------

EXPOSE_FLAGS = _PRINT_FLAGS + (
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("protocol"),
    Flag("port"),
    Flag("type"),
    Flag("load-balancer-ip"),
    Flag("selector"),
    Flag("labels", "l"),
    Flag("target-port"),
    Flag("external-ip"),
    Flag("name"),
    Flag("session-affinity"),
    Flag("cluster-ip"),
    Flag("save-config", kind="bool", default=False),
    Flag("field-manager", default="kubectl-expose"),
    Flag("overrides"),
    Flag("override-type", default="merge"),
)

_EXPOSABLE = ("Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet")


def run_expose(inv: Invocation) -> None:
    """``kubectl expose TYPE NAME [--port] [--target-port] [--type] [--name] [--protocol]``."""
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    mode = dry_run_mode(inv)
    if inv.flags["overrides"]:
        raise KubectlError("error: kubelearn does not support --overrides yet")
    if inv.flags["filename"]:
        read = read_sources(inv.flags["filename"], inv.stdin, inv.flags["recursive"], inv.cwd)
        targets = []
        for doc in read.entries:
            if isinstance(doc, str):
                raise KubectlError(doc if doc.startswith("error: ") else f"error: {doc}")
            targets.append((doc.info, doc.obj))
    elif inv.args:
        requests = parse_resource_args(inv.args)
        targets = []
        for request in requests:
            if not request.names:
                raise KubectlError("error: resource(s) were provided, but no name was specified")
            for name in request.names:
                ns = inv.namespace if request.info.namespaced else ""
                targets.append((request.info, inv.api.get(request.info, name, ns)))
    else:
        raise KubectlError(_NO_RESOURCES)
    for info, obj in targets:
        service = _service_for(inv, info, obj)
        if mode == "client":
            if inv.namespace_given:
                service["metadata"] = {"name": service["metadata"]["name"],
                                       "namespace": inv.namespace,
                                       **{k: v for k, v in service["metadata"].items()
                                          if k != "name"}}
            print_result(inv, kind_info("Service"), service, "exposed", mode, typed=True)
            continue
        if inv.flags["save-config"]:
            from kubelearn.kubectl.apply_config import LAST_APPLIED
            from kubelearn.kubectl.printers.jsonout import marshal

            annotation = marshal(service, sort_keys=False) + "\n"
            service = {**service, "metadata": {**service["metadata"],
                                               "annotations": {LAST_APPLIED: annotation}}}
        created = inv.api.create(service, inv.namespace, dry_run=mode == "server")
        print_result(inv, kind_info("Service"), created, "exposed", mode)


def _group_kind(info: KindInfo) -> str:
    """schema.GroupKind.String(): ``Deployment.apps``, ``ConfigMap``."""
    return f"{info.kind}.{info.group}" if info.group else info.kind


def _service_for(inv: Invocation, info: KindInfo, obj: dict) -> dict:
    """RunExpose's visitor and createService: the Service to create for ``obj``."""
    if info.kind not in _EXPOSABLE:
        raise KubectlError(f"error: cannot expose a {_group_kind(info)}")
    name = inv.flags["name"] or obj["metadata"]["name"][:63]
    selector_text = inv.flags["selector"] or _selector_text(info, obj)
    ports_text, port = "", inv.flags["port"] or ""
    if not port:
        ports = _object_ports(info, obj)
        if not ports and inv.flags["cluster-ip"] != "None":
            raise KubectlError("error: couldn't find port via --port flag or introspection")
        if len(ports) == 1:
            port = ports[0]
        elif len(ports) > 1:
            ports_text = ",".join(ports)
    protocols = _object_protocols(info, obj)
    labels_text = inv.flags["labels"] or ",".join(
        f"{k}={v}" for k, v in (obj["metadata"].get("labels") or {}).items())
    selector = _parse_labels(selector_text)
    labels = _parse_labels(labels_text) if labels_text else None
    service_ports = []
    port_list = (ports_text or port).split(",") if (ports_text or port) else []
    for i, text in enumerate(port_list):
        number = _atoi(text)
        port_name = f"port-{i + 1}" if len(port_list) > 1 else ""
        protocol = inv.flags["protocol"] or ""
        if not protocol:
            protocol = "TCP"
            found = protocols.get(text)
            if found and len(found) > 1:
                for each in found:
                    service_ports.append(_port(f"port-{i + 1}-{each.lower()}", each, number))
                continue
            if found:
                protocol = found[0]
        service_ports.append(_port(port_name, protocol, number))
    target = inv.flags["target-port"]
    for entry in service_ports:
        entry["targetPort"] = (_int_or_string(target) if target else entry["port"])
    meta = {"name": name, "creationTimestamp": None}
    if labels is not None:
        meta["labels"] = labels
    spec: dict = {"ports": service_ports, "selector": selector}
    if inv.flags["cluster-ip"]:
        spec["clusterIP"] = inv.flags["cluster-ip"]
    if inv.flags["type"]:
        spec["type"] = inv.flags["type"]
    if inv.flags["external-ip"]:
        spec["externalIPs"] = [inv.flags["external-ip"]]
    affinity = inv.flags["session-affinity"]
    if affinity:
        if affinity not in ("None", "ClientIP"):
            raise KubectlError(f"error: unknown session affinity: {affinity}")
        spec["sessionAffinity"] = affinity
    if spec.get("type") == "LoadBalancer" and inv.flags["load-balancer-ip"]:
        spec["loadBalancerIP"] = inv.flags["load-balancer-ip"]
    if not service_ports:
        del spec["ports"]
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta, "spec": _go_order(spec),
            "status": {"loadBalancer": {}}}


_SPEC_ORDER = ("ports", "selector", "clusterIP", "type", "externalIPs", "sessionAffinity",
               "loadBalancerIP")


def _go_order(spec: dict) -> dict:
    """ServiceSpec's Go field order (JSON of a typed object keeps it)."""
    return {k: spec[k] for k in _SPEC_ORDER if k in spec}


def _port(name: str, protocol: str, number: int) -> dict:
    entry = {"name": name} if name else {}
    entry.update({"protocol": protocol, "port": number})
    return entry


def _int_or_string(text: str):
    """intstr.Parse: a number when it parses as one, else the name."""
    try:
        return int(text)
    except ValueError:
        return text


def _atoi(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise KubectlError(f"error: strconv.Atoi: parsing {go_quote(text)}: invalid syntax") \
            from None


def _selector_text(info: KindInfo, obj: dict) -> str:
    """MapBasedSelectorForObject, with upstream's refusals."""
    spec = obj.get("spec") or {}
    if info.kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise KubectlError("error: couldn't retrieve selectors via --selector flag or "
                               "introspection: the pod has no labels and cannot be exposed")
        return _make_labels(labels)
    if info.kind in ("Service", "ReplicationController"):
        if spec.get("selector") is None:
            raise KubectlError("error: couldn't retrieve selectors via --selector flag or "
                               "introspection: the service has no pod selector set")
        return _make_labels(spec["selector"])
    selector = spec.get("selector") or {}
    if not selector.get("matchLabels"):
        noun = info.kind.lower()
        raise KubectlError("error: couldn't retrieve selectors via --selector flag or "
                           f"introspection: invalid {noun}: no selectors, therefore cannot be "
                           "exposed")
    if selector.get("matchExpressions"):
        raise KubectlError("error: couldn't retrieve selectors via --selector flag or "
                           "introspection: couldn't convert expressions - \""
                           + _go_expressions(selector["matchExpressions"])
                           + "\" to map-based selector format")
    return _make_labels(selector["matchLabels"])


def _go_expressions(expressions: list[dict]) -> str:
    """``%+v`` of []LabelSelectorRequirement."""
    items = [f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} "
             f"Values:[{' '.join(e.get('values') or [])}]}}" for e in expressions]
    return "[" + " ".join(items) + "]"


def _make_labels(labels: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in labels.items())


def _parse_labels(text: str) -> dict:
    """expose's parseLabels: ``k=v,k2=v2`` with upstream's errors."""
    labels = {}
    for spec in text.split(","):
        parts = spec.split("=")
        if len(parts) != 2:
            raise KubectlError(f"error: unexpected label spec: {spec}")
        if not parts[0]:
            raise KubectlError("error: unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def _pod_spec(info: KindInfo, obj: dict) -> dict:
    node = obj
    for key in _pod_spec_path(info) or ():
        node = (node or {}).get(key) or {}
    return node


def _object_ports(info: KindInfo, obj: dict) -> list[str]:
    """PortsForObject: container ports (or a service's ports), duplicates removed."""
    if info.kind == "Service":
        entries = [str(p.get("port", 0)) for p in (obj.get("spec") or {}).get("ports") or []]
    else:
        entries = [str(p.get("containerPort", 0))
                   for c in _pod_spec(info, obj).get("containers") or []
                   for p in c.get("ports") or []]
    return list(dict.fromkeys(entries))


def _object_protocols(info: KindInfo, obj: dict) -> dict[str, list[str]]:
    """MultiProtocolsForObject: port → protocols (empty protocol means TCP)."""
    result: dict[str, list[str]] = {}
    if info.kind == "Service":
        pairs = [(p.get("port", 0), p.get("protocol")) for p in
                 (obj.get("spec") or {}).get("ports") or []]
    else:
        pairs = [(p.get("containerPort", 0), p.get("protocol"))
                 for c in _pod_spec(info, obj).get("containers") or []
                 for p in c.get("ports") or []]
    for number, protocol in pairs:
        result.setdefault(str(number), []).append(protocol or "TCP")
    return result


# --- scale ---------------------------------------------------------------------------------------

SCALE_FLAGS = _PRINT_FLAGS + (
    Flag("replicas", kind="int", default=0),
    Flag("current-replicas", kind="int", default=-1),
    Flag("resource-version"),
    Flag("all", kind="bool", default=False),
    Flag("selector", "l"),
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("timeout", default="0s"),
)

_SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")


def run_scale(inv: Invocation) -> None:
    """``kubectl scale TYPE NAME --replicas=COUNT [--current-replicas=N]``."""
    if not inv.flags.given("replicas"):
        raise KubectlError('error: required flag(s) "replicas" not set')
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    mode = dry_run_mode(inv)
    if inv.flags["replicas"] < 0:
        raise KubectlError("error: The --replicas=COUNT flag is required, and COUNT must be "
                           "greater than or equal to 0")
    if inv.flags["current-replicas"] < -1:
        raise KubectlError("error: The --current-replicas must specify an integer of -1 or "
                           "greater")
    if not inv.args:
        raise KubectlError(_NO_RESOURCES)
    targets, problems = _targets(inv, inv.args, selector=inv.flags["selector"],
                                 all_=inv.flags["all"])
    if problems:
        inv.fail(problems)
        return
    if inv.flags["resource-version"] and len(targets) > 1:
        raise KubectlError("error: cannot use --resource-version with multiple resources")
    if not targets:
        raise KubectlError("error: no objects passed to scale")
    for info, obj in targets:
        if mode == "client":
            print_result(inv, info, obj, "scaled", mode)
            continue
        if info.kind not in _SCALABLE:
            raise KubectlError("error: could not find scale subresource for "
                               f"{info.group}/{info.version}, Resource={info.plural} in "
                               "discovery information")
        _check_preconditions(inv, obj)
        meta = obj["metadata"]
        inv.api.patch(info, meta["name"], meta.get("namespace", ""),
                      {"spec": {"replicas": inv.flags["replicas"]}}, patch_type="merge",
                      dry_run=mode == "server")
        print_result(inv, info, obj, "scaled", mode)


def _check_preconditions(inv: Invocation, obj: dict) -> None:
    """ScalePrecondition.validate: ``Expected replicas to be 2, was 3``."""
    current = (obj.get("spec") or {}).get("replicas", 1)
    wanted = inv.flags["current-replicas"]
    if wanted != -1 and current != wanted:
        raise KubectlError(f"error: Expected replicas to be {wanted}, was {current}")
    version = inv.flags["resource-version"]
    actual = obj["metadata"].get("resourceVersion", "")
    if version and version != actual:
        raise KubectlError(f"error: Expected resource version to be {version}, was {actual}")


# --- set image -----------------------------------------------------------------------------------

SET_IMAGE_FLAGS = _PRINT_FLAGS + (
    Flag("all", kind="bool", default=False),
    Flag("selector", "l"),
    Flag("local", kind="bool", default=False),
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool", False),
    Flag("field-manager", default="kubectl-set"),
    Flag("record", kind="bool", default=False),
)


def run_set_image(inv: Invocation) -> None:
    """``kubectl set image TYPE/NAME CONTAINER=IMAGE...`` (``*=IMAGE`` for all)."""
    parse_output(inv.flags["output"], OBJECT_FORMATS)
    mode = dry_run_mode(inv)
    resources, pairs = split_pairs(inv.args, "image")
    images = _parse_image_pairs(pairs)
    if inv.flags["local"]:
        raise KubectlError("error: kubelearn does not support set image --local yet")
    if not resources:
        raise KubectlError(_NO_RESOURCES)
    targets, problems = _targets(inv, resources, selector=inv.flags["selector"],
                                 all_=inv.flags["all"])
    if problems:
        inv.fail(problems)
        return
    invalid = []
    if inv.flags["all"] and inv.flags["selector"]:
        invalid.append("cannot set --all and --selector at the same time")
    if not images:
        invalid.append("at least one image update is required")
    elif len(images) > 1 and "*" in images:
        invalid.append("all containers are already specified by *, but saw more than one "
                       "container_name=container_image pairs")
    if invalid:
        inv.fail(invalid)
        return
    errors: list = []
    for info, obj in targets:
        path = _pod_spec_path(info)
        if path is None:
            errors.append(f"error: {info.plural}/{obj['metadata']['name']} the object is not a "
                          "pod or does not have a pod template: *v1."
                          f"{info.kind}\n")
            continue
        spec = _pod_spec(info, obj)
        changed_spec, unknown = _set_images(spec, images)
        errors += [f"error: unable to find container named {go_quote(n)}" for n in unknown]
        if changed_spec is None:
            continue                         # no changes: kubectl prints nothing
        patch: dict = changed_spec
        for key in reversed(path):
            patch = {key: patch}
        try:
            meta = obj["metadata"]
            if mode != "client":
                inv.api.patch(info, meta["name"], meta.get("namespace", ""), patch,
                              dry_run=mode == "server")
        except StatusError as err:
            from kubelearn.kubectl.command import render_problems

            errors.append("failed to patch image update to pod template: "
                          + render_problems([err]))
            continue
        print_result(inv, info, obj, "image updated", mode)
    inv.fail(errors)


def _parse_image_pairs(pairs: list[str]) -> dict[str, str]:
    """ParsePairs(pairs, "image", false): ``name=image``; anything else is invalid."""
    images, invalid = {}, []
    for pair in pairs:
        if "=" in pair and not pair.startswith("="):
            key, _, value = pair.partition("=")
            images[key] = value
        else:
            invalid.append(pair)
    if invalid:
        raise KubectlError(f"error: invalid image format: {', '.join(invalid)}")
    return images


def _set_images(spec: dict, images: dict[str, str]) -> tuple[dict | None, list[str]]:
    """setImage for init containers and containers: the changed lists (a strategic
    merge patch by container name) or None when no image changed, and the
    container names that matched nothing."""
    patch, unknown = {}, []
    lists = {field: [dict(c) for c in spec.get(field) or []]
             for field in ("initContainers", "containers")}
    for name, image in images.items():
        found = False
        for containers in lists.values():
            for container in containers:
                if name in (container.get("name"), "*"):
                    found = True
                    container["image"] = image
        if not found:
            unknown.append(name)
    for field, containers in lists.items():
        before = spec.get(field) or []
        changed = [{"image": c["image"], "name": c.get("name")} for c, old in
                   zip(containers, before) if c.get("image") != old.get("image")]
        if changed:
            patch[field] = changed
    return (patch or None), unknown


SET_COMMANDS = {"env": SET_ENV,
                "image": Command("set image", SET_IMAGE_FLAGS, run_set_image)}
