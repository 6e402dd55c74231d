"""Which pods name which claims, watched once for the storage controllers.

The PV binder, pvc-protection and attach/detach each follow the pods that name
claims: upstream gives each a handler on the shared pod informer and an index
of pods by claim (``common.PodPVCIndex``). In a cluster the three share one
``PodClaimIndex`` and one pod watch, ``PodClaimInformer``: each pod event
updates the index once and goes on (``pod_claim_keys``) only to the controllers
it can concern, those of a pod that names a claim now or did before. Most pods
name none, and every pod is written several times (created, bound, its status),
so this keeps the storage controllers nearly free for them.

A controller run alone (a test's control plane with just that controller)
watches pods itself, with an index of its own (``PodClaimFollower``); the keys
it queues are the same either way.
"""
from __future__ import annotations

from typing import Hashable, Iterable

from kubelearn.controllers.base import Controller
from kubelearn.controllers.pv_util import PodClaimIndex


class PodClaimFollower:
    """Mixed into a controller that follows pods' claims. ``pods`` is the index; the
    controller says which keys an event of a pod naming claims gives
    (``pod_claim_keys``) and hands its pod events to ``pod_keys``."""

    pods: PodClaimIndex

    def pod_keys(self, event) -> Iterable[Hashable]:
        """The keys of a pod event, when the controller watches pods itself."""
        old, claims = self.pods.update(event)
        if not old and not claims:
            return ()
        return self.pod_claim_keys(event, old, claims)

    def pod_claim_keys(self, event, old: tuple[str, ...],
                       claims: tuple[str, ...]) -> Iterable[Hashable]:
        """The keys of an event of a pod that named ``old`` claims and now names ``claims``
        (at least one of them not empty)."""
        raise NotImplementedError

    def share_pod_claims(self, index: PodClaimIndex) -> None:
        """Take pod events from a ``PodClaimInformer`` and use its index, instead of a
        pod watch of its own."""
        self.pods = index
        self.watches = tuple(kind for kind in self.watches if kind != "Pod")


class PodClaimInformer(Controller):
    """The one pod watch of the controllers that follow claims (``followers``, in the
    order they are called for an event, which is their order in the cluster). It
    queues nothing of its own."""

    name = "pod-claim-informer"
    watches = ("Pod",)

    def __init__(self, cluster, followers: list[PodClaimFollower]) -> None:
        super().__init__(cluster)
        self.index = PodClaimIndex()
        self.followers = list(followers)
        for ctrl in self.followers:
            ctrl.share_pod_claims(self.index)

    def keys_for(self, event):
        old, claims = self.index.update(event)
        if old or claims:
            for ctrl in self.followers:
                for key in ctrl.pod_claim_keys(event, old, claims):
                    ctrl.queue.add(key)
        return ()

    def reconcile(self, key):
        return None
