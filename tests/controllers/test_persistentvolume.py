"""``kubelearn.controllers.persistentvolume``: the binding rules, phases and events.

Most tests run the PV controller alone (``mini``), so they see its writes and
nothing else's; each binding rule is shown both holding and failing. The
end-to-end ones use a real ``Cluster`` (minikube has the ``standard`` class and
its provisioner; kubeadm has no class at all).
"""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.controllers.persistentvolume import (FAILED_BINDING_NO_CLASS,
                                                    PersistentVolumeController)
from kubelearn.controllers.pv_util import find_best_match_for_claim


def pv(name, size="1Gi", modes=("ReadWriteOnce",), sc="", labels=None, policy=None,
       source=None, **spec):
    body = {"capacity": {"storage": size}, "accessModes": list(modes),
            **(source or {"hostPath": {"path": f"/mnt/{name}"}}), **spec}
    if sc is not None:
        body["storageClassName"] = sc
    if policy:
        body["persistentVolumeReclaimPolicy"] = policy
    meta = {"name": name, **({"labels": labels} if labels else {})}
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": meta, "spec": body}


def pvc(name, size="1Gi", modes=("ReadWriteOnce",), sc="", **spec):
    body = {"accessModes": list(modes), "resources": {"requests": {"storage": size}}, **spec}
    if sc is not None:
        body["storageClassName"] = sc
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": "default"}, "spec": body}


def storage_class(name, provisioner="k8s.io/minikube-hostpath", mode="Immediate", default=False):
    meta = {"name": name}
    if default:
        meta["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta,
            "provisioner": provisioner, "volumeBindingMode": mode}


@pytest.fixture
def c(mini):
    return mini([PersistentVolumeController])


def volume_of(c, claim):
    return (c.api.get("PersistentVolumeClaim", claim, "default").get("spec") or {}).get(
        "volumeName")


def phase(c, kind, name, namespace=""):
    return c.api.get(kind, name, namespace)["status"]["phase"]


def events(c, name, reason=None):
    return [(e["type"], e["reason"], e["message"], e.get("count", 1))
            for e in c.api.list("Event", "default")
            if e["involvedObject"]["name"] == name and reason in (None, e["reason"])]


# --- the rules --------------------------------------------------------------------------------

def test_a_claim_binds_an_available_volume_and_both_say_bound(c):
    c.create(pv("pv1", "2Gi"))
    assert phase(c, "PersistentVolume", "pv1") == "Available"
    c.create(pvc("data"))
    claim = c.api.get("PersistentVolumeClaim", "data", "default")
    volume = c.api.get("PersistentVolume", "pv1")
    assert claim["spec"]["volumeName"] == "pv1"
    assert claim["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"],
                               "capacity": {"storage": "2Gi"}}
    assert claim["metadata"]["annotations"] == {"pv.kubernetes.io/bind-completed": "yes",
                                                "pv.kubernetes.io/bound-by-controller": "yes"}
    ref = volume["spec"]["claimRef"]
    assert (ref["kind"], ref["namespace"], ref["name"], ref["uid"]) == (
        "PersistentVolumeClaim", "default", "data", claim["metadata"]["uid"])
    assert volume["metadata"]["annotations"] == {"pv.kubernetes.io/bound-by-controller": "yes"}
    assert volume["status"]["phase"] == "Bound"


def test_storage_class_must_match(c):
    c.create(pv("fast-pv", sc="fast"))
    c.create(pvc("no-class", sc=""))
    assert volume_of(c, "no-class") is None
    c.create(pv("plain"))
    c.advance(15)                         # the periodic resync tries again
    assert volume_of(c, "no-class") == "plain"
    c.create(pvc("wants-slow", sc="slow"))
    assert volume_of(c, "wants-slow") is None
    c.create(pvc("wants-fast", sc="fast"))
    assert volume_of(c, "wants-fast") == "fast-pv"


def test_a_claim_of_no_class_that_finds_nothing_gets_failed_binding(c):
    c.create(pvc("data", sc=""))
    assert phase(c, "PersistentVolumeClaim", "data", "default") == "Pending"
    assert events(c, "data") == [("Normal", "FailedBinding", FAILED_BINDING_NO_CLASS, 1)]
    assert FAILED_BINDING_NO_CLASS == ("no persistent volumes available for this claim and no "
                                       "storage class is set")
    c.advance(45)                         # each resync says it again, counted
    assert events(c, "data") == [("Normal", "FailedBinding", FAILED_BINDING_NO_CLASS, 4)]


