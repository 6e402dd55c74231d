"""ipywidgets for the course: a dashboard, clock controls, a manifest editor, an exercise panel.

    from kubelearn import Cluster
    from kubelearn.widgets import ClockControls, ManifestEditor, ExercisePanel, panel

    c = Cluster.minikube()
    c.dashboard()                 # kubelearn.widgets.Dashboard(c)
    ClockControls(c)              # play / pause / step simulated time
    ManifestEditor(c, text=yaml)  # Apply / Delete through kubectl apply|delete -f -
    ExercisePanel("2.1")          # or panel("2.1"): task, Check / Hint / Solve, diagram

Every write goes through ``cluster.kubectl`` (the one write path) and every
widget shows what kubectl printed. Widgets redraw once per clock tick, action
or notebook cell, never per watch event (``kubelearn.widgets.refresh``).
Each widget prints a short plain-text repr (``<Dashboard 'minikube': ...>``)
so notebook outputs stay small and deterministic.

Stable CSS classes, for browser tests (``page.locator(".kubelearn-scale-slider")``)
— each is put on the widget's outer element with ``add_class``:

==================================  ===============================================
class                               widget
==================================  ===============================================
kubelearn-dashboard                 the whole dashboard (VBox)
kubelearn-dashboard-title           its title (HTML)
kubelearn-namespace-select          namespace Dropdown ("All namespaces" first)
kubelearn-dashboard-tabs            the Tab of sections
kubelearn-section-workloads         a section (also -services, -config, -nodes, -events)
kubelearn-deployment-table          an HTML table; likewise -replicaset-, -daemonset-,
                                    -pod-, -service-, -endpoints-, -configmap-,
                                    -secret-, -pvc-, -pv-, -storageclass-, -node-,
                                    -event-table. Rows: ``tr.kubelearn-row``
                                    (``data-key="ns/name"``); an empty table is a
                                    ``div.kubelearn-table-empty``
kubelearn-object-select             a section's object Dropdown
kubelearn-object-detail             the selected object's box (actions, events, YAML)
kubelearn-object-yaml               its ``kubectl get -o yaml`` (HTML)
kubelearn-object-events             its events table (HTML)
kubelearn-actions                   the action row
kubelearn-scale-slider              replicas IntSlider (scales on change)
kubelearn-rollout-restart           Restart button (``rollout restart``)
kubelearn-rollout-undo              Undo button (``rollout undo``)
kubelearn-delete-pod                Delete button (selected pod)
kubelearn-node-stop                 Stop node button
kubelearn-node-start                Start node button
kubelearn-action-output             what the last action printed (HTML:
                                    ``pre.kubelearn-command``, ``pre.kubelearn-stdout``,
                                    ``pre.kubelearn-stderr``)
kubelearn-clock                     the clock controls (VBox)
kubelearn-clock-play                Play button
kubelearn-clock-pause               Pause button
kubelearn-clock-step                Step button
kubelearn-clock-step-seconds        seconds per Step (BoundedIntText)
kubelearn-clock-speed               simulated seconds per tick (Dropdown)
kubelearn-clock-time                ``t=123s · 2025-06-02T09:02:03Z`` (HTML)
kubelearn-clock-message             an error that stopped play (HTML)
kubelearn-manifest-editor           the editor (VBox)
kubelearn-editor                    its Textarea
kubelearn-editor-apply              Apply button
kubelearn-editor-delete             Delete button
kubelearn-editor-output             kubectl's output (HTML, as above), and when an
                                    error points at a line, a
                                    ``pre.kubelearn-editor-error-lines`` with the
                                    marked line in ``span.kubelearn-marked``
kubelearn-exercise-panel            the exercise panel (VBox)
kubelearn-exercise-task             its task (HTML)
kubelearn-exercise-check            Check button
kubelearn-exercise-hint             Hint button
kubelearn-exercise-solve            Solve button
kubelearn-exercise-hint-text        the last hint (HTML)
kubelearn-exercise-results          the results table (HTML): rows
                                    ``tr.kubelearn-check-passed`` /
                                    ``tr.kubelearn-check-failed``
kubelearn-exercise-transcript       what Solve ran (HTML)
kubelearn-exercise-diagram          the chapter's diagram, SVG inline (HTML)
kubelearn-aws-console               the AWS console (``aws.console()``, VBox)
kubelearn-aws-tabs                  its tabs: ``kubelearn-aws-iam``, ``-cloudformation``,
                                    ``-eks``, ``-vpc``, ``-efs``, ``-diagram``
kubelearn-aws-output                the last action: its aws command and result
kubelearn-aws-create-role (etc.)    the forms' buttons: ``-attach-policy``,
                                    ``-create-stack``, ``-create-cluster``,
                                    ``-create-nodegroup``, ``-update-scaling``,
                                    ``-create-sg``, ``-add-nfs-rule``, ``-create-fs``,
                                    ``-create-mount-target``
==================================  ===============================================
"""
from kubelearn.widgets.clock import ClockControls
from kubelearn.widgets.dashboard import Dashboard
from kubelearn.widgets.editor import ManifestEditor
from kubelearn.widgets.exercise import ExercisePanel, panel

__all__ = ["ClockControls", "Dashboard", "ManifestEditor", "ExercisePanel", "panel"]
