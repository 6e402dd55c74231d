"""``SimulatedAWS``: one simulated AWS account per kernel, answered by moto.

``moto.mock_aws`` is started once and kept active for the life of the process
(moto's state is process-wide, like the account it simulates), with the AWS
managed-policy catalogue loaded, so ``AmazonEKSClusterPolicy`` can be attached.
The account id is moto's ``123456789012``. Clients are genuine boto3 clients
built from a botocore session that reads its config and credentials files only
under the kubelearn home (``kubelearn.cloud.aws.home``) and holds dummy keys:
nothing reaches the real AWS or the learner's ``~/.aws``.

One account per kernel: ``SimulatedAWS()`` called again (a notebook cell run
twice) returns the account that is already running, with its state. Asking for
another region than the running account's raises ``ValueError``: use
``aws.client(name, region=...)`` for a second region of the same account.

Each client has the course's hooks on its event system: ``checks`` (before-call:
the refusals AWS makes and moto does not) and ``lifecycle`` (after-call: the
statuses that move with simulated time). Time is a kubelearn ``Clock`` of the
account's own; ``advance``/``settle`` move it, and the kubelearn clusters behind
EKS clusters (``followers``) move with it.
"""
from __future__ import annotations

import os

from kubelearn.clock import Clock

ACCOUNT_ID = "123456789012"
DUMMY_KEY_ID = "AKIAIOSFODNN7EXAMPLE"        # AWS's documented example key
DUMMY_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SERVICES = ("iam", "cloudformation", "ec2", "eks", "efs", "sts")


