"""Controllers: one module per reconciler, plus the scheduler.

``default_controllers`` lists them in the fixed order the cluster runs them,
which (with the FIFO work queues) makes every run take the same steps: the
kube-controller-manager's controllers (namespace, garbage collector,
deployment, replicaset, daemonset, endpoints, service, node-lifecycle, the
persistent-volume binder, pvc- and pv-protection, attach/detach), minikube's
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
    from kubelearn.controllers.pvprotection import PVCProtectionController, PVProtectionController
    from kubelearn.controllers.replicaset import ReplicaSetController
    from kubelearn.controllers.scheduler import Scheduler
    from kubelearn.controllers.service import ServiceController
    from kubelearn.node.kubelet import KubeletManager

    return [NamespaceController(cluster), GarbageCollector(cluster),
            DeploymentController(cluster), ReplicaSetController(cluster),
            DaemonSetController(cluster), EndpointsController(cluster),
            ServiceController(cluster), NodeLifecycleController(cluster),
            PersistentVolumeController(cluster), PVCProtectionController(cluster),
            PVProtectionController(cluster), AttachDetachController(cluster),
            HostPathProvisioner(cluster), Scheduler(cluster), KubeletManager(cluster)]
