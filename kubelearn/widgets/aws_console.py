"""An AWS console for the simulated account: ``aws.console()`` (``AWSConsole(aws)``).

Tabs, after the AWS console's pages: **IAM roles** (trust and an attached-policy
checklist of what EKS needs), **CloudFormation** (stacks, events, outputs),
**EKS** (clusters, Compute: node groups, add-ons), **VPC** (security groups and
their inbound rules, the "Add rule: NFS" preset), **EFS** (file systems, mount
targets per AZ) and **Diagram** (``aws.diagram()``). The tabs' forms are in
``kubelearn.widgets.aws_console_tabs``.

Every form calls the same hooked boto3 client a notebook gets from
``aws.client(name)``, so the console, ``aws ...`` and Python change one state
and fail the same way. The output box shows the equivalent command line
(``$ aws eks create-cluster ...``), then the response as ``aws`` prints it
(JSON), or the AWS error as the CLI prints it: ``An error occurred (Code) when
calling the Op operation: message``. Then the visible tab is redrawn; it is
redrawn after each notebook cell too (what a cell did with boto3 or ``aws``), and
``refresh()`` does it by hand. Tables
are sorted, so the same account draws the same HTML.

The clock row is ``kubelearn.widgets.ClockControls`` driving ``aws.advance``
(Step, Play, Pause), with the account's simulated time.

CSS classes: ``kubelearn-aws-console`` (the whole), ``kubelearn-aws-tabs``,
``kubelearn-aws-output`` (the last action: ``pre.kubelearn-command``,
``pre.kubelearn-stdout``, ``pre.kubelearn-stderr``), one
``kubelearn-aws-<tab>`` per tab (``iam``, ``cloudformation``, ``eks``, ``vpc``,
``efs``, ``diagram``), tables ``table.kubelearn-table`` with rows
``tr.kubelearn-row`` (``data-key``).
"""
from __future__ import annotations

import json
import shlex
from html import escape

import ipywidgets as widgets
from botocore.exceptions import ClientError, ParamValidationError

from kubelearn.cloud.aws.cli import CLIENT_ERROR_RC, PARAM_VALIDATION_ERROR_RC, AwsResult
from kubelearn.cloud.aws.output import render
from kubelearn.widgets.clock import ClockControls
from kubelearn.widgets.html import CSS, command_output
from kubelearn.widgets.refresh import hub

AWS_CSS = """<style>
.kubelearn-badge {padding: 1px 6px; border-radius: 8px; font-family: monospace}
.kubelearn-aws-console .widget-label {min-width: 110px}
</style>"""
OK_STATES = ("ACTIVE", "available", "CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE")
PROGRESS_STATES = ("CREATING", "UPDATING", "DELETING", "creating", "deleting",
                   "CREATE_IN_PROGRESS", "DELETE_IN_PROGRESS", "UPDATE_IN_PROGRESS")


def badge(status: str) -> str:
    """A status with its colour (the words always stay)."""
    css = ("kubelearn-ok" if status in OK_STATES else
           "kubelearn-progress" if status in PROGRESS_STATES else "kubelearn-bad")
    return f'<span class="kubelearn-badge {css}">{escape(status)}</span>'


