"""Exercises, checks and results: validation, safety of checkers, and wording."""
import pytest

from kubelearn.grading.model import (Check, CheckResult, Exercise, ItemResult, Misconception,
                                     Outcome, Step, one_line)


def passing(cluster):
    return Outcome(True, "3", "3", 'Deployment "web" has 3 replicas.')


def failing(cluster):
    return Outcome(False, "3", "2", 'Deployment "web" has 2 replicas; the task asks for 3.')


def exercise(public=(True, True, True, False), hidden=(True, False)):
    checks = [Check(f"p{i}", f"public {i}", 1, passing if ok else failing)
              for i, ok in enumerate(public)]
    checks += [Check(f"h{i}", f"hidden {i}", 2, passing if ok else failing, hidden=True)
               for i, ok in enumerate(hidden)]
    return Exercise(id="2.1", title="Scale web", checks=tuple(checks))


# -- construction ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["", "a b", "a/b", "-x"])
def test_check_ids_must_be_stable_names(bad):
    with pytest.raises(ValueError, match="check id"):
        Check(bad, "d", 1, passing)


def test_check_needs_a_function_and_non_negative_points():
    with pytest.raises(TypeError, match="fn"):
        Check("x", "d", 1, None)
    with pytest.raises(ValueError, match="points"):
        Check("x", "d", -1, passing)
    with pytest.raises(ValueError, match="points"):
        Check("x", "d", True, passing)


def test_exercise_rejects_duplicate_check_ids():
    with pytest.raises(ValueError, match="used twice: a"):
        Exercise("1.1", "t", checks=(Check("a", "d", 1, passing), Check("a", "e", 1, passing)))


def test_exercise_normalises_steps_hints_and_chapter():
    ex = Exercise("3.4", "t", hints="only one", solution=(
        "kubectl create deployment web --image=nginx",
        ("apply -f -", "kind: ConfigMap\n"),
        Step("get pods")), setup="run x --image=nginx")
    assert ex.hints == ("only one",)
    assert ex.solution == (Step("create deployment web --image=nginx"),
                           Step("apply -f -", "kind: ConfigMap\n"), Step("get pods"))
    assert ex.setup == (Step("run x --image=nginx"),)
    assert ex.chapter == "3"
    assert Exercise("3.4", "t", chapter=7).chapter == "7"


def test_a_step_is_data_not_code():
    with pytest.raises(TypeError, match="kubectl command line"):
        Step.of(lambda c: None)
    assert Step("get pods").shell() == "$ kubectl get pods"
    assert Step("apply -f -", "kind: Pod\n").shell() == "$ kubectl apply -f - <<EOF\nkind: Pod\nEOF"


# -- checkers never leak a traceback ---------------------------------------------------------

def test_a_checker_that_raises_is_reported_as_could_not_check():
    def broken(cluster):
        raise KeyError("spec")
    outcome = Check("x", "d", 1, broken).evaluate(object())
    assert outcome == Outcome(False, "", "", "could not check: KeyError: 'spec'")


def test_could_not_check_is_one_line():
    def broken(cluster):
        raise RuntimeError("first line\n  File 'x.py', line 3\nsecond")
    outcome = Check("x", "d", 1, broken).evaluate(None)
    assert outcome.message == "could not check: RuntimeError: first line"
    assert one_line(ValueError("x" * 500)).endswith("…") and len(one_line(ValueError("x" * 500))) == 200


def test_a_checker_may_return_a_bool_but_not_anything_else():
    assert Check("x", "d", 1, lambda c: True).evaluate(None).passed is True
    assert Check("x", "d", 1, lambda c: False).evaluate(None).passed is False
    odd = Check("x", "d", 1, lambda c: "yes").evaluate(None)
    assert not odd.passed and odd.message == "could not check: the checker gave back str, not an Outcome"


# -- results -----------------------------------------------------------------------------------

def test_public_run_scores_public_checks_and_counts_hidden_ones():
    result = exercise().run(None)
    assert [i.id for i in result.items] == ["2.1/p0", "2.1/p1", "2.1/p2", "2.1/p3"]
    assert (result.score, result.max_score, result.passed, result.hidden_pending) == (3, 4, False, 2)


