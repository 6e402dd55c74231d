"""Golden tests for the tabwriter port: kubectl reference tables, real kubectl
1.32 output captured against a stub API server, and Go's own tabwriter examples."""

from kubelearn.kubectl.printers.tabwriter import (
    ALIGN_RIGHT, DEBUG, DESCRIBE_SETTINGS, DISCARD_EMPTY_COLUMNS, GET_SETTINGS, REMEMBER_WIDTHS,
    TabWriter, format_table, format_text, print_table, table_cell)


def test_pod_table_from_reference():
    rows = [["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            ["web-7d9c6b8f5d-4xkqz", "1/1", "Running", "0", "12s"]]
    assert format_table(rows) == (
        "NAME                   READY   STATUS    RESTARTS   AGE\n"
        "web-7d9c6b8f5d-4xkqz   1/1     Running   0          12s\n")


def test_service_table_from_reference():
    rows = [["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
            ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "5d"],
            ["web", "LoadBalancer", "10.98.155.178", "<pending>", "80:30276/TCP", "8s"]]
    assert format_table(rows) == (
        "NAME         TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE\n"
        "kubernetes   ClusterIP      10.96.0.1       <none>        443/TCP        5d\n"
        "web          LoadBalancer   10.98.155.178   <pending>     80:30276/TCP   8s\n")


def test_minwidth_six_pads_short_columns():
    # "AGE"+3 = 6 = minwidth; "A"+3 = 4 < 6, so the column is 6 wide.
    assert format_table([["A", "B"], ["x", "y"]]) == "A     B\nx     y\n"


def test_last_column_never_padded():
    out = format_table([["NAME", "AGE"], ["a", "1000000000s"], ["bb", "1s"]])
    assert out == "NAME   AGE\na      1000000000s\nbb     1s\n"
    assert not any(line.endswith(" ") for line in out.splitlines())


def test_empty_table_prints_nothing():
    assert format_table([]) == ""
    assert print_table(["NAME"], [], no_headers=True) == ""


def test_width_counts_code_points_not_display_cells():
    # kubectl pads a 6-rune CJK name as 6 columns wide (captured output).
    assert format_table([["NAME", "X"], ["日本語の名前", "1"]]) == "NAME     X\n日本語の名前   1\n"


def test_print_table_matches_kubectl_get_with_odd_cells():
    """`kubectl get pods` of a server Table with odd cells (kubectl 1.32, stub server)."""
    header = ["Name", "Ready", "Up-to-date", "Port(s)", "Note"]
    rows = [["web-1", "1/1", 3, "", "multi\nline"],
            ["日本語の名前", "0/1", 1.5, "a\x1bb\rc", True],
            ["tab\there", None, 1000000, "é", "x"]]
    assert print_table(header, rows) == (
        "NAME     READY   UP-TO-DATE   PORT(S)   NOTE\n"
        "web-1    1/1     3                      multi...\n"
        "日本語の名前   0/1     1.5          a^[b...   true\n"
        "tab      here                 1000000   é     x\n")
    assert print_table(header, rows, no_headers=True) == (
        "web-1    1/1    3               multi...\n"
        "日本語の名前   0/1    1.5   a^[b...   true\n"
        "tab      here         1000000   é     x\n")


def test_table_cell_rules():
    assert table_cell(None) == ""
    assert table_cell("a\fb") == "a..."
    assert table_cell(1e21) == "1e+21"
    assert table_cell(False) == "false"
    assert table_cell(7) == "7"


def test_lines_without_tabs_split_blocks_like_describe():
    """`kubectl describe pod` (kubectl 1.32, stub server); input as describe writes it."""
    text = ("Name:\tweb-1\nNamespace:\tdefault\nNode:\tminikube/\nLabels:\tapp=web\n\ttier=fe\n"
            "Annotations:\tn: 1\n\tnote:\n\t  multi\n\t  line\nStatus:\tRunning\n"
            "IP:\t10.244.0.5\nIPs:\t<none>\nContainers:\n"
            "  nginx:\n    Image:\tnginx:1.25\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n"
            "    Environment:\t<none>\n    Mounts:\t<none>\n"
            "  side:\n    Image:\tbusybox\n    Port:\t<none>\n    Host Port:\t<none>\n"
            "    Environment:\t<none>\n    Mounts:\t<none>\n"
            "Volumes:\t<none>\nQoS Class:\tBestEffort\nNode-Selectors:\t<none>\n"
            "Tolerations:\t<none>\nEvents:\t<none>\n")
    assert format_text(text, **DESCRIBE_SETTINGS) == """\
Name:         web-1
Namespace:    default
Node:         minikube/
Labels:       app=web
              tier=fe
Annotations:  n: 1
              note:
                multi
                line
Status:       Running
IP:           10.244.0.5
IPs:          <none>
Containers:
  nginx:
    Image:        nginx:1.25
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:       <none>
  side:
    Image:        busybox
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Volumes:          <none>
QoS Class:        BestEffort
Node-Selectors:   <none>
Tolerations:      <none>
Events:           <none>
"""


def test_rollout_history_table_from_reference():
    rows = [["REVISION", "CHANGE-CAUSE"], ["1", "<none>"],
            ["2", "kubectl set image deployment/web nginx=nginx:1.26 --record=true"]]
    assert format_table(rows, **DESCRIBE_SETTINGS) == (
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "2         kubectl set image deployment/web nginx=nginx:1.26 --record=true\n")


def test_remember_widths_keeps_width_after_a_broken_line():
    # A custom-columns value with a newline (captured kubectl output).
    text = "N\tM\nmulti\nline\n\tweb-1\n<none>\tdb-long-name-0\n"
    assert format_text(text, **GET_SETTINGS) == (
        "N     M\nmulti\nline\n         web-1\n<none>   db-long-name-0\n")
    # Without the flag the first block keeps its own narrower width.
    assert format_text("NAME\tX\nbreak\na\tb\n", 0, 8, 1) == "NAME X\nbreak\na b\n"
    assert format_text("NAME\tX\nbreak\na\tb\n", 0, 8, 1, flags=REMEMBER_WIDTHS) == \
        "NAME X\nbreak\na    b\n"


def test_remember_widths_survives_flush():
    w = TabWriter(**GET_SETTINGS)
    w.write("a-long-name\tx\n")
    first = w.flush()
    w.write("b\ty\n")
    assert (first, w.flush()) == ("a-long-name   x\n", "b             y\n")


def test_go_example_init():
    tabbed = format_text("a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n", 0, 8, 0, "\t")
    assert tabbed == "a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n\n"
    right = format_text("a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n", 5, 0, 1, " ",
                        ALIGN_RIGHT)
    assert right == "    a     b       c         d.\n  123 12345 1234567 123456789.\n\n"


def test_go_example_elastic_and_trailing_tab():
    elastic = format_text("a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n", 0, 0, 1, ".",
                          ALIGN_RIGHT | DEBUG)
    assert elastic == "....a|..b|c\n...aa|.bb|cc\n..aaa|\n.aaaa|.dddd|eeee\n"
    trailing = format_text("a\tb\taligned\t\naa\tbb\taligned\t\naaa\tbbb\tunaligned\n"
                           "aaaa\tbbbb\taligned\t\n", 0, 0, 3, "-", ALIGN_RIGHT | DEBUG)
    assert trailing == ("------a|------b|---aligned|\n-----aa|-----bb|---aligned|\n"
                        "----aaa|----bbb|unaligned\n---aaaa|---bbbb|---aligned|\n")


def test_discard_empty_columns_only_for_soft_tabs():
    assert format_text("a\v\vb\n", 0, 8, 1, " ", DISCARD_EMPTY_COLUMNS) == "a b\n"
    assert format_text("a\v\vb\n", 0, 8, 1, " ") == "a  b\n"
    assert format_text("a\t\tb\n", 0, 8, 1, " ", DISCARD_EMPTY_COLUMNS) == "a  b\n"
    assert format_text("x\v\vb\ny\v\vc\n", 0, 8, 1, " ", DISCARD_EMPTY_COLUMNS) == "x b\ny c\n"


def test_text_without_final_newline_is_kept():
    assert format_text("a\tb\ntail", 0, 8, 1) == "a b\ntail"
