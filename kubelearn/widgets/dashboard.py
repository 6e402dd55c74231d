"""An interactive dashboard of one cluster, after the Kubernetes Dashboard.

``cluster.dashboard()`` shows, for the chosen namespace (or all of them):

* **Workloads** — Deployments, ReplicaSets, DaemonSets and Pods (STATUS in
  colour, RESTARTS in bold once a container restarted);
* **Services** — Services and Endpoints;
* **Config and Storage** — ConfigMaps, Secrets (the table has no values;
  the selected Secret shows ``kubectl describe``: keys and sizes only),
  PersistentVolumeClaims, PersistentVolumes and StorageClasses;
* **Nodes** and **Events**.

Every table holds the rows ``kubectl get`` prints. Selecting an object shows
its YAML and its events. Actions — scale a Deployment (slider), restart or
undo its rollout, delete a Pod, stop or start a Node — run as kubectl
commands through ``cluster.kubectl``, the one write path (stopping a node is
``cluster.stop_node``: a machine powering off has no kubectl verb), and show
what kubectl printed. The clock controls at the top move simulated time.

The dashboard redraws once per refresh of the cluster's hub
(``kubelearn.widgets.refresh``): per clock tick, per action, per notebook
cell that changed the cluster; never per watch event. Only the visible tab
is redrawn; another tab catches up when it is opened. ``rebuilds`` counts the
redraws.
"""
from __future__ import annotations

from html import escape

import ipywidgets as widgets

from kubelearn.widgets.clock import ClockControls
from kubelearn.widgets.dashboard_sections import Section, action_button
from kubelearn.widgets.html import CSS, command_output
from kubelearn.widgets.refresh import hub

ALL_NAMESPACES = "All namespaces"
_ALL = "*"            # the dropdown's value for all namespaces (None is not a safe value)


