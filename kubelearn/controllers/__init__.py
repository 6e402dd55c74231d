"""Controllers: one module per reconciler, plus the scheduler.

``default_controllers`` lists them in the fixed order the cluster runs them,
which (with the FIFO work queues) makes every run take the same steps: the
kube-controller-manager's controllers (namespace, garbage collector,
deployment, replicaset, daemonset, endpoints, service, node-lifecycle, the
persistent-volume binder, pvc- and pv-protection, attach/detach, with one pod
watch for the three that follow pods' claims), minikube's
storage-provisioner (idle on clusters without its pod), then kube-scheduler,
then the kubelets of all nodes.
"""
from __future__ import annotations


def default_controllers(cluster) -> list:
    from kubelearn.controllers.attachdetach import AttachDetachController
    from kubelearn.controllers.daemonset import DaemonSetController
    from kubelearn.controllers.deployment import DeploymentController
    from kubelearn.controllers.endpoints import EndpointsController
    from kubelearn.controllers.garbagecollector import GarbageCollector
    from kubelearn.controllers.hostpath_provisioner import HostPathProvisioner
    from kubelearn.controllers.namespace import NamespaceController
    from kubelearn.controllers.nodelifecycle import NodeLifecycleController
    from kubelearn.controllers.persistentvolume import PersistentVolumeController
    from kubelearn.controllers.pod_claims import PodClaimInformer
    from kubelearn.controllers.pvprotection import PVCProtectionController, PVProtectionController
    from kubelearn.controllers.replicaset import ReplicaSetController
    from kubelearn.controllers.scheduler import Scheduler
    from kubelearn.controllers.service import ServiceController
    from kubelearn.node.kubelet import KubeletManager

    binder, pvc_protection, attach_detach = (PersistentVolumeController(cluster),
                                             PVCProtectionController(cluster),
                                             AttachDetachController(cluster))
    # one pod watch for the three, where the binder's was (pod_claims)
    pod_claims = PodClaimInformer(cluster, [binder, pvc_protection, attach_detach])
    return [NamespaceController(cluster), GarbageCollector(cluster),
            DeploymentController(cluster), ReplicaSetController(cluster),
            DaemonSetController(cluster), EndpointsController(cluster),
            ServiceController(cluster), NodeLifecycleController(cluster),
            pod_claims, binder, pvc_protection, PVProtectionController(cluster), attach_detach,
            HostPathProvisioner(cluster), Scheduler(cluster), KubeletManager(cluster)]
