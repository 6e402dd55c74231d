"""The browser tests' set-up: without chromium they are skipped, and say why."""
from __future__ import annotations

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("browser_conftest",
                                              Path(__file__).with_name("conftest.py"))
setup = importlib.util.module_from_spec(spec)
spec.loader.exec_module(setup)


def test_no_chromium_means_a_skip_that_says_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.setattr(setup, "CHROMIUM_CANDIDATES", (str(tmp_path / "none"),))
    monkeypatch.delenv("KUBELEARN_CHROMIUM", raising=False)
    assert setup.find_chromium() is None
    reason = setup._skip_reason()
    assert reason is not None and "chromium" in reason and ".ci/run installs it" in reason


def test_a_configured_chromium_is_found(monkeypatch, tmp_path):
    program = tmp_path / "chromium"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("KUBELEARN_CHROMIUM", str(program))
    assert setup.find_chromium() == str(program)
