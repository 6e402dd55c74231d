"""``kubectl create`` (``kubelearn.kubectl.cmd_create``): from files and from the
namespace / configmap / secret generic generators.

Every ``--dry-run=client`` output and every client-side error below was
captured from real kubectl 1.32 with the same files.
"""
from __future__ import annotations

import pytest
import yaml

PROPERTIES = "line one\nline two\n"
ENV_FILE = "A=1\n# comment\n  B=two  \n"

REAL_KUBECTL = {
    "create configmap app-config --from-literal=color=blue --from-literal=size=10 "
    "--dry-run=client -o yaml":
        'apiVersion: v1\ndata:\n  color: blue\n  size: "10"\nkind: ConfigMap\nmetadata:\n'
        "  creationTimestamp: null\n  name: app-config\n",
    "create configmap app-config --from-file=app.properties --from-file=cfg=app.properties "
    "--dry-run=client -o yaml":
        "apiVersion: v1\ndata:\n  app.properties: |\n    line one\n    line two\n  cfg: |\n"
        "    line one\n    line two\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n"
        "  name: app-config\n",
    "create configmap app-config --from-file=conf --dry-run=client -o yaml":
        "apiVersion: v1\ndata:\n  a.txt: x\n  b.conf: |\n    y\nkind: ConfigMap\nmetadata:\n"
        "  creationTimestamp: null\n  name: app-config\n",
    "create configmap app-config --from-env-file=app.env --dry-run=client -o json":
        '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": '
        '"app-config",\n        "creationTimestamp": null\n    },\n    "data": {\n        "A": '
        '"1",\n        "B": "two  "\n    }\n}\n',
    "create secret generic db --from-literal='password=p@ss w0rd' --from-literal=user=admin "
    "--dry-run=client -o yaml":
        "apiVersion: v1\ndata:\n  password: cEBzcyB3MHJk\n  user: YWRtaW4=\nkind: Secret\n"
        "metadata:\n  creationTimestamp: null\n  name: db\n",
    "create secret generic db --from-literal=password=x --type=kubernetes.io/basic-auth -n dev "
    "--dry-run=client -o json":
        '{\n    "kind": "Secret",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": '
        '"db",\n        "namespace": "dev",\n        "creationTimestamp": null\n    },\n    '
        '"data": {\n        "password": "eA=="\n    },\n    "type": "kubernetes.io/basic-auth"'
        "\n}\n",
    "create configmap x --from-env-file=crlf.env --from-env-file=bom.env --dry-run=client "
    "-o yaml":
        'apiVersion: v1\ndata:\n  A: "1"\n  B: "2"\n  C: "3"\nkind: ConfigMap\nmetadata:\n'
        "  creationTimestamp: null\n  name: x\n",
    "create configmap x --from-env-file=spaces.env --dry-run=client -o yaml":
        "apiVersion: v1\ndata:\n  C: '3 # not comment'\n  FOO: \"\"\nkind: ConfigMap\n"
        "metadata:\n  creationTimestamp: null\n  name: x\n",
    "create secret generic x --from-env-file=spaces.env --from-env-file=crlf.env "
    "--dry-run=client -o yaml":
        "apiVersion: v1\ndata:\n  A: MQ==\n  B: Mg==\n  C: MyAjIG5vdCBjb21tZW50\n  FOO: \"\"\n"
        "kind: Secret\nmetadata:\n  creationTimestamp: null\n  name: x\n",
    "create namespace dev --dry-run=client -o yaml":
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: dev\n"
        "spec: {}\nstatus: {}\n",
    "create namespace dev --dry-run=client -o json":
        '{\n    "kind": "Namespace",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": '
        '"dev",\n        "creationTimestamp": null\n    },\n    "spec": {},\n    "status": {}\n}\n',
    "create configmap x --dry-run=client -o yaml --save-config -n dev":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: |\n"
        '      {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","namespace":"dev",'
        '"creationTimestamp":null}}\n  creationTimestamp: null\n  name: x\n  namespace: dev\n',
    "create configmap app-config --from-literal=color=blue --dry-run=client":
        "configmap/app-config created (dry run)\n",
    "create secret generic db --dry-run=client -o name": "secret/db\n",
    "create ns dev --dry-run=client -o jsonpath={.metadata.name}": "dev",
}

ENV_NAME_RULE = ("a valid environment variable name must consist of alphabetic characters, "
                 "digits, '_', '-', or '.', and must not start with a digit (e.g. "
                 "'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for "
                 "validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")