def test_full_run_includes_hidden_checks():
    result = exercise().run(None, include_hidden=True)
    assert (result.score, result.max_score, result.hidden_pending) == (5, 8, 0)
    assert [i.hidden for i in result.items] == [False] * 4 + [True] * 2


def test_summary_says_what_was_checked_and_what_was_not():
    assert exercise().run(None).summary() == \
        "✘ 3 of 4 public checks passed · 2 more run at grading time"
    one_hidden = exercise(public=(True,), hidden=(True,)).run(None)
    assert one_hidden.summary() == "✔ 1 of 1 public check passed · 1 more runs at grading time"
    assert exercise(hidden=()).run(None).summary() == "✘ 3 of 4 checks passed"
    assert exercise(public=(True,), hidden=()).run(None).summary() == "✔ 1 of 1 check passed"
    assert exercise().run(None, include_hidden=True).summary() == \
        "✘ 4 of 6 checks passed (including 2 hidden checks)"


def test_never_all_passed_while_hidden_checks_wait():
    result = exercise(public=(True, True), hidden=(False,)).run(None)
    assert result.passed
    text = repr(result) + result._repr_html_()
    assert "all passed" not in text.lower() and "all checks passed" not in text.lower()
    assert "1 more runs at grading time" in text
    assert "The public checks pass; the rest are run when your notebook is graded." in text


def test_plain_repr_reads_state_then_expected_and_actual():
    assert repr(exercise().run(None)) == "\n".join([
        "Exercise 2.1 · Scale web",
        "✘ 3 of 4 public checks passed · 2 more run at grading time · 3/4 points",
        '  ✔ p0 — Deployment "web" has 3 replicas.',
        '  ✔ p1 — Deployment "web" has 3 replicas.',
        '  ✔ p2 — Deployment "web" has 3 replicas.',
        '  ✘ p3 — Deployment "web" has 2 replicas; the task asks for 3.',
        "      expected: 3",
        "      actual:   2",
        'Next: change the cluster, then check("2.1") again; hint("2.1") gives a nudge.',
    ])


def test_hidden_items_are_marked_in_a_grading_run():
    result = exercise().run(None, include_hidden=True)
    text = repr(result)
    assert '  ✘ h1 (hidden) — Deployment "web" has 2 replicas; the task asks for 3.' in text
    assert "Next:" not in text and "hint(" not in result._repr_html_()  # a report, not advice


def test_a_tip_follows_a_failure_only():
    ex = Exercise("1.1", "t", checks=(
        Check("a", "d", 1, failing, tip="scale the Deployment."),
        Check("b", "d", 1, passing, tip="never shown"),
        Check("c", "d", 1, lambda c: 1 / 0, tip="not after could-not-check")))
    a, b, c = ex.run(None).items
    assert a.message.endswith("the task asks for 3. Try: scale the Deployment.")
    assert "never shown" not in b.message
    assert c.message == "could not check: ZeroDivisionError: division by zero"


def test_html_repr_is_an_escaped_accessible_table():
    def nasty(cluster):
        return Outcome(False, "<b>3</b>", "<script>x</script>", 'a & "b" <i>')
    ex = Exercise("1.1", "<Title & co>", checks=(Check("a", "<desc>", 1, nasty),
                                                 Check("b", "fine", 1, passing)))
    html = ex.run(None)._repr_html_()
    for raw in ("<script>", "<b>3</b>", "<i>", "<Title", "<desc>"):
        assert raw not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&lt;Title &amp; co&gt;" in html
    assert "<caption>Checks of exercise 1.1</caption>" in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert "✘ not yet" in html and "✔ passed" in html


def test_result_as_dict_is_json_shaped():
    d = exercise(public=(False,), hidden=()).run(None).as_dict()
    assert d["score"] == 0 and d["max"] == 1 and d["passed"] is False
    assert d["items"] == [{"id": "2.1/p0", "description": "public 0", "passed": False, "points": 0,
                           "max_points": 1, "hidden": False, "expected": "3", "actual": "2",
                           "message": 'Deployment "web" has 2 replicas; the task asks for 3.',
                           "misconception": "", "objects": []}]


