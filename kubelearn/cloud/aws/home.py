"""Where the simulated AWS account keeps its files: the kubelearn home.

``$KUBELEARN_HOME`` if set, else ``~/.kubelearn`` (as ``kubelearn.grading.store``).
The learner's real ``~/.aws`` and ``~/.kube/config`` are never read or written:
``aws configure`` writes ``<home>/aws/config`` and ``<home>/aws/credentials``,
``aws eks update-kubeconfig`` writes ``<home>/kube/config``.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "KUBELEARN_HOME"


def kubelearn_home() -> Path:
    home = os.environ.get(ENV_HOME)
    return Path(home).expanduser() if home else Path.home() / ".kubelearn"


def aws_config_file() -> Path:
    return kubelearn_home() / "aws" / "config"


def aws_credentials_file() -> Path:
    return kubelearn_home() / "aws" / "credentials"


def kubeconfig_file() -> Path:
    return kubelearn_home() / "kube" / "config"