REAL_ERRORS = {
    "create": "error: must specify one of -f and -k\n",
    "create bogus": "error: Unexpected args: [bogus]\nSee 'kubectl create -h' for help and "
                    "examples\n",
    "create configmap": "error: exactly one NAME is required, got 0\nSee 'kubectl create "
                        "configmap -h' for help and examples\n",
    "create configmap a b": "error: exactly one NAME is required, got 2\nSee 'kubectl create "
                            "configmap -h' for help and examples\n",
    "create namespace": "error: exactly one NAME is required, got 0\nSee 'kubectl create "
                        "namespace -h' for help and examples\n",
    "create secret generic": "error: exactly one NAME is required, got 0\nSee 'kubectl create "
                             "secret generic -h' for help and examples\n",
    "create secret bogus x": "error: unknown command \"bogus x\"\nSee 'kubectl create secret -h' "
                             "for help and examples\n",
    "create configmap cfg --from-literal=a": "error: invalid literal source a, expected "
                                             "key=value\n",
    "create configmap cfg --from-literal=a=1 --from-literal=a=2 --dry-run=client":
        'error: cannot add key "a", another key by that name already exists in Data for '
        'ConfigMap "cfg"\n',
    "create secret generic s1 --from-literal=a=1 --from-literal=a=2 --dry-run=client":
        "error: cannot add key a, another key by that name already exists\n",
    "create configmap x --from-literal='a b=1' --dry-run=client":
        "error: \"a b\" is not a valid key name for a ConfigMap: a valid config key must consist "
        "of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
        "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n",
    "create secret generic x --from-literal='a b=1' --dry-run=client":
        "error: \"a b\" is not valid key name for a Secret a valid config key must consist of "
        "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
        "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n",
    "create configmap cfg --from-file=nope.txt --dry-run=client":
        "error: error reading nope.txt: no such file or directory\n",
    "create configmap x --from-file=k=conf --dry-run=client":
        "error: cannot give a key name for a directory path\n",
    "create configmap x --from-file==a --dry-run=client": "error: key name for file path a "
                                                          "missing\n",
    "create configmap x --from-file=a= --dry-run=client": "error: file path for key name a "
                                                          "missing\n",
    "create configmap x --from-file=a=b=c --dry-run=client": "error: key names or file paths "
                                                             "cannot contain '='\n",
    "create configmap x --from-env-file=app.env --from-literal=a=1 --dry-run=client":
        "error: from-env-file cannot be combined with from-file or from-literal\n",
    "create configmap x --from-env-file=conf --dry-run=client":
        "error: env config file cannot be a directory\n",
    "create secret generic x --from-env-file=conf --dry-run=client":
        "error: env secret file cannot be a directory\n",
    "create configmap x --from-env-file=digit.env --dry-run=client":
        'error: "1abc" is not a valid key name: ' + ENV_NAME_RULE + "\n",
    "create secret generic x --from-env-file=digit.env --dry-run=client":
        'error: "1abc" is not a valid key name: ' + ENV_NAME_RULE + "\n",
    "create configmap x --from-env-file=inner-space.env --dry-run=client":
        'error: "B " is not a valid key name: ' + ENV_NAME_RULE + "\n",
    "create configmap x --from-env-file=no-key.env --dry-run=client":
        'error: "" is not a valid key name: ' + ENV_NAME_RULE + "\n",
    "create configmap x --from-env-file=dots.env --dry-run=client":
        "error: \"..x\" is not a valid key name: must not start with '..'\n",
    "create configmap x --from-env-file=latin1.env --dry-run=client":
        "error: env file latin1.env contains invalid utf8 bytes at line 1: [65 61 255]\n",
    "create configmap cfg --dry-run=bogus":
        'error: Invalid dry-run value (bogus). Must be "none", "server", or "client".\n',
    "create configmap cfg --dry-run=client -o wide":
        'error: unable to match a printer suitable for the output format "wide", allowed formats '
        "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
        "template,templatefile,yaml\n",
    "create configmap cfg --dry-run=client -o jsonpath":
        "error: template format specified but no template given\n",
}


@pytest.fixture
def sources(files):
    files("app.properties", PROPERTIES)
    files("app.env", ENV_FILE)
    files("conf/a.txt", "x")
    files("conf/b.conf", "y\n")
    files("conf/sub/c.txt", "skipped: not a regular file of conf")
    # env files: CRLF lines, a BOM on the first line only, blanks and comments, a bare
    # name (kubectl reads it from its own environment: empty here), bad keys
    files("crlf.env", "A=1\r\nB=2\r\n")
    files("bom.env", "\ufeffC=3\n")
    files("spaces.env", "  # c\n\n\tC=3 # not comment\nFOO\n")
    files("digit.env", "A=1\n1abc=2\n")
    files("inner-space.env", "A=1\nB = 2\n")
    files("no-key.env", "=v\n")
    files("dots.env", "..x=1\n")
    (files.dir / "latin1.env").write_bytes(b"A=\xff\n")
    return files


