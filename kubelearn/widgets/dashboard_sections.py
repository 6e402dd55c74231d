"""The dashboard's sections: tables of a few kinds, one selected object, its actions.

A :class:`Section` (Workloads, Services, Config and Storage, Nodes, Events)
holds one HTML table per kind — the rows ``kubectl get`` prints, from the API
server's table convertors — and, below them, a selector. The selected object
shows its YAML (``kubectl get KIND NAME -o yaml``; a Secret shows ``kubectl
describe``: its keys and their sizes, never the values) and the events about
it. Actions (scale, restart, undo, delete, stop/start a node) are buttons that
the :class:`~kubelearn.widgets.dashboard.Dashboard` wires to kubectl commands;
a section only enables those that fit the selected kind.

A section redraws only when the dashboard asks (once per refresh, and only
while it is the visible tab); the YAML is fetched again only when the
selected object's resourceVersion moved.
"""
from __future__ import annotations

from html import escape

import ipywidgets as widgets

from kubelearn.api.kinds import kind_info
from kubelearn.widgets import html as _html
from kubelearn.widgets.html import pre, resource_table

# kind -> (CSS slug, caption)
KINDS = {
    "Deployment": ("deployment", "Deployments"), "ReplicaSet": ("replicaset", "Replica Sets"),
    "DaemonSet": ("daemonset", "Daemon Sets"), "Pod": ("pod", "Pods"),
    "Service": ("service", "Services"), "Endpoints": ("endpoints", "Endpoints"),
    "ConfigMap": ("configmap", "Config Maps"), "Secret": ("secret", "Secrets"),
    "PersistentVolumeClaim": ("pvc", "Persistent Volume Claims"),
    "PersistentVolume": ("pv", "Persistent Volumes"),
    "StorageClass": ("storageclass", "Storage Classes"),
    "Node": ("node", "Nodes"), "Event": ("event", "Events"),
}
NOTHING = ("(choose an object)", None)