def test_access_modes_must_be_a_superset(c):
    c.create(pv("rwo", modes=("ReadWriteOnce",)))
    c.create(pvc("shared", modes=("ReadWriteMany",)))
    assert volume_of(c, "shared") is None
    c.create(pv("all", modes=("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany")))
    c.advance(15)
    assert volume_of(c, "shared") == "all"


def test_capacity_must_cover_the_request_and_the_claim_shows_the_volume_size(c):
    c.create(pv("small", "1Gi"))
    c.create(pvc("big", "2Gi"))
    assert volume_of(c, "big") is None
    c.create(pv("exact", "2048Mi"))
    c.advance(15)
    assert volume_of(c, "big") == "exact"
    assert c.api.get("PersistentVolumeClaim", "big", "default")["status"]["capacity"] == {
        "storage": "2048Mi"}


def test_the_smallest_volume_that_fits_wins(c):
    for name, size in (("ten", "10Gi"), ("two", "2Gi"), ("five", "5Gi"), ("half", "512Mi")):
        c.create(pv(name, size))
    c.create(pvc("data", "1Gi"))
    assert volume_of(c, "data") == "two"


def test_volumes_with_the_fewest_extra_access_modes_are_searched_first(c):
    c.create(pv("big-rwo", "10Gi", modes=("ReadWriteOnce",)))
    c.create(pv("small-many", "2Gi", modes=("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany")))
    c.create(pvc("data", "1Gi"))
    assert volume_of(c, "data") == "big-rwo"     # index.go: the RWO group before RWO,ROX,RWX
    c.create(pvc("more", "1Gi"))
    assert volume_of(c, "more") == "small-many"   # the RWO group is used up


def test_ties_are_broken_by_name():
    volumes = [{**pv(n, "2Gi"), "status": {"phase": "Available"}} for n in ("b", "a", "c")]
    assert find_best_match_for_claim(pvc("x"), volumes)["metadata"]["name"] == "a"


def test_a_claim_naming_its_volume_binds_that_one_even_if_a_smaller_one_fits(c):
    c.create(pv("small", "1Gi"))
    c.create(pv("chosen", "8Gi"))
    c.create(pvc("data", "1Gi", volumeName="chosen"))
    assert volume_of(c, "data") == "chosen"
    claim = c.api.get("PersistentVolumeClaim", "data", "default")
    # a user's static binding: the claim is not marked bound-by-controller, the volume is
    assert claim["metadata"]["annotations"] == {"pv.kubernetes.io/bind-completed": "yes"}
    assert phase(c, "PersistentVolume", "small") == "Available"


@pytest.mark.parametrize("volume, claim, reason", [
    (pv("v", "1Gi"), pvc("data", "2Gi", volumeName="v"), "requested PV is too small"),
    (pv("v", sc="slow"), pvc("data", sc="fast", volumeName="v"), "storageClassName does not match"),
    (pv("v", volumeMode="Block"), pvc("data", volumeName="v"), "incompatible volumeMode"),
    (pv("v"), pvc("data", modes=("ReadWriteMany",), volumeName="v"), "incompatible accessMode"),
])
def test_a_named_volume_that_does_not_satisfy_the_claim_is_a_volume_mismatch(c, volume, claim,
                                                                              reason):
    c.create(volume)
    c.create(claim)
    assert volume_of(c, "data") == "v"          # as the user wrote it; not bound
    assert phase(c, "PersistentVolumeClaim", "data", "default") == "Pending"
    assert phase(c, "PersistentVolume", "v") == "Available"
    assert events(c, "data") == [("Warning", "VolumeMismatch",
                                  f'Cannot bind to requested volume "v": {reason}', 1)]


def test_a_claim_naming_a_missing_volume_waits_and_binds_when_it_appears(c):
    c.create(pvc("data", volumeName="later"))
    assert phase(c, "PersistentVolumeClaim", "data", "default") == "Pending"
    assert events(c, "data") == []
    c.create(pv("later"))
    assert phase(c, "PersistentVolumeClaim", "data", "default") == "Pending"
    c.advance(15)
    assert phase(c, "PersistentVolumeClaim", "data", "default") == "Bound"


def test_a_claim_naming_a_volume_bound_elsewhere_gets_failed_binding(c):
    c.create(pv("v"))
    c.create(pvc("first"))
    c.create(pvc("second", volumeName="v"))
    assert events(c, "second") == [("Warning", "FailedBinding",
                                    'volume "v" already bound to a different claim.', 1)]


