"""The progress file: where it lives, what it keeps, and what happens when it is broken.

Every test runs with ``KUBELEARN_HOME`` in a temporary folder (the autouse
``learner_home`` fixture of conftest.py), never the real home.
"""
import json
import os
from pathlib import Path

import pytest

from kubelearn.grading import store
from kubelearn.grading.store import ProgressStore, progress_path, status_of, take_notices


def test_the_file_lives_in_kubelearn_home(learner_home, monkeypatch):
    assert progress_path() == learner_home / "progress.json"
    monkeypatch.delenv("KUBELEARN_HOME")
    assert progress_path() == Path.home() / ".kubelearn" / "progress.json"


def test_a_grading_run_keeps_no_file(learner_home, monkeypatch):
    monkeypatch.setenv("KUBELEARN_GRADING", "1")
    assert progress_path() is None
    s = store.current()
    s.record_check("2.1", 3, 6, False)
    assert s.entries()["2.1"]["best_score"] == 3          # in memory, for this kernel
    assert list(learner_home.iterdir()) == []
    monkeypatch.setenv("KUBELEARN_GRADING", "0")
    assert progress_path() == learner_home / "progress.json"


def test_best_score_and_status_survive_a_new_store(learner_home):
    ProgressStore(progress_path()).record_check("2.1", 2, 6, False)
    ProgressStore(progress_path()).record_check("2.1", 4, 6, False)
    ProgressStore(progress_path()).record_check("2.1", 1, 6, False)   # a worse try later
    ProgressStore(progress_path()).record_check("2.2", 0, 3, False)
    entries = ProgressStore(progress_path()).entries()                # "another kernel"
    assert entries["2.1"] == {"best_score": 4, "max": 6, "solved_with_help": False,
                              "status": "partly"}
    assert entries["2.2"]["status"] == "not yet"
    store.current().record_check("2.1", 6, 6, True)
    store.current().record_check("2.1", 5, 6, False)                 # passed stays passed
    assert store.current().entries()["2.1"]["status"] == "passed"
    store.current().record_solved("2.2", 3, 3)
    assert store.current().entries()["2.2"] == {"best_score": 3, "max": 3,
                                                "solved_with_help": True,
                                                "status": "solved with help"}
    store.current().record_check("2.2", 3, 3, True)                   # help is not forgotten
    assert store.current().entries()["2.2"]["status"] == "solved with help"


def test_a_changed_exercise_starts_its_best_score_again():
    store.current().record_check("2.1", 5, 6, False)
    store.current().record_check("2.1", 1, 7, False)
    assert store.current().entries()["2.1"]["best_score"] == 1


def test_the_file_is_sorted_json_written_through_a_temporary_file(learner_home, monkeypatch):
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(store.os, "replace",
                        lambda a, b: replaced.append((Path(a).name, Path(b).name))
                        or real_replace(a, b))
    store.current().record_check("3.1", 1, 5, False)
    store.current().set_learner("alice")
    assert replaced == [(f".progress.json.{os.getpid()}.tmp", "progress.json")] * 2
    text = (learner_home / "progress.json").read_text()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n"
    assert json.loads(text) == {"exercises": {"3.1": {"best_score": 1, "max": 5,
                                                      "solved_with_help": False,
                                                      "status": "partly"}},
                                "format": 1, "learner": "alice"}
    assert sorted(p.name for p in learner_home.iterdir()) == ["progress.json"]


@pytest.mark.parametrize("content, why", [
    ("{not json", "it is not valid JSON: Expecting property name enclosed in double quotes, "
                  "line 1"),
    ('{"format": 1}', "it has no exercises table"),
    ('{"format": 7, "exercises": {}}', "its format is 7, not 1"),
    ('{"format": 1, "exercises": {"2.1": {"best_score": "many"}}}',
     "its entry for exercise '2.1' is not a progress entry"),
    (b"\xff\xfe", "it is not UTF-8 text"),
])
def test_a_corrupt_file_is_kept_aside_replaced_and_reported_once(learner_home, content, why):
    path = learner_home / "progress.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert store.current().entries() == {}
    assert take_notices() == (f"Your progress file {path} could not be used ({why}); it was kept "
                              "as progress.json.corrupt and a new one was started.")
    assert json.loads(path.read_text()) == {"exercises": {}, "format": 1}
    assert (learner_home / "progress.json.corrupt").read_bytes()[:2] == \
        (content if isinstance(content, bytes) else content.encode())[:2]
    path.write_text("broken again")
    store.current().record_check("2.1", 1, 2, False)
    assert take_notices() == ""                                   # said once per process
    assert store.current().entries()["2.1"]["best_score"] == 1


def test_a_folder_that_cannot_be_written_keeps_progress_in_the_kernel(learner_home, monkeypatch):
    blocked = learner_home / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KUBELEARN_HOME", str(blocked))
    store.current().record_check("2.1", 2, 6, False)
    notice = take_notices()
    assert notice.startswith(f"Your progress could not be saved in {blocked / 'progress.json'} (")
    assert notice.endswith("it is kept in this kernel only.")
    store.current().record_check("2.2", 1, 3, False)
    assert take_notices() == ""
    assert sorted(store.current().entries()) == ["2.1", "2.2"]


def test_status_of_an_entry():
    assert status_of(None) == "not tried"
    assert status_of({"best_score": 0, "max": 3, "status": "not yet",
                      "solved_with_help": False}) == "not yet"
    assert status_of({"best_score": 1, "max": 3, "status": "not yet",
                      "solved_with_help": False}) == "partly"
    assert status_of({"best_score": 3, "max": 3, "status": "passed",
                      "solved_with_help": True}) == "solved with help"