class Dashboard(widgets.VBox):
    """The dashboard widget; ``namespace=None`` starts with the context's namespace."""

    def __init__(self, cluster, namespace: str | None = None, *, all_namespaces: bool = False,
                 **kwargs):
        self.cluster = cluster
        self.hub = hub(cluster)
        self.rebuilds = 0
        self._syncing = False
        self.last_result = None
        self.last_command = ""
        self.clock = ClockControls(cluster)
        context = cluster.kubeconfig.context_of(cluster)
        start = _ALL if all_namespaces else (namespace or (context.namespace if context else "")
                                             or "default")
        self.namespace_select = widgets.Dropdown(options=self._namespace_options(start),
                                                 value=start, description="Namespace")
        self.namespace_select.add_class("kubelearn-namespace-select")
        self.output = widgets.HTML()
        self.output.add_class("kubelearn-action-output")
        self._build_actions()
        self.sections = (
            Section(self, "Workloads", ("Deployment", "ReplicaSet", "DaemonSet", "Pod"),
                    actions=(self.scale_slider, self.restart_button, self.undo_button,
                             self.delete_pod_button)),
            Section(self, "Services", ("Service", "Endpoints")),
            Section(self, "Config and Storage", ("ConfigMap", "Secret", "PersistentVolumeClaim",
                                                 "PersistentVolume", "StorageClass")),
            Section(self, "Nodes", ("Node",), actions=(self.stop_node_button,
                                                       self.start_node_button)),
            Section(self, "Events", ("Event",), selectable=False),
        )
        self.workloads, self.services, self.config, self.nodes, self.events = self.sections
        self.tabs = widgets.Tab(children=list(self.sections),
                                titles=[s.title for s in self.sections])
        self.tabs.add_class("kubelearn-dashboard-tabs")
        self.tabs.observe(self._on_tab, "selected_index")
        self.namespace_select.observe(self._on_namespace, "value")
        title = widgets.HTML(f"<strong>Kubernetes Dashboard</strong> · cluster "
                             f"<code>{escape(cluster.name)}</code>")
        title.add_class("kubelearn-dashboard-title")
        super().__init__([widgets.HTML(CSS), widgets.HBox([title, self.namespace_select]),
                          self.clock, self.output, self.tabs], **kwargs)
        self.add_class("kubelearn-dashboard")
        self.refresh()
        self._choose_first_deployment()
        self.hub.subscribe(self._on_hub)

    # -- convenience names for tests and notebooks -------------------------------------------
    @property
    def namespace(self) -> str | None:
        """The namespace shown, or None for all namespaces."""
        value = self.namespace_select.value
        return None if value == _ALL else value

    @namespace.setter
    def namespace(self, value: str | None) -> None:
        self.namespace_select.value = _ALL if value is None else value

    def table(self, kind: str) -> widgets.HTML:
        """The HTML widget of one kind's table (``table("Pod").value`` is its HTML)."""
        for section in self.sections:
            if kind in section.tables:
                return section.tables[kind]
        raise KeyError(kind)

    @property
    def pod_table(self) -> widgets.HTML:
        return self.table("Pod")

    def show(self, title: str) -> Section:
        """Open the tab with this title (``show("Nodes")``)."""
        section = next(s for s in self.sections if s.title == title)
        self.tabs.selected_index = self.sections.index(section)
        return section

    # -- refreshing -------------------------------------------------------------------------
    def _namespace_options(self, keep: str) -> list:
        names = [ns["metadata"]["name"] for ns in self.cluster.api.list("Namespace")]
        if keep != _ALL and keep not in names:
            names.append(keep)         # a namespace not created yet stays selectable
        return [(ALL_NAMESPACES, _ALL)] + [(n, n) for n in sorted(names)]

    def _on_hub(self, kinds: frozenset) -> None:
        if "Namespace" in kinds:
            options = self._namespace_options(self.namespace_select.value)
            if list(self.namespace_select.options) != options:
                self._syncing = True
                try:
                    value = self.namespace_select.value
                    self.namespace_select.options = options
                    self.namespace_select.value = value
                finally:
                    self._syncing = False
        self.refresh()

    def refresh(self) -> None:
        """Redraw the visible tab now; the others when they are next opened."""
        self.rebuilds += 1
        for section in self.sections:
            section.stale = True
        self.sections[self.tabs.selected_index or 0].refresh()

    def _on_tab(self, change) -> None:
        section = self.sections[change["new"] or 0]
        if section.stale:
            section.refresh()

    def _on_namespace(self, change) -> None:
        if self._syncing:
            return
        for section in self.sections:
            section.select.value = None
        self.refresh()
        self._choose_first_deployment()

    def _choose_first_deployment(self) -> None:
        """Start with the first Deployment selected, so its slider and YAML are at hand."""
        options = [v for _, v in self.workloads.select.options if v and v[0] == "Deployment"]
        if options and self.workloads.selected is None:
            self.workloads.select.value = options[0]

    # -- actions ------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.scale_slider = widgets.IntSlider(value=1, min=0, max=10, description="Replicas",
                                        continuous_update=False, disabled=True,
                                        layout=widgets.Layout(display="none"))
        self.scale_slider.add_class("kubelearn-scale-slider")
        self.scale_slider.kubelearn_kinds = ("Deployment",)
        self.scale_slider.observe(self._on_scale, "value")
        self.restart_button = action_button("Restart", "refresh", "kubelearn-rollout-restart",
                                            ("Deployment",), "kubectl rollout restart")
        self.undo_button = action_button("Undo rollout", "undo", "kubelearn-rollout-undo",
                                         ("Deployment",), "kubectl rollout undo")
        self.delete_pod_button = action_button("Delete", "trash", "kubelearn-delete-pod", ("Pod",),
                                               "kubectl delete pod", style="danger")
        self.stop_node_button = action_button("Stop node", "power-off", "kubelearn-node-stop",
                                              ("Node",), "power the node off")
        self.start_node_button = action_button("Start node", "play", "kubelearn-node-start",
                                               ("Node",), "power the node on again")
        self.restart_button.on_click(lambda _b: self._rollout("restart"))
        self.undo_button.on_click(lambda _b: self._rollout("undo"))
        self.delete_pod_button.on_click(lambda _b: self.delete_pod())
        self.stop_node_button.on_click(lambda _b: self._node(stop=True))
        self.start_node_button.on_click(lambda _b: self._node(stop=False))

    def sync_controls(self, section: Section, selected: tuple[str, str, str]) -> None:
        """Set the slider to the selected Deployment's replicas (without scaling anything)."""
        kind, namespace, name = selected
        if kind != "Deployment":
            return
        obj = self.cluster.api.store.get("Deployment", namespace, name) or {}
        replicas = (obj.get("spec") or {}).get("replicas", 1)
        self._syncing = True
        try:
            self.scale_slider.max = max(10, 2 * replicas, self.scale_slider.max)
            self.scale_slider.value = replicas
        finally:
            self._syncing = False

    def run(self, command: str, stdin: str | None = None):
        """Run one kubectl command, show its output, then redraw; returns the result."""
        self.last_command = f"kubectl {command}"
        self.last_result = self.cluster.kubectl(command, stdin=stdin)
        self.output.value = command_output(self.last_command, self.last_result)
        self.hub.flush(force=True)
        return self.last_result

    def _selected(self, section: Section, kind: str):
        selected = section.selected
        return selected if selected is not None and selected[0] == kind else None

    def _on_scale(self, change) -> None:
        if self._syncing:
            return
        selected = self._selected(self.workloads, "Deployment")
        if selected is not None:
            self.scale(selected[2], change["new"], selected[1])

    def scale(self, name: str, replicas: int, namespace: str | None = None):
        namespace = namespace or self.namespace or "default"
        return self.run(f"scale deployment {name} --replicas={int(replicas)} -n {namespace}")

    def _rollout(self, verb: str):
        selected = self._selected(self.workloads, "Deployment")
        if selected is not None:
            return self.run(f"rollout {verb} deployment/{selected[2]} -n {selected[1]}")
        return None

    def delete_pod(self):
        selected = self._selected(self.workloads, "Pod")
        if selected is not None:
            return self.run(f"delete pod {selected[2]} -n {selected[1]}")
        return None

    def _node(self, stop: bool) -> None:
        selected = self._selected(self.nodes, "Node")
        if selected is None:
            return
        name = selected[2]
        verb = "stop_node" if stop else "start_node"
        self.last_command = f"cluster.{verb}({name!r})"
        try:
            getattr(self.cluster, verb)(name)
            text = (f"node {name} stopped: its kubelet no longer runs pods or reports status"
                    if stop else f"node {name} started: its kubelet reports Ready again")
            self.output.value = (f'<pre class="kubelearn-pre kubelearn-command">'
                                 f"{escape(self.last_command)}</pre>"
                                 f'<pre class="kubelearn-pre kubelearn-stdout">{escape(text)}</pre>')
        except Exception as exc:  # noqa: BLE001 - shown like kubectl shows an error
            self.output.value = (f'<pre class="kubelearn-pre kubelearn-stderr">'
                                 f"{escape(str(exc))}</pre>")
        self.hub.flush(force=True)

    def close(self) -> None:
        self.hub.unsubscribe(self._on_hub)
        self.clock.close()
        super().close()

    def __repr__(self) -> str:
        shown = self.namespace or ALL_NAMESPACES.lower()
        return (f"<Dashboard {self.cluster.name!r}: namespace {shown}, "
                f"t={self.cluster.clock.now:g}s>")
