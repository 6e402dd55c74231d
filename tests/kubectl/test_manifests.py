"""``kubelearn.kubectl.manifests``: reading ``-f`` sources.

The YAML and validation messages were captured from real kubectl 1.32
(``kubectl apply -f bad.yaml`` reports them before it talks to a server).
"""
from __future__ import annotations

import pytest

from kubelearn.api.kinds import kind_info
from kubelearn.kubectl.manifests import Document, read_sources, split_documents
from kubelearn.kubectl.result import KubectlError

CM_A = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
CM_B = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
VALIDATE_OFF = "; if you choose to ignore these errors, turn validation off with --validate=false"


def read(files, text, name="x.yaml"):
    files(name, text)
    return read_sources([name], None)


def names(result):
    return [d.obj["metadata"]["name"] for d in result.documents]


# --- sources ----------------------------------------------------------------------------

def test_one_file_one_document(files):
    result = read(files, CM_A)
    assert result.entries == [Document("x.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                                  "metadata": {"name": "a"}},
                                       kind_info("ConfigMap"))]
    assert result.errors == []


def test_multi_document_stream_keeps_order_and_skips_empty_documents(files):
    result = read(files, "---\n" + CM_B + "---\n# only a comment\n---\n" + CM_A + "...\n")
    assert names(result) == ["b", "a"]


def test_stdin_is_named_STDIN():
    result = read_sources(["-"], CM_A)
    assert [d.source for d in result.documents] == ["STDIN"]
    assert read_sources(["-"], None).entries == []


def test_several_sources_in_flag_order(files):
    files("one.yaml", CM_B)
    files("two.yaml", CM_A)
    result = read_sources(["two.yaml", "one.yaml"], None)
    assert [(d.source, d.obj["metadata"]["name"]) for d in result.documents] == [
        ("two.yaml", "a"), ("one.yaml", "b")]


def test_directory_in_lexical_order_manifest_extensions_only_not_recursive(files):
    files("dir/b.yml", CM_B)
    files("dir/a.yaml", CM_A)
    files("dir/c.json", '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "c"}}')
    files("dir/notes.txt", "not a manifest")
    files("dir/sub/d.yaml", CM_A.replace("name: a", "name: d"))
    result = read_sources(["dir"], None)
    assert [d.source for d in result.documents] == ["dir/a.yaml", "dir/b.yml", "dir/c.json"]
    recursive = read_sources(["dir"], None, recursive=True)
    assert [d.source for d in recursive.documents] == [
        "dir/a.yaml", "dir/b.yml", "dir/c.json", "dir/sub/d.yaml"]


def test_paths_are_relative_to_cwd(files, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere")
    (other / "x.yaml").write_text(CM_A)
    assert names(read_sources(["x.yaml"], None, cwd=str(other))) == ["a"]


def test_missing_path():
    with pytest.raises(KubectlError) as info:
        read_sources(["nope.yaml"], None)
    assert info.value.message == 'error: the path "nope.yaml" does not exist'


def test_urls_are_refused_with_a_hint():
    with pytest.raises(KubectlError) as info:
        read_sources(["https://example.com/x.yaml"], None)
    assert info.value.message.startswith(
        'error: unable to read URL "https://example.com/x.yaml": kubelearn has no network access')


def test_json_document_and_list_kind(files):
    result = read(files, '{"apiVersion": "v1", "kind": "List", "items": ['
                         '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},'
                         '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}]}')
    assert [(d.info.kind, d.obj["metadata"]["name"]) for d in result.documents] == [
        ("ConfigMap", "a"), ("Secret", "s")]


def test_timestamps_and_numbers_keep_yaml_types_but_dates_stay_strings(files):
    doc = read(files, CM_A + "data:\n  when: 2024-01-02\n").documents[0]
    assert doc.obj["data"]["when"] == "2024-01-02"


def test_split_documents():
    assert split_documents("a: 1\n---\nb: 2\n---  \nc: 3") == ["a: 1\n", "b: 2\n", "c: 3"]
    assert split_documents("a: '---'\n") == ["a: '---'\n"]


# --- errors, with real kubectl's words --------------------------------------------------

@pytest.mark.parametrize("text,message", [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n  bad: : x\n",
     "yaml: line 7: mapping values are not allowed in this context"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n data:\n  k: v\n",
     "yaml: line 4: did not find expected key"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n",
     "yaml: line 4: found character that cannot start any token"),
    ('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "unterminated\n',
     "yaml: line 7: found unexpected end of stream"),
    ("a: b: c\napiVersion: v1\n", "yaml: mapping values are not allowed in this context"),
    ("\tapiVersion: v1\n", "yaml: found character that cannot start any token"),
    ("apiVersion: v1\nkind: [\n", "yaml: line 2: did not find expected node content"),
    ("a:\n  b\n c: 1\n", "yaml: line 3: mapping values are not allowed in this context"),
    ("a: b\n- c\napiVersion: v1\nkind: ConfigMap\n", "yaml: line 1: did not find expected key"),
    ("a: {b\napiVersion: v1\nkind: ConfigMap\n",
     "yaml: line 1: did not find expected ',' or '}'"),
    ("a: [b\napiVersion: v1\nkind: ConfigMap\n",
     "yaml: line 1: did not find expected ',' or ']'"),
    ("x:\n  - a\n  b: c\napiVersion: v1\nkind: ConfigMap\n",
     "yaml: line 2: did not find expected '-' indicator"),
])
def test_yaml_syntax_errors_as_go_yaml_words_them(files, text, message):
    result = read(files, text, "bad.yaml")
    assert result.errors == [f"error parsing bad.yaml: error converting YAML to JSON: {message}"]
    assert result.documents == []


