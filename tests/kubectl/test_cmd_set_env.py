"""kubectl set env.

Goldens marked [obs-1.32] were printed by the real kubectl v1.32.4 client,
offline: ``kubectl set env -f FILE --local ...`` (a local run prints the same
``--list`` lines, warnings, env lists and messages as a run against a server;
only its error prefix names the object differently, see the aggregate test).
The rest follow kubectl 1.32's set_env.go, set/env/env_parse.go,
env_resolve.go and set/helper.go.
"""
from __future__ import annotations

import pytest

USERS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: users
spec:
  replicas: 1
  selector:
    matchLabels:
      app: users
  template:
    metadata:
      labels:
        app: users
    spec:
      containers:
      - name: users
        image: nginx:1.25
        env:
        - name: PORT
          value: "8080"
        - name: DB
          valueFrom:
            configMapKeyRef:
              name: users-config
              key: db
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: users-secret
              key: token
      - name: sidecar
        image: busybox
"""

WEB_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
  - name: init
    image: busybox
    env:
    - name: A
      value: "1"
  containers:
  - name: web-main
    image: nginx
  - name: web-side
    image: nginx
"""

USERS_CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: users-config
data:
  db: postgres
  log.level: debug
"""

# [obs-1.32] kubectl set env -f users.yaml --local -o yaml AUTH_ADDRESS=auth:8080 PORT=9090 DB-
# (the containers as printed; a server adds defaults after each container's image)
UPDATED_USERS = """\
      containers:
      - env:
        - name: PORT
          value: "9090"
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              key: token
              name: users-secret
        - name: AUTH_ADDRESS
          value: auth:8080
        image: nginx:1.25
"""
UPDATED_SIDECAR = """\
      - env:
        - name: AUTH_ADDRESS
          value: auth:8080
        - name: PORT
          value: "9090"
        image: busybox
