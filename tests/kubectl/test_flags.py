"""``kubelearn.kubectl.flags``: cobra/pflag command-line parsing.

The error texts were captured from real kubectl 1.32 (``kubectl get --foo`` and
friends fail before any server is contacted).
"""
from __future__ import annotations

import pytest

from kubelearn.kubectl.flags import GLOBAL_FLAGS, Flag, FlagError, parse

GET_FLAGS = [
    Flag("all-namespaces", "A", "bool", False),
    Flag("output", "o"),
    Flag("selector", "l"),
    Flag("show-labels", kind="bool", default=False),
    Flag("label-columns", "L", "list"),
    Flag("interactive", "i", "bool", False),
    Flag("tty", "t", "bool", False),
    Flag("grace-period", kind="int", default=-1),
    Flag("dry-run", default="none", no_opt="unchanged"),
] + GLOBAL_FLAGS


def p(*argv: str):
    return parse(list(argv), GET_FLAGS, "get")


def error_of(*argv: str, command: str = "get") -> str:
    with pytest.raises(FlagError) as info:
        parse(list(argv), GET_FLAGS, command)
    return info.value.message


# --- accepted forms ---------------------------------------------------------------------

def test_flags_may_come_anywhere_among_the_arguments():
    parsed = p("-n", "dev", "pods", "--output", "wide", "web", "-l", "app=web")
    assert parsed.args == ["pods", "web"]
    assert parsed["namespace"] == "dev"
    assert parsed["output"] == "wide"
    assert parsed["selector"] == "app=web"


@pytest.mark.parametrize("argv", [
    ["--namespace=dev"], ["--namespace", "dev"], ["-n", "dev"], ["-ndev"], ["-n=dev"]])
def test_every_spelling_of_a_value_flag(argv):
    parsed = p("pods", *argv)
    assert parsed["namespace"] == "dev"
    assert parsed.args == ["pods"]
    assert parsed.given("namespace")


def test_short_value_equals_alone_is_the_value_equals_sign_as_in_pflag():
    # pflag: "-n=" is shorter than 3 characters, so the value is "=" itself
    assert p("-n=")["namespace"] == "="


def test_a_value_may_start_with_a_dash_when_it_follows_its_flag():
    assert p("-l", "-x")["selector"] == "-x"
    assert p("--selector", "--not-a-flag")["selector"] == "--not-a-flag"


def test_combined_boolean_shorthands():
    parsed = p("-it", "pod")
    assert parsed["interactive"] is True and parsed["tty"] is True
    assert parsed.args == ["pod"]


def test_booleans_then_a_value_shorthand_in_one_word():
    parsed = p("-Aoyaml")
    assert parsed["all-namespaces"] is True
    assert parsed["output"] == "yaml"
    parsed = p("-An", "dev")
    assert parsed["all-namespaces"] is True and parsed["namespace"] == "dev"


def test_defaults_and_given():
    parsed = p("pods")
    assert parsed["all-namespaces"] is False
    assert parsed["output"] is None
    assert parsed["grace-period"] == -1
    assert parsed["label-columns"] == []
    assert not parsed.given("output")
    assert not parsed.given("namespace")


def test_a_bare_boolean_never_takes_the_next_word():
    parsed = p("--show-labels", "false")
    assert parsed["show-labels"] is True
    assert parsed.args == ["false"]


@pytest.mark.parametrize("spelling,value", [
    ("true", True), ("True", True), ("TRUE", True), ("t", True), ("T", True), ("1", True),
    ("false", False), ("False", False), ("FALSE", False), ("f", False), ("F", False),
    ("0", False)])
def test_explicit_boolean_values_are_go_parsebool_spellings(spelling, value):
    assert p(f"--show-labels={spelling}")["show-labels"] is value
    assert p(f"-A={spelling}")["all-namespaces"] is value


def test_list_flags_collect_every_occurrence():
    assert p("-L", "app", "--label-columns=tier", "-Lenv")["label-columns"] == [
        "app", "tier", "env"]


def test_int_flag():
    assert p("--grace-period=0")["grace-period"] == 0
    assert p("--grace-period", "30")["grace-period"] == 30
    assert p("--grace-period=-1")["grace-period"] == -1


def test_no_opt_default_value_does_not_consume_the_next_word():
    parsed = p("--dry-run", "-o", "yaml")
    assert parsed["dry-run"] == "unchanged"
    assert parsed["output"] == "yaml"
    assert p("--dry-run=client")["dry-run"] == "client"
    assert p("--dry-run", "client")["dry-run"] == "unchanged"      # "client" is an argument
    assert p("--dry-run", "client").args == ["client"]


def test_double_dash_ends_the_flags():
    parsed = p("pod", "-n", "dev", "--", "ls", "-la", "--all")
    assert parsed.args == ["pod"]
    assert parsed.after_dash == ["ls", "-la", "--all"]
    assert parsed["namespace"] == "dev"


