"""``kubectl get``: list or fetch objects and print them."""
from __future__ import annotations

from kubelearn.apiserver.errors import StatusError
from kubelearn.kubectl.command import Invocation
from kubelearn.kubectl.flags import Flag
from kubelearn.kubectl.output import (list_object, name_of, parse_output, render_data,
                                      table_text)
from kubelearn.kubectl.resources import parse_resource_args, select
from kubelearn.kubectl.result import KubectlError

FLAGS = (
    Flag("all-namespaces", "A", "bool", False),
    Flag("output", "o"),
    Flag("selector", "l"),
    Flag("show-labels", kind="bool", default=False),
    Flag("label-columns", "L", "list"),
    Flag("no-headers", kind="bool", default=False),
    Flag("sort-by"),
    Flag("show-kind", kind="bool", default=False),
    Flag("watch", "w", "bool", False),
    Flag("field-selector"),
    Flag("filename", "f", "list"),
    Flag("ignore-not-found", kind="bool", default=False),
)

NO_TYPE_MESSAGE = (
    'You must specify the type of resource to get. Use "kubectl api-resources" for a complete '
    "list of supported resources.\n\nerror: Required resource not specified.\n"
    'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl '
    "explain pods).\nSee 'kubectl get -h' for help and examples")


def run(inv: Invocation) -> None:
    flags = inv.flags
    if flags["watch"]:
        raise KubectlError("error: kubelearn runs on simulated time, so --watch would wait forever; "
                           "advance the clock (cluster.advance(30)) and run get again")
    if not inv.args:
        raise KubectlError(NO_TYPE_MESSAGE)
    output = flags["output"] or ""
    if flags["show-labels"] and output not in ("", "wide"):
        raise KubectlError(f"error: --show-labels option cannot be used with {output} printer")
    requests = parse_resource_args(inv.args)
    fmt = parse_output(output)
    named = any(r.names for r in requests)
    if named and flags["selector"]:
        raise KubectlError("error: name cannot be provided when a selector is specified")
    all_ns = flags["all-namespaces"]
    # a single TYPE NAME (or TYPE/NAME) prints the object itself, not a List
    single = sum(len(r.names) for r in requests) == 1
    found, problems = [], []
    kinds_shown = []        # one server-side table per list request, one per fetched object
    for request in requests:
        namespace = None if (all_ns or not request.info.namespaced) else inv.namespace
        if request.names:
            for name in request.names:
                try:
                    found.append((request.info, inv.api.get(request.info, name, namespace or "")))
                    kinds_shown.append(request.info)
                except StatusError as err:
                    if not (flags["ignore-not-found"] and err.reason == "NotFound"):
                        problems.append(err)
        else:
            objects = select(inv.api, request.info, namespace, flags["selector"],
                             flags["field-selector"])
            found += [(request.info, obj) for obj in _sorted(objects, flags["sort-by"])]
            kinds_shown.append(request.info)
    if single and not found:
        inv.fail(problems)          # just the error: no empty List, no table
        return
    with_kind = len(set(k.kind for k in kinds_shown)) > 1 or flags["show-kind"]
    _print(inv, fmt, found, all_ns, single=single, with_kind=with_kind)
    if not found and not problems and fmt.is_table and not flags["ignore-not-found"]:
        ns_scoped = all(r.info.namespaced for r in requests) and not all_ns
        inv.warn(f"No resources found in {inv.namespace} namespace." if ns_scoped
                 else "No resources found")
    inv.fail(problems)


def _sorted(objects: list[dict], sort_by: str | None) -> list[dict]:
    if not sort_by:
        return objects
    from kubelearn.kubectl.printers.jsonpath import JSONPathError, render_jsonpath

    template = sort_by if sort_by.startswith("{") else "{" + sort_by + "}"

    def key(obj):
        try:
            value = render_jsonpath(template, obj)
        except JSONPathError:
            value = ""
        try:
            return (0, float(value), "")
        except ValueError:
            return (1, 0.0, value)
    return sorted(objects, key=key)


def _print(inv: Invocation, fmt, found, all_ns: bool, single: bool, with_kind: bool) -> None:
    if fmt.kind == "name":
        for info, obj in found:
            inv.print(name_of(info, obj))
        return
    if fmt.kind == "custom-columns":
        from kubelearn.kubectl.printers.customcolumns import (CustomColumnsError,
                                                              render_custom_columns)

        try:
            inv.write(render_custom_columns(fmt.template, [o for _, o in found],
                                            no_headers=inv.flags["no-headers"]))
        except CustomColumnsError as err:
            inv.write(err.output)
            raise KubectlError(f"error: {err.message}") from None
        return
    if not fmt.is_table:
        data = found[0][1] if single and len(found) == 1 else list_object([o for _, o in found])
        inv.write(render_data(fmt, data))
        return
    _print_tables(inv, fmt, found, all_ns, with_kind)


def _print_tables(inv: Invocation, fmt, found, all_ns: bool, with_kind: bool) -> None:
    """One table per run of objects of the same kind; a blank line between
    tables unless --no-headers (upstream's separatorWriter)."""
    from kubelearn.kubectl.printers.tabwriter import GET_SETTINGS, format_table

    label_columns = [k for spec in inv.flags["label-columns"] for k in spec.split(",") if k]
    runs: list[tuple] = []
    for info, obj in found:
        if runs and runs[-1][0] == info:
            runs[-1][1].append(obj)
        else:
            runs.append((info, [obj]))
    blocks = []
    for info, objects in runs:
        rows = table_text(inv.api, info, objects, wide=fmt.kind == "wide", with_kind=with_kind,
                          with_namespace=all_ns and info.namespaced,
                          show_labels=inv.flags["show-labels"], label_columns=label_columns,
                          no_headers=inv.flags["no-headers"])
        blocks.append(format_table(rows, **GET_SETTINGS))
    inv.write(("" if inv.flags["no-headers"] else "\n").join(blocks))