def test_a_volume_pre_bound_by_claim_ref_waits_for_that_claim_only(c):
    c.create(pv("reserved", "1Gi", claimRef={"namespace": "default", "name": "owner"}))
    assert phase(c, "PersistentVolume", "reserved") == "Available"
    c.create(pvc("intruder"))
    assert volume_of(c, "intruder") is None
    c.create(pv("bigger", "5Gi"))
    c.create(pvc("owner"))
    assert volume_of(c, "owner") == "reserved"
    volume = c.api.get("PersistentVolume", "reserved")
    # pre-bound by the user: the controller only adds the uid, not bound-by-controller
    assert "annotations" not in volume["metadata"]
    assert volume["spec"]["claimRef"]["uid"] == c.api.get(
        "PersistentVolumeClaim", "owner", "default")["metadata"]["uid"]


def test_a_claim_selector_must_match_the_volume_labels(c):
    c.create(pv("ssd", labels={"disk": "ssd", "zone": "a"}))
    c.create(pv("hdd", labels={"disk": "hdd", "zone": "a"}))
    c.create(pvc("fast", selector={"matchLabels": {"disk": "ssd"}}))
    assert volume_of(c, "fast") == "ssd"
    c.create(pvc("nvme", selector={"matchLabels": {"disk": "nvme"}}))
    assert volume_of(c, "nvme") is None
    c.create(pvc("not-hdd", selector={"matchExpressions": [
        {"key": "disk", "operator": "NotIn", "values": ["hdd"]}]}))
    assert volume_of(c, "not-hdd") is None     # the only non-hdd volume is taken
    c.create(pvc("zone-a", selector={"matchExpressions": [
        {"key": "zone", "operator": "In", "values": ["a"]}]}))
    assert volume_of(c, "zone-a") == "hdd"


def test_volume_mode_must_match(c):
    c.create(pv("block", volumeMode="Block"))
    c.create(pvc("fs"))
    assert volume_of(c, "fs") is None
    c.create(pvc("raw", volumeMode="Block"))
    assert volume_of(c, "raw") == "block"


def test_a_claim_created_before_its_volume_binds_at_the_next_resync(c):
    c.create(pvc("data"))
    c.advance(3)
    c.create(pv("pv1"))
    c.advance(11.5)
    assert volume_of(c, "data") is None
    c.advance(0.5)
    assert volume_of(c, "data") == "pv1"


# --- phases and reclaim ------------------------------------------------------------------------

def test_retain_keeps_the_volume_released_with_its_claim_ref(c):
    c.create(pv("keep", policy="Retain"))
    c.create(pvc("data"))
    c.delete("PersistentVolumeClaim", "data", "default")    # no protection controller here
    c.api.finish_deletion("PersistentVolumeClaim", "data", "default")
    c.run_now()
    volume = c.api.get("PersistentVolume", "keep")
    assert volume["status"]["phase"] == "Released"
    assert volume["spec"]["claimRef"]["name"] == "data"
    c.create(pvc("data"))                       # same name, new claim: not reused
    assert volume_of(c, "data") is None
    assert phase(c, "PersistentVolume", "keep") == "Released"


def test_delete_of_a_hostpath_volume_outside_tmp_fails(c):
    c.create(pv("web-data", policy="Delete", source={"hostPath": {"path": "/mnt/web-data"}}))
    c.create(pvc("data"))
    c.delete("PersistentVolumeClaim", "data", "default")
    c.api.finish_deletion("PersistentVolumeClaim", "data", "default")
    c.run_now()
    volume = c.api.get("PersistentVolume", "web-data")
    message = "host_path deleter only supports /tmp/.+ but received provided /mnt/web-data"
    assert volume["status"]["phase"] == "Failed"
    assert volume["status"]["message"] == message
    assert [(e["type"], e["reason"], e["message"]) for e in c.api.list("Event", "default")
            if e["involvedObject"]["kind"] == "PersistentVolume"] == [
        ("Warning", "VolumeFailedDelete", message)]
    c.advance(60)                               # retried, but the event is not repeated
    assert len([e for e in c.api.list("Event", "default")
                if e["reason"] == "VolumeFailedDelete"]) == 1


def test_delete_of_a_hostpath_volume_under_tmp_deletes_the_pv(c):
    c.create(pv("scratch", policy="Delete", source={"hostPath": {"path": "/tmp/scratch"}}))
    c.create(pvc("data"))
    c.delete("PersistentVolumeClaim", "data", "default")
    c.api.finish_deletion("PersistentVolumeClaim", "data", "default")
    c.run_now()
    volume = c.api.get("PersistentVolume", "scratch")   # pv-protection holds the object
    assert volume["metadata"]["deletionTimestamp"]
    assert volume["status"]["phase"] == "Released"


