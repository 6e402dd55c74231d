"""``kubelearn.controllers.pod_claims`` (and ``pv_util.PodClaimIndex``): one pod watch for
the storage controllers, which hands on only the events of pods that name claims, with
the keys each controller would have queued watching pods itself."""
from __future__ import annotations

from kubelearn import Cluster
from kubelearn.apiserver.store import WatchEvent
from kubelearn.controllers.attachdetach import AttachDetachController
from kubelearn.controllers.persistentvolume import PersistentVolumeController
from kubelearn.controllers.pod_claims import PodClaimInformer
from kubelearn.controllers.pv_util import PodClaimIndex
from kubelearn.controllers.pvprotection import PVCProtectionController

FOLLOWERS = (PersistentVolumeController, PVCProtectionController, AttachDetachController)


def pod(name, *claims, node=None, phase="Pending"):
    volumes = [{"name": f"v{i}", "persistentVolumeClaim": {"claimName": c}}
               for i, c in enumerate(claims)]
    volumes.append({"name": "kube-api-access-x", "projected": {"sources": []}})
    spec = {"containers": [{"name": "app", "image": "nginx"}], "volumes": volumes}
    if node:
        spec["nodeName"] = node
    return {"metadata": {"name": name, "namespace": "default"}, "spec": spec,
            "status": {"phase": phase}}


def written(old, node=None, status=None):
    """A later version of ``old`` as the API server writes it: unchanged parts shared."""
    new = dict(old)
    if node:
        new["spec"] = {**old["spec"], "nodeName": node}
    if status:
        new["status"] = status
    return new


def history():
    """Pod events: a pod without claims, one with two (bound, finished, deleted), and one
    whose volumes are replaced (as a direct store write could)."""
    plain, data = pod("plain"), pod("db", "data", "logs")
    bound = written(data, node="n1")
    done = written(bound, status={"phase": "Succeeded"})
    swapped = pod("db", "other", node="n1")
    return [WatchEvent("ADDED", "Pod", plain, None),
            WatchEvent("MODIFIED", "Pod", written(plain, node="n1"), plain),
            WatchEvent("ADDED", "Pod", data, None),
            WatchEvent("MODIFIED", "Pod", bound, data),
            WatchEvent("MODIFIED", "Pod", done, bound),
            WatchEvent("MODIFIED", "Pod", swapped, done),
            WatchEvent("DELETED", "Pod", swapped, swapped)]


def test_the_index_follows_the_claims_of_every_write():
    index = PodClaimIndex()
    seen = [index.update(event) for event in history()]
    assert seen == [((), ()), ((), ()),
                    ((), ("data", "logs")), (("data", "logs"),) * 2, (("data", "logs"),) * 2,
                    (("data", "logs"), ("other",)), (("other",), ())]
    assert index.pods("default", "data") == [] and index.pods("default", "other") == []


def queued(ctrl):
    return list(ctrl.queue.waiting)


def test_shared_or_alone_the_controllers_queue_the_same_keys():
    c = Cluster()
    alone = [cls(c) for cls in FOLLOWERS]
    shared = [cls(c) for cls in FOLLOWERS]
    informer = PodClaimInformer(c, shared)
    assert all("Pod" in ctrl.watches for ctrl in alone)
    assert not any("Pod" in ctrl.watches for ctrl in shared)
    assert all(ctrl.pods is informer.index for ctrl in shared)
    for event in history():
        for ctrl in alone:
            for key in ctrl.keys_for(event):
                ctrl.queue.add(key)
        assert informer.keys_for(event) == ()
    assert [queued(ctrl) for ctrl in shared] == [queued(ctrl) for ctrl in alone]
    assert queued(shared[1]) == [("default", "data"), ("default", "logs"),
                                 ("default", "other")]
    assert queued(shared[2]) == [("claim", "default", "data"), ("claim", "default", "logs"),
                                 ("claim", "default", "other")]


def test_in_a_cluster_pods_without_claims_reach_no_storage_controller():
    c = Cluster()
    [informer] = [x for x in c.controllers if isinstance(x, PodClaimInformer)]
    assert c._routes["Pod"].count(informer) == 1
    assert not any(isinstance(x, FOLLOWERS) for x in c._routes["Pod"])
    c.kubectl("create deployment web --image=nginx:1.25 --replicas=3")
    for ctrl in informer.followers:
        assert queued(ctrl) == []
    c.settle()
    for ctrl in informer.followers:
        assert queued(ctrl) == [] and ctrl.pods is informer.index