def test_yaml_error_lines_count_from_the_broken_documents_start(files):
    result = read(files, CM_A + "---\n" + CM_B + "data:\n  x: y\n  bad: : x\n", "bad11.yaml")
    assert names(result) == ["a"]
    assert result.errors == ["error parsing bad11.yaml: error converting YAML to JSON: yaml: "
                             "line 7: mapping values are not allowed in this context"]


def test_a_broken_document_stops_its_stream_but_not_the_next_source(files):
    files("a.yaml", CM_A + "---\nkey: [\n---\n" + CM_B)
    files("b.yaml", CM_B.replace("name: b", "name: c"))
    result = read_sources(["a.yaml", "b.yaml"], None)
    assert names(result) == ["a", "c"]
    assert [type(e).__name__ for e in result.entries] == ["Document", "str", "Document"]


@pytest.mark.parametrize("text,problem", [
    ("metadata:\n  name: a\n", "[apiVersion not set, kind not set]"),
    ("kind: ConfigMap\nmetadata:\n  name: x\n", "apiVersion not set"),
    ("apiVersion: v1\nmetadata:\n  name: x\n", "kind not set"),
    ("- a\n- b\n", "invalid object to validate"),
    ("hello\n", "invalid object to validate"),
])
def test_validation_errors(files, text, problem):
    result = read(files, text)
    assert result.errors == [f'error validating "x.yaml": error validating data: {problem}'
                             + VALIDATE_OFF]


def test_validation_error_stops_the_stream(files):
    result = read(files, CM_A + "---\nmetadata: {}\n---\n" + CM_B)
    assert names(result) == ["a"]
    assert len(result.errors) == 1


def test_unknown_kind_or_api_version_is_reported_and_the_stream_goes_on(files):
    pod_c1 = "apiVersion: c1\nkind: Pod\nmetadata:\n  name: p\n  namespace: dev\n"
    result = read(files, CM_A + "---\n" + pod_c1 + "---\n" + CM_B, "app.yaml")
    assert names(result) == ["a", "b"]
    assert result.errors == [
        'resource mapping not found for name: "p" namespace: "dev" from "app.yaml": no matches '
        'for kind "Pod" in version "c1"\nensure CRDs are installed first']
    assert isinstance(result.entries[1], str)        # reported where it occurs


def test_claim_written_as_the_wrong_kind_is_a_mapping_error_only_if_the_kind_is_unknown(files):
    result = read(files, "apiVersion: v1\nkind: PersistentVolumeClaimm\nmetadata:\n  name: d\n")
    assert result.errors == [
        'resource mapping not found for name: "d" namespace: "" from "x.yaml": no matches for '
        'kind "PersistentVolumeClaimm" in version "v1"\nensure CRDs are installed first']
