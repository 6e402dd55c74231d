"""Every test runs as a brand-new learner: ``check()`` and ``solve()`` keep their
progress in a folder of this session's (``KUBELEARN_HOME``), never in the
developer's ``~/.kubelearn``, and no learner id from the shell
(``KUBELEARN_LEARNER``) changes an exercise's values. Tests that need a folder
of their own set ``KUBELEARN_HOME`` again (``tests/grading/conftest.py``)."""
from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    os.environ["KUBELEARN_HOME"] = tempfile.mkdtemp(prefix="kubelearn-test-home-")
    os.environ.pop("KUBELEARN_LEARNER", None)
