"""Tests for kubelearn.cli: no JupyterLab is started (the launcher is injected)."""

import sys

import pytest

from kubelearn import cli
from kubelearn._version import KUBERNETES_VERSION, __version__


class FakeLauncher:
    def __init__(self, exit_code=0):
        self.calls = []
        self.exit_code = exit_code

    def __call__(self, cmd):
        self.calls.append(cmd)
        return self.exit_code


def make_course(root):
    for folder in cli.COURSE_FOLDERS:
        (root / folder).mkdir(parents=True)
        (root / folder / f"01-{folder}.ipynb").write_text("{}")
    return root


def test_version(capsys):
    assert cli.main(["version"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"kubelearn {__version__}"
    assert __version__ == "0.1.0"
    assert KUBERNETES_VERSION == "v1.32"
    assert "Kubernetes v1.32" in out


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["lab", "--port", "x"], ["version", "extra"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv, launcher=FakeLauncher())
    assert exc.value.code == 2
    assert "usage: kubelearn" in capsys.readouterr().err


def test_help_mentions_commands_and_copy(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "lab" in out and "version" in out
    with pytest.raises(SystemExit):
        cli.main(["lab", "--help"])
    assert "kubelearn-course" in capsys.readouterr().out


def test_lab_uses_current_directory_with_chapters(tmp_path, monkeypatch):
    (tmp_path / "chapters").mkdir()
    monkeypatch.chdir(tmp_path)
    launcher = FakeLauncher(exit_code=3)
    assert cli.main(["lab", "--no-browser", "--port", "9999"], launcher=launcher) == 3
    (cmd,) = launcher.calls
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--LabApp.default_url=/lab/tree/chapters" in cmd
    assert "--no-browser" in cmd and "--port=9999" in cmd
    assert not (tmp_path / cli.COPY_DIR).exists()


def test_lab_copies_packaged_course_once(tmp_path, monkeypatch, capsys):
    source = make_course(tmp_path / "installed")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(cli, "packaged_course", lambda: source)
    launcher = FakeLauncher()

    assert cli.main(["lab"], launcher=launcher) == 0
    copy = work / cli.COPY_DIR
    assert (copy / "chapters" / "01-chapters.ipynb").read_text() == "{}"
    assert f"--ServerApp.root_dir={copy}" in launcher.calls[0]
    assert "--no-browser" not in launcher.calls[0]
    assert "./kubelearn-course/" in capsys.readouterr().out

    # The learner's edits survive a second `kubelearn lab`.
    (copy / "chapters" / "01-chapters.ipynb").write_text("edited")
    assert cli.main(["lab"], launcher=launcher) == 0
    assert (copy / "chapters" / "01-chapters.ipynb").read_text() == "edited"
    assert "your changes are kept" in capsys.readouterr().out


def test_lab_without_course_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "packaged_course", lambda: None)
    launcher = FakeLauncher()
    assert cli.main(["lab"], launcher=launcher) == 1
    assert launcher.calls == []
    assert "cannot find the course notebooks" in capsys.readouterr().err


def test_packaged_course_finds_source_checkout():
    course = cli.packaged_course()
    assert course is None or any((course / f).is_dir() for f in cli.COURSE_FOLDERS)


def test_copy_course_skips_missing_folders(tmp_path):
    source = tmp_path / "src"
    (source / "chapters").mkdir(parents=True)
    (source / "chapters" / "a.ipynb").write_text("{}")
    assert cli.copy_course(source, tmp_path / "dest") == 1
    assert all((tmp_path / "dest" / f).is_dir() for f in cli.COURSE_FOLDERS)


# -- grade and validate: usage errors exit 2 with one line, never a traceback ------------------

@pytest.mark.parametrize("argv", [["grade"], ["grade", "x", "--jobs", "0"], ["grade", "x", "--jobs", "two"],
                                  ["grade", "x", "--timeout", "-1"], ["grade", "x", "--timeout", "nan"],
                                  ["validate", "--jobs", "0"], ["grade", "x", "--frobnicate"]])
def test_grading_flag_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert "usage: kubelearn" in capsys.readouterr().err


def test_grade_folder_errors_exit_2(tmp_path, capsys):
    assert cli.main(["grade", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"kubelearn: {tmp_path / 'nope'} is not a folder\n"
    assert cli.main(["grade", str(tmp_path), "--out", str(tmp_path / "g.csv")]) == 2
    assert capsys.readouterr().err == f"kubelearn: no notebooks (*.ipynb) in {tmp_path}\n"
    assert cli.main(["grade", str(tmp_path), "--out", str(tmp_path)]) == 2
    assert "is a folder; give a file name such as grades.csv" in capsys.readouterr().err
    (tmp_path / "a.ipynb").write_text("{}")
    assert cli.main(["grade", str(tmp_path), "--chapter", "77"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kubelearn: chapter 77 has no exercises; chapters with exercises: 1, 2")
    assert cli.main(["grade", str(tmp_path), "--exercises", "no_such_course_module"]) == 2
    assert "cannot import exercise module 'no_such_course_module'" in capsys.readouterr().err
    assert not (tmp_path / "grades.csv").exists()


def test_validate_unknown_chapter_exits_2(capsys):
    assert cli.main(["validate", "--chapter", "77"]) == 2
    assert "Traceback" not in capsys.readouterr().err