def test_a_lone_dash_is_an_argument_or_a_flag_value():
    assert p("-l", "-").args == []
    assert p("-l", "-")["selector"] == "-"
    assert p("-").args == ["-"]


# --- pflag's errors (captured from real kubectl 1.32) ----------------------------------

def test_unknown_long_flag():
    assert error_of("pods", "--foo") == ("Error: unknown flag: --foo\n"
                                         "See 'kubectl get --help' for usage.")
    assert error_of("--foo=bar") == ("Error: unknown flag: --foo\n"
                                     "See 'kubectl get --help' for usage.")


def test_unknown_shorthand_names_the_rest_of_the_word():
    assert error_of("-z") == ("Error: unknown shorthand flag: 'z' in -z\n"
                              "See 'kubectl get --help' for usage.")
    assert error_of("-xyz") == ("Error: unknown shorthand flag: 'x' in -xyz\n"
                                "See 'kubectl get --help' for usage.")
    assert error_of("-Axy") == ("Error: unknown shorthand flag: 'x' in -xy\n"
                                "See 'kubectl get --help' for usage.")


def test_flag_needs_an_argument():
    assert error_of("pods", "-n") == ("Error: flag needs an argument: 'n' in -n\n"
                                      "See 'kubectl get --help' for usage.")
    assert error_of("pods", "--namespace") == ("Error: flag needs an argument: --namespace\n"
                                               "See 'kubectl get --help' for usage.")
    assert error_of("pods", "-An") == ("Error: flag needs an argument: 'n' in -n\n"
                                       "See 'kubectl get --help' for usage.")


def test_invalid_boolean_value():
    assert error_of("--all-namespaces=maybe") == (
        'Error: invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: '
        'parsing "maybe": invalid syntax\nSee \'kubectl get --help\' for usage.')
    assert error_of("-A=yes") == (
        'Error: invalid argument "yes" for "-A, --all-namespaces" flag: strconv.ParseBool: '
        'parsing "yes": invalid syntax\nSee \'kubectl get --help\' for usage.')
    assert error_of("--show-labels=tRuE") == (
        'Error: invalid argument "tRuE" for "--show-labels" flag: strconv.ParseBool: '
        'parsing "tRuE": invalid syntax\nSee \'kubectl get --help\' for usage.')


def test_invalid_int_value():
    assert error_of("--grace-period=abc", command="delete") == (
        'Error: invalid argument "abc" for "--grace-period" flag: strconv.ParseInt: '
        'parsing "abc": invalid syntax\nSee \'kubectl delete --help\' for usage.')
    assert error_of("--grace-period=1.5", command="delete") == (
        'Error: invalid argument "1.5" for "--grace-period" flag: strconv.ParseInt: '
        'parsing "1.5": invalid syntax\nSee \'kubectl delete --help\' for usage.')
    assert error_of("--grace-period=99999999999999999999", command="delete") == (
        'Error: invalid argument "99999999999999999999" for "--grace-period" flag: '
        'strconv.ParseInt: parsing "99999999999999999999": value out of range\n'
        "See 'kubectl delete --help' for usage.")


def test_flag_error_is_exit_code_1():
    with pytest.raises(FlagError) as info:
        p("--foo")
    assert info.value.exit_code == 1


# --- the same errors end to end ---------------------------------------------------------

@pytest.mark.parametrize("line,stderr", [
    ("get pods --foo", "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"),
    ("get -xyz", "Error: unknown shorthand flag: 'x' in -xyz\n"
                 "See 'kubectl get --help' for usage.\n"),
    ("get pods -o", "Error: flag needs an argument: 'o' in -o\n"
                    "See 'kubectl get --help' for usage.\n"),
    ("get pods --selector", "Error: flag needs an argument: --selector\n"
                            "See 'kubectl get --help' for usage.\n"),
    ("delete pod x --grace-period", "Error: flag needs an argument: --grace-period\n"
                                    "See 'kubectl delete --help' for usage.\n"),
    ("delete pod x --grace-period=abc",
     'Error: invalid argument "abc" for "--grace-period" flag: strconv.ParseInt: parsing "abc": '
     "invalid syntax\nSee 'kubectl delete --help' for usage.\n"),
    ("apply -f", "Error: flag needs an argument: 'f' in -f\n"
                 "See 'kubectl apply --help' for usage.\n"),
])
def test_flag_errors_through_kubectl(cluster, line, stderr):
    result = cluster.kubectl(line)
    assert (result.stdout, result.stderr, result.exit_code) == ("", stderr, 1)


def test_flags_before_and_after_arguments_give_the_same_output(cluster):
    a = cluster.kubectl("get pods -n kube-system -o wide")
    b = cluster.kubectl("get -o wide pods --namespace=kube-system")
    c = cluster.kubectl("get -nkube-system pods -owide")
    assert a.exit_code == 0 and a.stdout
    assert a == b == c