def test_delete_of_an_nfs_volume_has_no_deleter(c):
    c.create(pv("share", policy="Delete", source={"nfs": {"server": "nfs.local", "path": "/x"}}))
    c.create(pvc("data"))
    c.delete("PersistentVolumeClaim", "data", "default")
    c.api.finish_deletion("PersistentVolumeClaim", "data", "default")
    c.run_now()
    assert c.api.get("PersistentVolume", "share")["status"]["message"] == (
        'error getting deleter volume plugin for volume "share": no deletable volume plugin '
        "matched")


def test_recycle_scrubs_the_volume_and_makes_it_available_again(c):
    c.create(pv("old", policy="Recycle"))
    c.create(pvc("data"))
    c.delete("PersistentVolumeClaim", "data", "default")
    c.api.finish_deletion("PersistentVolumeClaim", "data", "default")
    c.run_now()
    volume = c.api.get("PersistentVolume", "old")
    assert volume["status"]["phase"] == "Available"
    assert "claimRef" not in volume["spec"]
    assert "annotations" not in volume["metadata"]
    assert events(c, "old") == [("Normal", "VolumeRecycled", "Volume recycled", 1)]


def test_recycle_of_a_csi_volume_has_no_recycler(c):
    c.create(pv("csi", policy="Recycle",
                source={"csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-1"}}))
    c.create(pvc("data"))
    c.delete("PersistentVolumeClaim", "data", "default")
    c.api.finish_deletion("PersistentVolumeClaim", "data", "default")
    c.run_now()
    assert phase(c, "PersistentVolume", "csi") == "Failed"
    assert events(c, "csi") == [("Warning", "VolumeFailedRecycle",
                                 "No recycler plugin found for the volume!", 1)]


def test_a_bound_claim_whose_volume_is_gone_is_lost(c):
    c.create(pv("v"))
    c.create(pvc("data"))
    c.api.write_metadata(c.api.get("PersistentVolume", "v"), {"name": "v"})   # no finalizer
    c.delete("PersistentVolume", "v")
    assert phase(c, "PersistentVolumeClaim", "data", "default") == "Lost"
    assert events(c, "data") == [("Warning", "ClaimLost", "Bound claim has lost its "
                                  "PersistentVolume. Data on the volume is lost!", 1)]
    claim = c.api.get("PersistentVolumeClaim", "data", "default")
    assert "capacity" not in claim["status"] and "accessModes" not in claim["status"]


def test_phase_changes_stamp_last_phase_transition_time(c):
    c.advance(5)
    c.create(pv("v"))
    assert c.api.get("PersistentVolume", "v")["status"] == {
        "phase": "Available", "lastPhaseTransitionTime": "2025-06-02T09:00:05Z"}
    c.advance(10)
    c.create(pvc("data"))
    assert c.api.get("PersistentVolume", "v")["status"] == {
        "phase": "Bound", "lastPhaseTransitionTime": "2025-06-02T09:00:15Z"}


# --- provisioning ------------------------------------------------------------------------------

def test_a_missing_class_is_a_provisioning_failure(c):
    c.create(pvc("data", sc="fast"))
    assert events(c, "data") == [("Warning", "ProvisioningFailed",
                                  'storageclass.storage.k8s.io "fast" not found', 1)]


def test_a_no_provisioner_class_cannot_provision(c):
    c.create(storage_class("manual", provisioner="kubernetes.io/no-provisioner"))
    c.create(pvc("data", sc="manual"))
    assert events(c, "data") == [("Warning", "ProvisioningFailed",
                                  "no volume plugin matched name: kubernetes.io/no-provisioner", 1)]


def test_an_external_provisioner_is_asked_and_waited_for(c):
    c.create(storage_class("standard"))
    c.create(pvc("data", sc="standard"))
    claim = c.api.get("PersistentVolumeClaim", "data", "default")
    assert claim["metadata"]["annotations"] == {
        "volume.beta.kubernetes.io/storage-provisioner": "k8s.io/minikube-hostpath",
        "volume.kubernetes.io/storage-provisioner": "k8s.io/minikube-hostpath"}
    message = ("Waiting for a volume to be created either by the external provisioner "
               "'k8s.io/minikube-hostpath' or manually by the system administrator. If volume "
               "creation is delayed, please verify that the provisioner is running and correctly "
               "registered.")
    # once for the claim, once more for the claim as annotated (upstream's "x2")
    assert events(c, "data") == [("Normal", "ExternalProvisioning", message, 2)]
    c.advance(30)                              # nobody provisions in this mini cluster
    assert events(c, "data") == [("Normal", "ExternalProvisioning", message, 4)]


