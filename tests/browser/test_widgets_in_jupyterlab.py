"""The widgets in JupyterLab, in a real browser (Debian's chromium, driven by
Playwright): the demo notebook runs, the dashboard renders, moving the scale
slider and stepping the clock changes the pod rows, and the manifest editor
shows kubectl's error for a manifest with an unknown field. Screenshots of each
step are saved as test artifacts (``test-artifacts/`` or ``$KUBELEARN_ARTIFACTS``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DEMO = Path(__file__).with_name("demo.ipynb")
WAIT_MS = 90_000
KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
                   && panel.sessionContext.session.kernel;
    return !!kernel && kernel.status === 'idle';
}"""
POD_ROWS = ".kubelearn-pod-table tr.kubelearn-row"

BROKEN = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: typo
spec:
  replica: 2
  selector:
    matchLabels:
      app: typo
  template:
    metadata:
      labels:
        app: typo
    spec:
      containers:
        - name: web
          image: nginx
"""


def run_demo(page, lab_server, lab_root):
    shutil.copy(DEMO, lab_root / "demo.ipynb")
    page.goto(f"{lab_server}/lab/tree/demo.ipynb")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=WAIT_MS)
    page.wait_for_function(KERNEL_IDLE, timeout=WAIT_MS)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector(".kubelearn-dashboard", timeout=WAIT_MS)
    page.wait_for_selector(".kubelearn-manifest-editor", timeout=WAIT_MS)
    page.wait_for_function(KERNEL_IDLE, timeout=WAIT_MS)


def pod_rows(page) -> list[str]:
    return [row.inner_text() for row in page.locator(POD_ROWS).all()]


def test_dashboard_scales_from_the_slider_and_the_editor_shows_kubectl_errors(
        page, lab_server, lab_root, artifacts):
    run_demo(page, lab_server, lab_root)
    dashboard = page.locator(".kubelearn-dashboard")
    page.wait_for_function(f"document.querySelectorAll('{POD_ROWS}').length === 2",
                           timeout=WAIT_MS)
    assert all("Running" in row for row in pod_rows(page))
    dashboard.screenshot(path=str(artifacts / "dashboard-2-replicas.png"))

    # one step to the right on the slider: replicas 2 -> 3 (kubectl scale in the kernel)
    page.locator(".kubelearn-scale-slider .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector(".kubelearn-action-output:has-text('deployment.apps/web scaled')",
                           timeout=WAIT_MS)
    page.locator("button.kubelearn-clock-step").click()
    page.wait_for_function(f"document.querySelectorAll('{POD_ROWS}').length === 3",
                           timeout=WAIT_MS)
    page.wait_for_function(
        f"[...document.querySelectorAll('{POD_ROWS}')].every(r => r.innerText.includes('Running'))",
        timeout=WAIT_MS)
    dashboard.screenshot(path=str(artifacts / "dashboard-3-replicas.png"))

    # the manifest editor: kubectl's strict decoding error for an unknown field
    editor = page.locator(".kubelearn-manifest-editor")
    editor.locator("textarea").fill(BROKEN)
    editor.locator("button.kubelearn-editor-apply").click()
    output = page.locator(".kubelearn-editor-output")
    output.locator("text=unknown field").first.wait_for(timeout=WAIT_MS)
    text = output.inner_text()
    assert 'strict decoding error: unknown field "spec.replica"' in text
    assert 'Error from server (BadRequest): error when creating "STDIN"' in text
    editor.screenshot(path=str(artifacts / "editor-unknown-field.png"))
    page.screenshot(path=str(artifacts / "jupyterlab-demo.png"), full_page=True)