def html_table(caption: str, headers: list[str], rows: list[tuple[str, list[str]]],
               empty: str = "None yet") -> str:
    """``rows`` are ``(key, cells)``; cells are HTML already (escape what is text)."""
    if not rows:
        return (f'<div class="kubelearn-table-empty"><strong>{escape(caption)}</strong>'
                f"<br><small>{escape(empty)}</small></div>")
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(f'<tr class="kubelearn-row" data-key="{escape(key)}">'
                   + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
                   for key, cells in rows)
    return (f'<table class="kubelearn-table"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def cli_arg(value) -> str:
    """A value on an ``aws`` command line: JSON for structures, shell-quoted text."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, separators=(",", ":"))
    return shlex.quote(str(value))


def set_options(dropdown, options: list) -> None:
    """New options for a Dropdown / SelectMultiple, keeping the value(s) still offered."""
    options = list(options)
    if list(dropdown.options) == options:
        return
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    if isinstance(dropdown, widgets.SelectMultiple):
        keep = tuple(v for v in dropdown.value if v in values)
        dropdown.options = options
        dropdown.value = keep
    else:
        keep = dropdown.value
        dropdown.options = options
        if keep in values:
            dropdown.value = keep
        elif values:
            dropdown.value = values[0]


class _NoStore:
    def watch(self, _callback) -> None:
        """The account has no object store to watch: the console refreshes after actions."""


class AccountTime:
    """What ``ClockControls`` drives: the account's clock and ``aws.advance``."""

    def __init__(self, aws):
        self.aws = aws
        self.name = f"aws {aws.region}"
        self.store = _NoStore()

    @property
    def clock(self):
        return self.aws.clock          # a property: aws.reset() makes a new clock

    def advance(self, seconds: float) -> None:
        self.aws.advance(seconds)


def account_time(aws) -> AccountTime:
    """One ``AccountTime`` per account, so its refresh hub is shared by every console."""
    found = aws.__dict__.get("_kubelearn_console_time")
    if found is None:
        found = aws.__dict__["_kubelearn_console_time"] = AccountTime(aws)
    return found


def _redraw_after_cells(console) -> None:
    """Redraw after every notebook cell: a cell's boto3 or ``aws`` calls change the account
    without telling anybody (the account has no watch), so the console catches up then."""
    try:
        from IPython import get_ipython
    except ImportError:             # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None:
        return
    import weakref

    ref = weakref.ref(console)

    def after_cell(*_args) -> None:
        found = ref()
        if found is not None:
            found.refresh()

    shell.events.register("post_run_cell", after_cell)


class AWSConsole(widgets.VBox):
    """The console; ``show("EKS")`` opens a tab, ``output.value`` is the last action."""

    def __init__(self, aws, **kwargs):
        from kubelearn.widgets import aws_console_tabs as tabs

        self.aws = aws
        self.region = aws.region
        self.last_result: AwsResult | None = None
        self.last_command = ""
        self.rebuilds = 0
        self.time = account_time(aws)
        self.hub = hub(self.time)
        self.clock = ClockControls(self.time, step_seconds=60, speed=30)
        self.output = widgets.HTML()
        self.output.add_class("kubelearn-aws-output")
        self.iam = tabs.IamTab(self)
        self.stacks = tabs.StackTab(self)
        self.eks = tabs.EksTab(self)
        self.vpc = tabs.VpcTab(self)
        self.efs = tabs.EfsTab(self)
        self.diagram = tabs.DiagramTab(self)
        self.sections = (self.iam, self.stacks, self.eks, self.vpc, self.efs, self.diagram)
        self.tabs = widgets.Tab(children=list(self.sections),
                                titles=[s.title for s in self.sections])
        self.tabs.add_class("kubelearn-aws-tabs")
        self.tabs.observe(self._on_tab, "selected_index")
        title = widgets.HTML(f"<strong>AWS console</strong> (simulated) · account "
                             f"<code>{aws.account_id}</code> · region <code>{aws.region}</code>")
        super().__init__([widgets.HTML(CSS + AWS_CSS), title, self.clock, self.output,
                          self.tabs], **kwargs)
        self.add_class("kubelearn-aws-console")
        self.refresh()
        self.hub.subscribe(self._on_hub)
        _redraw_after_cells(self)

    # -- clients and actions ------------------------------------------------------------
    def client(self, name: str):
        return self.aws.client(name, self.region)

    def run(self, command: str, call) -> AwsResult:
        """Run ``call()`` (a boto3 call), show ``$ command`` and what ``aws`` would print,
        then redraw. The result has the CLI's stdout, stderr and exit code."""
        try:
            response = call()
            result = AwsResult(render(response or {}, "json") if response else "", "", 0)
        except ClientError as error:
            result = AwsResult("", f"\n{error}\n", CLIENT_ERROR_RC)
        except ParamValidationError as error:
            result = AwsResult("", f"\n{error}\n", PARAM_VALIDATION_ERROR_RC)
        except ValueError as error:            # a form left empty
            result = AwsResult("", f"\n{error}\n", PARAM_VALIDATION_ERROR_RC)
        self.last_command, self.last_result = command, result
        self.output.value = command_output(command, result)
        self.hub.flush(force=True)
        return result

    # -- refreshing ---------------------------------------------------------------------
    def _on_hub(self, _kinds) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw the visible tab now; the others when they are next opened."""
        self.rebuilds += 1
        for section in self.sections:
            section.stale = True
        self.sections[self.tabs.selected_index or 0].redraw()

    def _on_tab(self, change) -> None:
        section = self.sections[change["new"] or 0]
        if section.stale:
            section.redraw()

    def show(self, title: str):
        """Open the tab with this title (``IAM roles``, ``CloudFormation``, ``EKS``,
        ``VPC``, ``EFS``, ``Diagram``) and return it, redrawn."""
        section = next(s for s in self.sections if s.title == title)
        self.tabs.selected_index = self.sections.index(section)
        if section.stale:
            section.redraw()
        return section

    def close(self) -> None:
        self.hub.unsubscribe(self._on_hub)
        self.clock.close()
        super().close()

    def __repr__(self) -> str:
        return (f"<AWSConsole {self.aws.account_id} {self.region}: "
                f"{self.sections[self.tabs.selected_index or 0].title}, t={self.aws.now:g}s>")