"""

# [obs-1.32] kubectl set env -f users.yaml --local --list
USERS_LIST = """\
# Deployment users, container users
PORT=8080
# DB from configmap users-config, key db
# TOKEN from secret users-secret, key token
# Deployment users, container sidecar
"""

# [obs-1.32] kubectl set env -f users.yaml --local --list -c users PORT=1 TOKEN- NEW=x
USERS_LIST_CHANGED = """\
# Deployment users, container users
PORT=1
# DB from configmap users-config, key db
NEW=x
"""


def run(cluster, line, stdin=None):
    result = cluster.kubectl(line, stdin=stdin) if stdin is not None else cluster.kubectl(line)
    return result.stdout, result.stderr, result.exit_code


def container_env(cluster, kind="Deployment", name="users") -> dict:
    obj = cluster.api.get(kind, name, "default")
    spec = obj["spec"] if kind == "Pod" else obj["spec"]["template"]["spec"]
    return {c["name"]: c.get("env") for c in spec.get("initContainers", []) + spec["containers"]}


@pytest.fixture
def users(cluster):
    cluster.apply(USERS)
    cluster.apply(USERS_CONFIG)
    cluster.kubectl("create secret generic users-secret --from-literal=token=s3cret "
                    "--from-literal=api-key=k1")
    cluster.settle()
    return cluster


def test_set_env_updates_in_place_appends_and_removes(users):
    out, err, code = run(users, "set env deployment/users AUTH_ADDRESS=auth:8080 PORT=9090 DB- "
                                "-o yaml")
    assert (err, code) == ("", 0)
    assert UPDATED_USERS in out and UPDATED_SIDECAR in out
    assert container_env(users) == {
        "users": [{"name": "PORT", "value": "9090"},
                  {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"key": "token",
                                                                   "name": "users-secret"}}},
                  {"name": "AUTH_ADDRESS", "value": "auth:8080"}],
        "sidecar": [{"name": "AUTH_ADDRESS", "value": "auth:8080"},
                    {"name": "PORT", "value": "9090"}]}


def test_the_brief_s_form_prints_env_updated(users):
    assert run(users, "set env deployment/users AUTH_ADDRESS=x") == (
        "deployment.apps/users env updated\n", "", 0)
    assert container_env(users)["sidecar"] == [{"name": "AUTH_ADDRESS", "value": "x"}]


def test_set_env_rolls_out_a_new_replicaset(users):
    def replicasets():
        return {rs["metadata"]["labels"]["pod-template-hash"]: rs["spec"]["replicas"]
                for rs in users.api.list("ReplicaSet", "default")}

    [old_hash] = replicasets()
    assert run(users, "set env deployment/users AUTH_ADDRESS=auth:8080")[2] == 0
    users.settle()
    hashes = replicasets()
    [new_hash] = [h for h in hashes if h != old_hash]
    assert hashes == {old_hash: 0, new_hash: 1}
    [pod] = users.api.list("Pod", "default")
    assert pod["metadata"]["labels"]["pod-template-hash"] == new_hash
    assert {"name": "AUTH_ADDRESS", "value": "auth:8080"} in pod["spec"]["containers"][0]["env"]
    history = users.kubectl("rollout history deployment/users").stdout
    assert "\n2         <none>\n" in history


def test_no_change_prints_nothing_and_writes_nothing(users, snapshot):
    before = snapshot(users)
    # [obs-1.32] the same three lines with -f users.yaml --local print nothing
    assert run(users, "set env deployment/users -c users PORT=8080") == ("", "", 0)
    assert run(users, "set env deployment/users NOPE-") == ("", "", 0)
    assert run(users, "set env deployment/users") == ("", "", 0)
    assert snapshot(users) == before


def test_list_prints_values_and_references(users, snapshot):
    before = snapshot(users)
    assert run(users, "set env deployment/users --list") == (USERS_LIST, "", 0)
    # --list shows the changes it would make, and makes none
    assert run(users, "set env deployment/users --list -c users PORT=1 TOKEN- NEW=x") == (
        USERS_LIST_CHANGED, "", 0)
    assert snapshot(users) == before


def test_list_of_a_pod_walks_containers_then_init_containers(cluster):
    cluster.apply(WEB_POD)
    # [obs-1.32] kubectl set env -f web-pod.yaml --local --list [-c ...]
    assert run(cluster, "set env pod/web --list")[0] == (
        "# Pod web, container web-main\n# Pod web, container web-side\n"
        "# Pod web, container init\nA=1\n")
    assert run(cluster, "set env pod/web --list -c web-*")[0] == (
        "# Pod web, container web-main\n# Pod web, container web-side\n")
    assert run(cluster, "set env pod/web --list -c *-side")[0] == "# Pod web, container web-side\n"
    # upstream's wildcard matcher is lenient: "w*n" matches web-main
    assert run(cluster, "set env pod/web --list -c w*n")[0] == "# Pod web, container web-main\n"


def test_list_reads_standard_input_with_dash(cluster):
    cluster.apply(WEB_POD)
    stdin = "A=1 # comment\n# B=2\nC\n1D=4\n"
    # [obs-1.32] comments cut (the space before "#" stays), lines without "=" skipped,
    # and names from standard input are not validated
    assert run(cluster, "set env pod/web -e - --list -c init", stdin=stdin) == (
        "# Pod web, container init\nA=1 \n1D=4\n", "", 0)


def test_list_resolve_looks_references_up(users):
    users.kubectl("set env deployment/users -c users MISSING=x")
    users.kubectl("set env deployment/users -c users --from=configmap/users-config")
    users.api.patch("ConfigMap", "users-config", "default", {"data": {"log.level": None}},
                    patch_type="merge")
    out, err, code = run(users, "set env deployment/users -c users --list --resolve")
    assert out == ("# Deployment users, container users\nPORT=8080\nDB=postgres\nTOKEN=s3cret\n"
                   "MISSING=x\n# LOG_LEVEL from configmap users-config, key log.level\n")
    assert (err, code) == ("error retrieving reference for LOG_LEVEL: key log.level not found "
                           "in config map users-config\n", 0)


def test_from_configmap_and_secret(users):
    assert run(users, "set env deployment/users -c users --from=configmap/users-config") == (
        "deployment.apps/users env updated\n", "", 0)
    # DB already referred to that key: it stays in place; LOG_LEVEL is appended
    assert run(users, "set env deployment/users -c users --list")[0] == (
        "# Deployment users, container users\nPORT=8080\n"
        "# DB from configmap users-config, key db\n# TOKEN from secret users-secret, key token\n"
        "# LOG_LEVEL from configmap users-config, key log.level\n")
    assert run(users, "set env deployment/users -c sidecar --from=secret/users-secret "
                      "--prefix=APP_ --keys=api-key")[2] == 0
    assert container_env(users)["sidecar"] == [
        {"name": "APP_API_KEY", "valueFrom": {"secretKeyRef": {"key": "api-key",
                                                               "name": "users-secret"}}}]


def test_a_pod_refuses_env_changes(cluster, snapshot):
    cluster.apply(WEB_POD)
    before = snapshot(cluster)
    out, err, code = run(cluster, "set env pod/web X=1")
    assert (out, code) == ("", 1)
    assert err.startswith(
        'error: failed to patch env update to pod template: Pod "web" is invalid: spec: '
        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
        "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
        "(allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n")
    assert err.endswith("\n  }\n")
    assert snapshot(cluster) == before


def test_dry_runs_print_and_write_nothing(users, snapshot):
    before = snapshot(users)
    # [obs-1.32] --dry-run=client and -o name
    assert run(users, "set env deployment/users X=1 --dry-run=client") == (
        "deployment.apps/users env updated (dry run)\n", "", 0)
    assert run(users, "set env deployment/users X=1 --dry-run=client -o name") == (
        "deployment.apps/users\n", "", 0)
    assert run(users, "set env deployment/users X=1 --dry-run=server") == (
        "deployment.apps/users env updated (server dry run)\n", "", 0)
    out = run(users, "set env deployment/users AUTH_ADDRESS=auth:8080 PORT=9090 DB- "
                     "--dry-run=client -o yaml")[0]
    assert UPDATED_USERS in out and UPDATED_SIDECAR in out
    assert snapshot(users) == before


def test_selector_all_and_files(users, files):
    users.kubectl("create deployment web --image=nginx")
    assert run(users, "set env deploy --all A=1") == (
        "deployment.apps/users env updated\ndeployment.apps/web env updated\n", "", 0)
    assert run(users, "set env deploy -l app=web B=2") == (
        "deployment.apps/web env updated\n", "", 0)
    files("users.yaml", USERS)
    # the file names the object; its current state comes from the server
    assert run(users, "set env -f users.yaml -c sidecar C=3") == (
        "deployment.apps/users env updated\n", "", 0)
    assert container_env(users)["sidecar"] == [{"name": "A", "value": "1"},
                                               {"name": "C", "value": "3"}]
    assert container_env(users, name="web")["nginx"] == [{"name": "A", "value": "1"},
                                                       {"name": "B", "value": "2"}]


def test_no_matching_container_is_a_warning(users, snapshot):
    before = snapshot(users)
    # [obs-1.32]
    assert run(users, "set env deployment/users -c nope X=1") == (
        "", 'Warning: Deployment/users does not have any containers matching "nope"\n', 0)
    assert snapshot(users) == before


def test_only_removals_given_with_e_still_patch_then_fail(users):
    # upstream checks "at least one environment variable" only after a successful
    # patch, and counts KEY- arguments but not -e KEY- as environment changes
    assert run(users, "set env deployment/users -c users -e PORT-") == (
        "", "error: at least one environment variable must be provided\n", 1)
    assert [e["name"] for e in container_env(users)["users"]] == ["DB", "TOKEN"]


def test_several_errors_print_one_per_line_with_blank_lines(users, files, snapshot):
    files("both.yaml", USERS_CONFIG + "---\n" + USERS)
    before = snapshot(users)
    # [obs-1.32] with --local the names read "configmap/users-config" and
    # "deployment.apps/users\n" (ObjectName without a REST mapping); against a
    # server they are the resource and name, as here
    assert run(users, "set env -f both.yaml --overwrite=false PORT=1") == (
        "", "error: configmaps/users-config the object is not a pod or does not have a pod "
            "template: *v1.ConfigMap\n\n"
            "error: deployments/users 'PORT' already has a value (8080), and --overwrite is "
            "false\n\n", 1)
    assert snapshot(users) == before


KEY_NAME_ERROR = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
    "or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
    "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")


@pytest.mark.parametrize("line, stderr", [
    # [obs-1.32] the validation and parsing errors
    ("set env", "error: one or more resources must be specified as <resource> <name> or "
                "<resource>/<name>"),
    ("set env deployment/users --list -o yaml",
     "error: --list and --output may not be specified together"),
    ("set env deployment/users --keys=a",
     "error: when specifying --keys, a configmap or secret must be provided with --from"),
    ("set env deployment/users --local --dry-run=server X=1",
     "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?"),
    ("set env deployment/users --all -l a=b X=1",
     "error: cannot set --all and --selector at the same time"),
    ("set env X=1 deployment/users",
     "error: all resources must be specified before environment changes: X=1 deployment/users"),
    ("set env deployment/users 1X=2", f'error: "1X" is not a valid key name: {KEY_NAME_ERROR}'),
    ("set env deployment/users ==1", f'error: "" is not a valid key name: {KEY_NAME_ERROR}'),
    ("set env deployment/users X=1 X-",
     "error: can not both modify and remove the same environment variable in the same command"),
    ("set env deployment/users -e foo", "error: unknown environment variable: foo"),
    ("set env deployment/users -o wide X=1",
     'error: unable to match a printer suitable for the output format "wide", allowed formats '
     "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
     "template,templatefile,yaml"),
    ("set env deployment/users --dry-run=bogus X=1",
     'error: Invalid dry-run value (bogus). Must be "none", "server", or "client".'),
    ("set env deployment/users --from=deployment/users",
     "error: unsupported resource specified in --from"),
    # from the source: the server answers and the resource builder's checks
    ("set env deployment/nope X=1",
     'Error from server (NotFound): deployments.apps "nope" not found'),
    ("set env deployment/users deployment/nope X=1",
     'Error from server (NotFound): deployments.apps "nope" not found'),
    ("set env deployment/users --from=configmap/nope",
     'Error from server (NotFound): configmaps "nope" not found'),
    ("set env deployment/users --overwrite=false PORT=1",
     "error: deployments/users 'PORT' already has a value (8080), and --overwrite is false"),
    ("set env configmap/users-config X=1",
     "error: configmaps/users-config the object is not a pod or does not have a pod template: "
     "*v1.ConfigMap"),
    ("set env deploymentz/users X=1", 'error: the server doesn\'t have a resource type '
                                      '"deploymentz"'),
    ("set env deployment X=1", "error: resource(s) were provided, but no name was specified"),
    ("set env deployment/users -l app=users X=1",
     "error: selectors and the all flag cannot be used when passing resource/name arguments"),
    ("set env deployment users -l app=users X=1",
     "error: name cannot be provided when a selector is specified"),
])
def test_errors_change_nothing(users, snapshot, line, stderr):
    before = snapshot(users)
    assert run(users, line) == ("", stderr + "\n", 1)
    assert snapshot(users) == before


def test_listed_under_kubectl_set(cluster):
    # kubectl set lists env before image
    assert run(cluster, "set")[1] == "error: kubelearn needs a subcommand: kubectl set env|image\n"


def test_a_file_naming_a_missing_object(cluster, files, snapshot):
    files("users.yaml", USERS)
    before = snapshot(cluster)
    assert run(cluster, "set env -f users.yaml X=1") == (
        "", 'Error from server (NotFound): deployments.apps "users" not found\n', 1)
    assert snapshot(cluster) == before