class SimulatedAWS:
    _running: "SimulatedAWS | None" = None

    def __new__(cls, region: str = "us-east-2", *, seed: int = 0):
        running = cls._running
        if running is not None:
            if running.region != region:
                raise ValueError(
                    f"a simulated AWS account is already running in this kernel with region "
                    f"{running.region!r}; use aws.client(name, region={region!r}) for another "
                    f"region of the same account")
            return running
        return super().__new__(cls)

    def __init__(self, region: str = "us-east-2", *, seed: int = 0):
        if SimulatedAWS._running is self:
            return
        self.region = region
        self.seed = seed
        self.account_id = ACCOUNT_ID
        self.clock = Clock()
        self.followers: list = []      # callables(now) run after time moves: bridged clusters
        self._clients: dict[tuple[str, str], object] = {}
        self._plain_clients: dict[tuple[str, str], object] = {}
        self._write_config()
        self._start_moto()
        from kubelearn.cloud.aws.cleanup import StackCleanup
        from kubelearn.cloud.aws.lifecycle import Lifecycle

        self.lifecycle = Lifecycle(self)
        self.cleanup = StackCleanup(self)
        from kubelearn.cloud.aws.bridge import Bridge

        self.bridge = Bridge(self)
        from kubelearn.cloud.aws.addons import Addons

        self.addons = Addons(self)
        from kubelearn.cloud.aws.timestamps import Timestamps

        self.timestamps = Timestamps(self)
        SimulatedAWS._running = self

    def _write_config(self) -> None:
        """The simulated ``aws/config`` under the kubelearn home, with a ``[default]``
        profile (the clients use it, whatever AWS_PROFILE says in the real environment)."""
        from kubelearn.cloud.aws import home

        path = home.aws_config_file()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"[default]\nregion = {self.region}\noutput = json\n")

    # -- moto -------------------------------------------------------------
    def _start_moto(self) -> None:
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        from moto import mock_aws

        self._mock = mock_aws(config={"iam": {"load_aws_managed_policies": True}})
        self._mock.start()
        self._seed_ids()

    def _seed_ids(self) -> None:
        """moto's documented seeding endpoint: the same ids (vpc-…, subnet-…, fs-…) each run."""
        import requests

        requests.post(f"http://motoapi.amazonaws.com/moto-api/seed?a={self.seed}", timeout=5)

    def reset(self) -> None:
        """Forget everything in the account (moto's public reset), as a new account."""
        import requests

        requests.post("http://motoapi.amazonaws.com/moto-api/reset", timeout=5)
        self._seed_ids()
        from kubelearn.cloud.aws.lifecycle import Lifecycle

        self.clock = Clock()
        self.followers.clear()
        from kubelearn.cloud.aws.cleanup import StackCleanup

        self.lifecycle = Lifecycle(self)
        self.cleanup = StackCleanup(self)
        from kubelearn.cloud.aws.bridge import Bridge

        self.bridge = Bridge(self)
        from kubelearn.cloud.aws.addons import Addons

        self.addons = Addons(self)
        from kubelearn.cloud.aws.timestamps import Timestamps

        self.timestamps = Timestamps(self)
        self._clients.clear()
        self._plain_clients.clear()

    # -- clients ----------------------------------------------------------
    def _session(self, region: str):
        import boto3
        import botocore.loaders
        import botocore.session

        from kubelearn.cloud.aws import home

        self._write_config()        # the kubelearn home may have moved (KUBELEARN_HOME)
        core = botocore.session.Session()
        core.set_config_variable("config_file", str(home.aws_config_file()))
        core.set_config_variable("credentials_file", str(home.aws_credentials_file()))
        core.set_config_variable("profile", "default")
        # only botocore's own service models, never ~/.aws/models
        core.register_component("data_loader", botocore.loaders.Loader(
            extra_search_paths=[botocore.loaders.Loader.BUILTIN_DATA_PATH],
            include_default_search_paths=False))
        return boto3.Session(botocore_session=core, aws_access_key_id=DUMMY_KEY_ID,
                             aws_secret_access_key=DUMMY_SECRET, region_name=region)

    def client(self, name: str, region: str | None = None):
        """A genuine boto3 client for ``name`` with the course's checks and lifecycles."""
        if name not in SERVICES:
            raise ValueError(f"the simulated account offers {', '.join(SERVICES)}; not {name!r}")
        key = (name, region or self.region)
        found = self._clients.get(key)
        if found is None:
            found = self._clients[key] = self._session(key[1]).client(name)
            from kubelearn.cloud.aws import checks

            checks.register(self, found)
            self.lifecycle.register(found)
            self.timestamps.register(found)
            self.bridge.register(found)
            self.addons.register(found)
            if name == "cloudformation":
                self.cleanup.register(found)
        return found

    def plain(self, name: str, region: str | None = None):
        """A client without the course hooks: what the checks use to look at the account."""
        key = (name, region or self.region)
        found = self._plain_clients.get(key)
        if found is None:
            found = self._plain_clients[key] = self._session(key[1]).client(name)
        return found

    # -- time -------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.clock.now

    def advance(self, seconds: float) -> None:
        """Move simulated time on, firing the lifecycle steps that fall due."""
        target = self.clock.now + seconds
        while (timer := self.clock.pop_due(target)) is not None:
            self._follow(timer.when)
            timer.callback()
        self.clock.now = target
        self._follow(target)

    def settle(self, max_seconds: float = 3600) -> float:
        """Run until no lifecycle is in progress; returns the simulated seconds it took."""
        start = self.clock.now
        deadline = start + max_seconds
        while self.clock.foreground > 0:
            timer = self.clock.pop_due(deadline)
            if timer is None:
                break
            self._follow(timer.when)
            timer.callback()
        if self.clock.foreground > 0:
            self.clock.now = deadline
        self._follow(self.clock.now)
        return self.clock.now - start

    def _follow(self, now: float) -> None:
        for follower in list(self.followers):
            follower(now)

    # -- the rest of the course API -------------------------------------
    @property
    def samples(self):
        from kubelearn.cloud.aws import samples

        return samples

    def cluster(self, name: str, region: str | None = None):
        """The kubelearn ``Cluster`` behind the ACTIVE EKS cluster ``name`` (KeyError if none)."""
        return self.bridge.cluster(name, region)

    def cli(self, command: str):
        """Run one ``aws`` command line: a result with stdout, stderr and exit_code."""
        from kubelearn.cloud.aws.cli import run

        return run(self, command)

    def console(self):
        """The AWS console widget over this account (``kubelearn.widgets.aws_console``)."""
        from kubelearn.widgets.aws_console import AWSConsole

        return AWSConsole(self)

    def diagram(self, region: str | None = None):
        """The AWS side as a diagram: VPC, subnets per AZ, EKS, nodes, EFS, security groups."""
        from kubelearn.viz.aws import aws_diagram

        return aws_diagram(self, region)

    def __call__(self, command: str):
        return self.cli(command)

    def __repr__(self) -> str:
        return f"SimulatedAWS(region={self.region!r}, account={self.account_id}, t={self.now:g}s)"


def current() -> SimulatedAWS | None:
    """The account running in this kernel, if any."""
    return SimulatedAWS._running