def test_an_in_tree_aws_class_goes_to_the_ebs_csi_driver(c):
    c.create(storage_class("gp2", provisioner="kubernetes.io/aws-ebs"))
    c.create(pvc("data", sc="gp2"))
    annotations = c.api.get("PersistentVolumeClaim", "data", "default")["metadata"]["annotations"]
    assert annotations["volume.kubernetes.io/storage-provisioner"] == "ebs.csi.aws.com"
    assert annotations["pv.kubernetes.io/migrated-to"] == "ebs.csi.aws.com"


def test_wait_for_first_consumer_waits_and_names_the_waiting_pods(c):
    c.create(storage_class("local", mode="WaitForFirstConsumer"))
    c.create(pvc("data", sc="local"))
    assert events(c, "data") == [("Normal", "WaitForFirstConsumer",
                                  "waiting for first consumer to be created before binding", 1)]
    c.create({"apiVersion": "v1", "kind": "ServiceAccount",
              "metadata": {"name": "default", "namespace": "default"}})
    for name in ("web-1", "web-0"):
        c.create({"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": name, "namespace": "default"},
                  "spec": {"containers": [{"name": "c", "image": "nginx"}],
                           "volumes": [{"name": "d",
                                        "persistentVolumeClaim": {"claimName": "data"}}]}})
    c.advance(15)
    assert events(c, "data", "WaitForPodScheduled") == [
        ("Normal", "WaitForPodScheduled", "waiting for pods web-0,web-1 to be scheduled", 1)]
    assert "annotations" not in c.api.get("PersistentVolumeClaim", "data",
                                          "default")["metadata"]


def test_a_claim_without_class_gets_a_default_class_made_later(c):
    c.create(pvc("data", sc=None))
    assert "storageClassName" not in c.api.get("PersistentVolumeClaim", "data", "default")["spec"]
    c.create(storage_class("standard", default=True))
    c.advance(15)
    claim = c.api.get("PersistentVolumeClaim", "data", "default")
    assert claim["spec"]["storageClassName"] == "standard"
    assert claim["metadata"]["annotations"]["volume.kubernetes.io/storage-provisioner"] == \
        "k8s.io/minikube-hostpath"


# --- whole clusters ----------------------------------------------------------------------------

def test_kubeadm_has_no_storage_class_so_a_plain_claim_waits():
    k = Cluster()
    assert k.kubectl("get sc").stderr == "No resources found\n"
    k.api.create(pvc("data", sc=None))
    k.advance(20)
    claim = k.api.get("PersistentVolumeClaim", "data", "default")
    assert "storageClassName" not in claim["spec"]
    assert claim["status"]["phase"] == "Pending"
    assert "FailedBinding" in k.kubectl("describe pvc data").stdout


def test_minikube_provisions_a_hostpath_volume_for_a_plain_claim():
    m = Cluster.minikube()
    m.api.create(pvc("data", "3Gi", sc=None))
    m.run_now()
    claim = m.api.get("PersistentVolumeClaim", "data", "default")
    uid = claim["metadata"]["uid"]
    assert claim["spec"]["storageClassName"] == "standard"
    assert claim["status"]["phase"] == "Bound"
    volume = m.api.get("PersistentVolume", f"pvc-{uid}")
    assert volume["spec"]["hostPath"] == {"path": "/tmp/hostpath-provisioner/default/data",
                                          "type": ""}
    assert volume["spec"]["capacity"] == {"storage": "3Gi"}
    assert volume["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert volume["spec"]["storageClassName"] == "standard"
    assert volume["metadata"]["annotations"]["pv.kubernetes.io/provisioned-by"] == \
        "k8s.io/minikube-hostpath"
    assert volume["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    reasons = [e["reason"] for e in m.api.list("Event", "default")
               if e["involvedObject"]["name"] == "data"]
    assert reasons == ["ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"]
    source = {e["reason"]: e["source"]["component"] for e in m.api.list("Event", "default")}
    assert source["ExternalProvisioning"] == "persistentvolume-controller"
    assert source["ProvisioningSucceeded"].startswith("k8s.io/minikube-hostpath_minikube_")