def test_a_check_built_by_the_library_names_the_objects_it_is_about(make_cluster):
    """What the exercise panel highlights in the diagram when the check fails."""
    from kubelearn.grading.checks import all_of, endpoints_ready, exists, field_equals

    check = Check("web", "web is there and exposed", 1, all_of(
        field_equals("Deployment", "web", "spec.replicas", 3), endpoints_ready("web", 3),
        exists("Node", "worker-9")))
    [item] = Exercise("2.1", "t", checks=(check,)).run(make_cluster()).items
    assert not item.passed
    assert item.objects == ("Deployment/default/web", "Service/default/web", "Node/worker-9")
    assert item.as_dict()["objects"] == list(item.objects)
    own = Check("own", "an outcome that names its objects", 1,
                lambda cluster: Outcome(False, objects=("Pod/default/a",)))
    assert Exercise("2.2", "t", checks=(own,)).run(None).items[0].objects == ("Pod/default/a",)


def test_an_empty_result_has_not_passed():
    assert not CheckResult("1.1", "t", ()).passed


def test_not_checked_results_score_zero_with_the_reason():
    result = exercise().not_checked("no cluster is running")
    assert result.score == 0 and result.max_score == 4 and result.hidden_pending == 2
    assert all(i.message == "not checked: no cluster is running" for i in result.items)
    assert isinstance(result.items[0], ItemResult)


# -- misconceptions ------------------------------------------------------------------------------

def test_misconceptions_need_a_stable_id_a_hint_and_a_test():
    with pytest.raises(ValueError, match="misconception id"):
        Misconception("no spaces", "hint", lambda c, o: True)
    with pytest.raises(ValueError, match="needs a hint"):
        Misconception("m", "  ", lambda c, o: True)
    with pytest.raises(TypeError, match="needs a test"):
        Misconception("m", "hint", None)
    with pytest.raises(TypeError, match="Misconception objects"):
        Check("x", "d", 1, failing, misconceptions=("selector",))
    twice = Misconception("m", "hint", lambda c, o: True)
    with pytest.raises(ValueError, match="listed twice"):
        Check("x", "d", 1, failing, misconceptions=(twice, twice))
    assert Check("x", "d", 1, failing, misconceptions=twice).misconceptions == (twice,)


def _ex(fn, *known, tip=""):
    return Exercise(id="2.1", title="t",
                    checks=(Check("c", "d", 1, fn, tip=tip, misconceptions=known),))


def test_the_first_matching_misconception_explains_a_failure():
    seen = []
    never = Misconception("never", "not this", lambda c, o: seen.append(o) and False)
    broken = Misconception("broken", "not this either", lambda c, o: 1 / 0)
    typo = Misconception("typo", "Look for a typo", lambda c, o: o.actual == "2")
    later = Misconception("later", "too late", lambda c, o: True)
    [item] = _ex(failing, never, broken, typo, later, tip="fix it.").run("the cluster").items
    assert item.misconception == "typo"
    assert item.message == ('Deployment "web" has 2 replicas; the task asks for 3. '
                            "Look for a typo. Try: fix it.")
    assert seen[0].actual == "2"                      # the test sees what the check found
    assert item.as_dict()["misconception"] == "typo"


def test_no_misconception_when_passing_or_not_checked():
    asked = []
    spy = Misconception("spy", "hint", lambda c, o: asked.append(o) or True)
    assert _ex(passing, spy).run(None).items[0].misconception == ""

    def boom(cluster):
        raise RuntimeError("down")
    assert _ex(boom, spy).run(None).items[0].misconception == ""
    assert _ex(failing, spy).not_checked("no cluster").items[0].misconception == ""
    assert asked == []
    [item] = _ex(failing, Misconception("x", "Already a sentence!", lambda c, o: True)).run(
        None).items
    assert item.message.endswith("asks for 3. Already a sentence!")
