"""``-o``: printing objects as tables, YAML, JSON, names, JSONPath or custom columns.

Tables come from the server-side table convertors (``apiserver.tables``);
kubectl only lays them out. Everything else is a generic printer over the
stored object, exactly as kubectl's printers work on what the server returns.
"""
from __future__ import annotations

from dataclasses import dataclass

from kubelearn.api.kinds import KindInfo
from kubelearn.api.selector import format_labels
from kubelearn.kubectl.result import KubectlError

ALLOWED_FORMATS = ("custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                   "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")
# The printers of commands that print what they changed (create, apply, ...):
# no tables, so no wide and no custom columns.
OBJECT_FORMATS = ("go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
                  "template,templatefile,yaml")


@dataclass(frozen=True)
class OutputFormat:
    kind: str            # table, wide, yaml, json, name, jsonpath, jsonpath-as-json, custom-columns
    template: str = ""

    @property
    def is_table(self) -> bool:
        return self.kind in ("table", "wide")


def parse_output(value: str | None, allowed: str = ALLOWED_FORMATS) -> OutputFormat:
    if not value:
        return OutputFormat("table")
    name, _, template = value.partition("=")
    if name not in allowed.split(","):
        raise KubectlError(f'error: unable to match a printer suitable for the output format '
                           f'"{value}", allowed formats are: {allowed}')
    if name in ("wide", "yaml", "json", "name") and not template:
        return OutputFormat(name)
    if name in ("jsonpath", "jsonpath-as-json", "custom-columns"):
        if not template:
            if name == "custom-columns":
                raise KubectlError("error: custom-columns format specified but no custom columns "
                                   "given")
            raise KubectlError("error: template format specified but no template given")
        return OutputFormat(name, template)
    if name in ("go-template", "template", "go-template-file", "templatefile", "jsonpath-file",
                "custom-columns-file"):
        raise KubectlError(f"error: kubelearn does not support -o {name} yet; use -o jsonpath=... "
                           "or -o custom-columns=... instead")
    raise KubectlError(f'error: unable to match a printer suitable for the output format "{value}", '
                       f"allowed formats are: {allowed}")


def list_object(items: list[dict]) -> dict:
    """What ``get -o yaml`` prints for several objects."""
    return {"apiVersion": "v1", "items": items, "kind": "List",
            "metadata": {"resourceVersion": ""}}


def render_data(fmt: OutputFormat, data: dict, typed: bool = False) -> str:
    """YAML, JSON or JSONPath of one object or of a List. ``typed``: the object was
    built client side as a Go struct, so JSON keeps its field order (YAML is
    sorted either way)."""
    from kubelearn.kubectl.printers import jsonout, jsonpath, yamlout

    if fmt.kind == "yaml":
        return yamlout.to_yaml(data)
    if fmt.kind == "json":
        return jsonout.to_json(data, sort_keys=not typed)
    if fmt.kind in ("jsonpath", "jsonpath-as-json"):
        try:
            return jsonpath.render_jsonpath(fmt.template, data,
                                            as_json=fmt.kind == "jsonpath-as-json")
        except jsonpath.JSONPathError as err:
            raise KubectlError(f"error: {err.message}") from None
    raise AssertionError(fmt.kind)


def name_of(info: KindInfo, obj: dict) -> str:
    return f"{info.display}/{obj['metadata']['name']}"


def table_text(api, info: KindInfo, objects: list[dict], *, wide: bool, with_kind: bool,
               with_namespace: bool, show_labels: bool, label_columns: list[str],
               no_headers: bool) -> list[list[str]]:
    """Rows (header first unless ``no_headers``) of one kind's table, ready for
    the tabwriter."""
    from kubelearn.apiserver.tables import table

    tab = table(info.kind, objects, api.clock.now)
    keep = [i for i, col in enumerate(tab.columns) if wide or col.priority == 0]
    header = [tab.columns[i].name.upper() for i in keep]
    if with_namespace:
        header.insert(0, "NAMESPACE")
    header += [key.rsplit("/", 1)[-1].upper() for key in label_columns]
    if show_labels:
        header.append("LABELS")
    rows = [] if no_headers else [header]
    for row in tab.rows:
        obj = row.object
        cells = [row.cells[i] for i in keep]
        if with_kind:
            cells[0] = f"{info.display}/{cells[0]}"
        if with_namespace:
            cells.insert(0, obj["metadata"].get("namespace", ""))
        labels = obj["metadata"].get("labels") or {}
        cells += [labels.get(key, "") for key in label_columns]
        if show_labels:
            cells.append(format_labels(labels))
        rows.append(cells)
    return rows
