"""Name printer lines (reference §1.3)."""

from kubelearn.kubectl.printers.name import kind_display, name_line


def test_kind_display_adds_group_for_non_core():
    assert kind_display("Deployment", "apps") == "deployment.apps"
    assert kind_display("Pod") == "pod"
    assert kind_display("StorageClass", "storage.k8s.io") == "storageclass.storage.k8s.io"


def test_operations():
    assert name_line("deployment.apps", "web", "created") == "deployment.apps/web created"
    assert name_line("service", "web", "exposed") == "service/web exposed"
    assert name_line("deployment.apps", "web", "created (dry run)") == \
        "deployment.apps/web created (dry run)"


def test_output_name_form_has_no_operation():
    assert name_line("deployment.apps", "web") == "deployment.apps/web"
    assert name_line("pod", "x", "") == "pod/x"


def test_rollout_history_header_keeps_trailing_space():
    table = "REVISION  CHANGE-CAUSE\n1         <none>\n"
    assert name_line("deployment.apps", "web", "\n" + table) == \
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n"


def test_missing_name_is_unknown():
    assert name_line("pod", "", "deleted") == "pod/<unknown> deleted"