class Section(widgets.VBox):
    """Tables for ``kinds``; with ``selectable``, a selector and the selected object's details."""

    def __init__(self, dashboard, title: str, kinds: tuple[str, ...], *, selectable: bool = True,
                 actions: tuple = ()):
        self.dashboard = dashboard
        self.title = title
        self.kinds = kinds
        self.selectable = selectable
        self.stale = True
        self.rebuilds = 0
        self._syncing = False
        self._yaml_version: tuple | None = None
        self.tables: dict[str, widgets.HTML] = {}
        for kind in kinds:
            html = widgets.HTML()
            html.add_class(f"kubelearn-{KINDS[kind][0]}-table")
            self.tables[kind] = html
        children = list(self.tables.values())
        self.select = widgets.Dropdown(options=[NOTHING], value=None, description="Object",
                                       layout=widgets.Layout(width="480px"))
        self.select.add_class("kubelearn-object-select")
        self.yaml = widgets.HTML()
        self.yaml.add_class("kubelearn-object-yaml")
        self.events = widgets.HTML()
        self.events.add_class("kubelearn-object-events")
        self.actions = tuple(actions)
        if selectable:
            self.select.observe(self._on_select, "value")
            action_row = widgets.HBox(list(self.actions))
            action_row.add_class("kubelearn-actions")
            detail = widgets.VBox([self.select, action_row, self.events, self.yaml])
            detail.add_class("kubelearn-object-detail")
            children.append(detail)
        super().__init__(children)
        self.add_class(f"kubelearn-section-{title.split()[0].lower()}")

    # -- what is shown ------------------------------------------------------------------------
    @property
    def selected(self) -> tuple[str, str, str] | None:
        """(kind, namespace, name) of the selected object, or None."""
        return self.select.value

    def objects(self, kind: str) -> list[dict]:
        namespace = self.dashboard.namespace if kind_info(kind).namespaced else None
        return self.dashboard.cluster.api.list(kind, namespace)

    def refresh(self) -> None:
        """Redraw the tables, the selector's options and the selected object's details."""
        self.rebuilds += 1
        self.stale = False
        now = self.dashboard.cluster.clock.now
        listed: dict[str, list[dict]] = {}
        for kind, html in self.tables.items():
            objects = listed[kind] = self.objects(kind)
            with_namespace = self.dashboard.namespace is None and kind_info(kind).namespaced
            empty = ("No resources found" if not kind_info(kind).namespaced or with_namespace
                     else f"No resources found in {self.dashboard.namespace} namespace.")
            value = resource_table(kind, objects, now, caption=KINDS[kind][1],
                                   with_namespace=with_namespace, empty=empty)
            if html.value != value:
                html.value = value
        if self.selectable:
            self._refresh_options(listed)
            self._refresh_detail()

    def _refresh_options(self, listed: dict[str, list[dict]]) -> None:
        options = [NOTHING]
        for kind, objects in listed.items():
            for obj in objects[:_html.MAX_ROWS]:       # the rows the table shows
                meta = obj["metadata"]
                namespace = meta.get("namespace", "")
                label = f"{kind.lower()}/{meta['name']}"
                if self.dashboard.namespace is None and namespace:
                    label = f"{namespace}/{label}"
                options.append((label, (kind, namespace, meta["name"])))
        if list(self.select.options) == options:
            return
        keep = self.select.value if self.select.value in {v for _, v in options} else None
        self._syncing = True
        try:
            self.select.options = options
            self.select.value = keep
        finally:
            self._syncing = False
        if keep is None:
            self._yaml_version = None

    def choose(self, kind: str, name: str, namespace: str | None = None) -> None:
        """Select an object (``choose("Deployment", "web")``), as picking it in the list does."""
        if kind_info(kind).namespaced:
            namespace = namespace or self.dashboard.namespace or "default"
        else:
            namespace = ""
        if self.stale:
            self.refresh()
        self.select.value = (kind_info(kind).kind, namespace, name)

    def _on_select(self, change) -> None:
        if self._syncing:
            return
        self._yaml_version = None
        self._refresh_detail()

    def _refresh_detail(self) -> None:
        selected = self.selected
        for action in self.actions:
            fits = selected is not None and selected[0] in getattr(action, "kubelearn_kinds", ())
            action.disabled = not fits
            action.layout.display = None if fits else "none"
        if selected is None:
            self.yaml.value = self.events.value = ""
            return
        kind, namespace, name = selected
        self.dashboard.sync_controls(self, selected)
        stored = self.dashboard.cluster.api.store.get(kind, namespace, name)
        version = (selected, (stored or {}).get("metadata", {}).get("resourceVersion"))
        if version != self._yaml_version:
            self._yaml_version = version
            self.yaml.value = self._yaml_html(kind, namespace, name)
        self.events.value = self._events_html(kind, namespace, name)

    def _yaml_html(self, kind: str, namespace: str, name: str) -> str:
        ns = f" -n {namespace}" if namespace else ""
        if kind == "Secret":         # keys and sizes only: never show the values
            command = f"describe secret {name}{ns}"
        else:
            command = f"get {kind.lower()} {name}{ns} -o yaml"
        result = self.dashboard.cluster.kubectl(command)
        return (f"<details open><summary>$ kubectl {escape(command)}</summary>"
                + pre(result.stdout, "kubelearn-stdout") + pre(result.stderr, "kubelearn-stderr")
                + "</details>")

    def _events_html(self, kind: str, namespace: str, name: str) -> str:
        api = self.dashboard.cluster.api
        events = [e for e in api.list("Event", namespace or None)
                  if (e.get("involvedObject") or {}).get("kind") == kind
                  and (e.get("involvedObject") or {}).get("name") == name]
        return resource_table("Event", events, self.dashboard.cluster.clock.now,
                              caption=f"Events of {kind.lower()}/{name}",
                              empty="No events.")


def action_button(text: str, icon: str, css: str, kinds: tuple[str, ...], tooltip: str,
                  style: str = "") -> widgets.Button:
    """A button shown (and enabled) only while an object of one of ``kinds`` is selected."""
    button = widgets.Button(description=text, icon=icon, tooltip=tooltip, button_style=style,
                            disabled=True, layout=widgets.Layout(display="none"))
    button.add_class(css)
    button.kubelearn_kinds = kinds
    return button