@pytest.mark.parametrize("line", list(REAL_KUBECTL))
def test_generators_match_real_kubectl(cluster, sources, snapshot, line):
    before = snapshot(cluster)
    result = cluster.kubectl(line)
    assert (result.stdout, result.stderr, result.exit_code) == (REAL_KUBECTL[line], "", 0)
    assert snapshot(cluster) == before          # client dry run: nothing stored


@pytest.mark.parametrize("line", list(REAL_ERRORS))
def test_client_side_errors_match_real_kubectl(cluster, sources, snapshot, line):
    before = snapshot(cluster)
    result = cluster.kubectl(line)
    assert (result.stdout, result.stderr, result.exit_code) == ("", REAL_ERRORS[line], 1)
    assert snapshot(cluster) == before


def test_a_bare_dry_run_flag_means_client(cluster):
    result = cluster.kubectl("create configmap cfg --dry-run -o name")
    assert (result.stdout, result.exit_code) == ("configmap/cfg\n", 0)
    assert cluster.kubectl("get cm cfg").exit_code == 1


# --- against the server -----------------------------------------------------------------

def test_create_namespace_configmap_secret(cluster):
    assert cluster.kubectl("create namespace dev").stdout == "namespace/dev created\n"
    assert cluster.kubectl("create configmap app-config --from-literal=color=blue -n dev").stdout \
        == "configmap/app-config created\n"
    assert cluster.kubectl("create secret generic db --from-literal=password=s3cret -n dev"
                           ).stdout == "secret/db created\n"
    cm = cluster.api.get("ConfigMap", "app-config", "dev")
    assert cm["data"] == {"color": "blue"}
    secret = cluster.api.get("Secret", "db", "dev")
    assert (secret["data"], secret["type"]) == ({"password": "czNjcmV0"}, "Opaque")


def test_binary_file_goes_to_binary_data(cluster, files):
    (files.dir / "logo.bin").write_bytes(b"\x89PNG\xff\x00")
    assert cluster.kubectl("create configmap logo --from-file=logo.bin").exit_code == 0
    cm = cluster.api.get("ConfigMap", "logo", "default")
    assert cm.get("data") is None
    assert cm["binaryData"] == {"logo.bin": "iVBOR/8A"}


def test_already_exists_errors_are_wrapped_like_upstream(cluster):
    assert cluster.kubectl("create configmap cfg").exit_code == 0
    assert cluster.kubectl("create secret generic s").exit_code == 0
    assert cluster.kubectl("create ns dev").exit_code == 0
    cases = {
        "create configmap cfg": 'error: failed to create configmap: configmaps "cfg" already '
                                "exists\n",
        "create secret generic s": 'error: failed to create secret: secrets "s" already exists\n',
        "create ns dev": 'Error from server (AlreadyExists): namespaces "dev" already exists\n',
        "create cm x -n nope": 'error: failed to create configmap: namespaces "nope" not found\n',
    }
    for line, stderr in cases.items():
        result = cluster.kubectl(line)
        assert (result.stdout, result.stderr, result.exit_code) == ("", stderr, 1), line


def test_invalid_generated_names(cluster):
    result = cluster.kubectl("create configmap Cfg")
    assert result.stderr == (
        'error: failed to create configmap: ConfigMap "Cfg" is invalid: metadata.name: Invalid '
        'value: "Cfg": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]"
        "([-a-z0-9]*[a-z0-9])?)*')\n")
    result = cluster.kubectl("create ns Dev")
    assert result.stderr == (
        'The Namespace "Dev" is invalid: metadata.name: Invalid value: "Dev": a lowercase RFC '
        "1123 label must consist of lower case alphanumeric characters or '-', and must start "
        "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
        "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n")


def test_save_config_records_the_typed_object(cluster):
    assert cluster.kubectl("create configmap x --from-literal=k=v --save-config").exit_code == 0
    annotations = cluster.api.get("ConfigMap", "x", "default")["metadata"]["annotations"]
    assert annotations == {"kubectl.kubernetes.io/last-applied-configuration":
                           '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x",'
                           '"creationTimestamp":null},"data":{"k":"v"}}\n'}


def test_server_dry_run_validates_but_stores_nothing(cluster, snapshot):
    before = snapshot(cluster)
    result = cluster.kubectl("create configmap cfg --from-literal=a=1 --dry-run=server")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "configmap/cfg created (server dry run)\n", "", 0)
    # objects unchanged (the simulated server does use up a resourceVersion)
    assert snapshot(cluster)[:2] == before[:2]
    yaml_out = yaml.safe_load(cluster.kubectl("create ns dev --dry-run=server -o yaml").stdout)
    assert yaml_out["status"] == {"phase": "Active"}          # the server filled it in


def test_output_of_a_real_create(cluster):
    assert cluster.kubectl("create ns dev -o name").stdout == "namespace/dev\n"
    created = yaml.safe_load(cluster.kubectl("create cm c -o yaml").stdout)
    assert created["metadata"]["namespace"] == "default"
    assert created["metadata"]["uid"]


# --- create -f --------------------------------------------------------------------------

def test_create_from_file(cluster, files, manifests):
    files("app.yaml", manifests.APP_CONFIG + "---\n" + manifests.WEB_SERVICE)
    result = cluster.kubectl("create -f app.yaml")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "configmap/app-config created\nservice/web created\n", "", 0)
    assert "kubectl.kubernetes.io/last-applied-configuration" not in (
        cluster.api.get("ConfigMap", "app-config", "default")["metadata"].get("annotations") or {})


def test_create_from_stdin(cluster, manifests):
    result = cluster.kubectl("create -f -", stdin=manifests.APP_CONFIG)
    assert (result.stdout, result.exit_code) == ("configmap/app-config created\n", 0)


def test_already_exists_from_a_file(cluster, files, manifests, snapshot):
    files("web.yaml", manifests.WEB_DEPLOYMENT)
    assert cluster.kubectl("create -f web.yaml").exit_code == 0
    before = snapshot(cluster)
    result = cluster.kubectl("create -f web.yaml")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'Error from server (AlreadyExists): error when creating "web.yaml": '
            'deployments.apps "web" already exists\n', 1)
    assert snapshot(cluster) == before


def test_partial_success_errors_in_document_order(cluster, files, manifests):
    files("app.yaml", manifests.APP_CONFIG + "---\napiVersion: c1\nkind: Pod\nmetadata:\n"
          "  name: p\n---\n" + manifests.WEB_SERVICE + "---\n" + manifests.APP_CONFIG)
    result = cluster.kubectl("create -f app.yaml")
    assert result.stdout == "configmap/app-config created\nservice/web created\n"
    assert result.stderr == (
        'resource mapping not found for name: "p" namespace: "" from "app.yaml": no matches for '
        'kind "Pod" in version "c1"\nensure CRDs are installed first\n'
        'Error from server (AlreadyExists): error when creating "app.yaml": configmaps '
        '"app-config" already exists\n')
    assert result.exit_code == 1


def test_create_save_config_from_a_file_records_like_apply(cluster, files, manifests):
    files("cm.yaml", manifests.APP_CONFIG)
    assert cluster.kubectl("create -f cm.yaml --save-config").exit_code == 0
    meta = cluster.api.get("ConfigMap", "app-config", "default")["metadata"]
    assert meta["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == (
        '{"apiVersion":"v1","data":{"color":"blue"},"kind":"ConfigMap","metadata":'
        '{"annotations":{},"name":"app-config","namespace":"default"}}\n')


def test_namespace_flag_and_manifest_namespace(cluster, files, manifests):
    assert cluster.kubectl("create ns dev").exit_code == 0
    files("cm.yaml", manifests.APP_CONFIG)
    assert cluster.kubectl("create -f cm.yaml -n dev").exit_code == 0
    assert cluster.api.get("ConfigMap", "app-config", "dev")
    files("other.yaml", manifests.APP_CONFIG.replace("name: app-config",
                                                     "name: other\n  namespace: default"))
    result = cluster.kubectl("create -f other.yaml -n dev")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'error: the namespace from the provided object "default" does not match the '
            'namespace "dev". You must pass \'--namespace=default\' to perform this operation.\n',
        1)


def test_no_objects(cluster, files):
    files("empty.yaml", "# nothing here\n---\n")
    result = cluster.kubectl("create -f empty.yaml")          # captured from kubectl 1.32
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", "error: no objects passed to create\n", 1)


def test_missing_file(cluster, files):
    result = cluster.kubectl("create -f nope.yaml")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "", 'error: the path "nope.yaml" does not exist\n', 1)


def test_secret_string_data_is_folded_into_data_and_bad_base64_is_refused(cluster):
    ok = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
          "  password: hunter2\ndata:\n  user: YWRtaW4=\n")
    assert cluster.kubectl("create -f -", stdin=ok).stdout == "secret/db created\n"
    stored = cluster.api.get("Secret", "db", "default")
    assert stored["data"] == {"password": "aHVudGVyMg==", "user": "YWRtaW4="}
    assert "stringData" not in stored and stored["type"] == "Opaque"
    assert "stringData" not in cluster.kubectl("get secret db -o yaml").stdout
    bad = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad\ndata:\n  password: hunter2!\n"
    result = cluster.kubectl("create -f -", stdin=bad)
    assert (result.stderr, result.exit_code) == (
        'Error from server (BadRequest): error when creating "STDIN": Secret in version "v1" '
        'cannot be handled as a Secret: illegal base64 data at input byte 7\n', 1)
