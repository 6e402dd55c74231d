"""apps/v1 kinds: Deployment, ReplicaSet, DaemonSet (``staging/src/k8s.io/api/apps/v1/types.go``)."""
from __future__ import annotations

from typing import Optional

from kubelearn.api.models._types import Int32, Int64, IntOrString, Time, named
from kubelearn.api.models.core import PodTemplateSpec
from kubelearn.api.models.meta import K8sModel, LabelSelector, ObjectMeta


class RollingUpdateDeployment(K8sModel):
    maxUnavailable: Optional[IntOrString] = None
    maxSurge: Optional[IntOrString] = None


class DeploymentStrategy(K8sModel):
    type: Optional[named("v1.DeploymentStrategyType")] = None
    rollingUpdate: Optional[RollingUpdateDeployment] = None


class DeploymentSpec(K8sModel):
    replicas: Optional[Int32] = None
    selector: Optional[LabelSelector] = None
    template: Optional[PodTemplateSpec] = None
    strategy: Optional[DeploymentStrategy] = None
    minReadySeconds: Optional[Int32] = None
    revisionHistoryLimit: Optional[Int32] = None
    paused: Optional[bool] = None
    progressDeadlineSeconds: Optional[Int32] = None


class DeploymentCondition(K8sModel):
    type: Optional[named("v1.DeploymentConditionType")] = None
    status: Optional[named("v1.ConditionStatus")] = None
    lastUpdateTime: Optional[Time] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


class DeploymentStatus(K8sModel):
    observedGeneration: Optional[Int64] = None
    replicas: Optional[Int32] = None
    updatedReplicas: Optional[Int32] = None
    readyReplicas: Optional[Int32] = None
    availableReplicas: Optional[Int32] = None
    unavailableReplicas: Optional[Int32] = None
    conditions: Optional[list[DeploymentCondition]] = None
    collisionCount: Optional[Int32] = None


class Deployment(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[DeploymentSpec] = None
    status: Optional[DeploymentStatus] = None


class ReplicaSetSpec(K8sModel):
    replicas: Optional[Int32] = None
    minReadySeconds: Optional[Int32] = None
    selector: Optional[LabelSelector] = None
    template: Optional[PodTemplateSpec] = None


class ReplicaSetCondition(K8sModel):
    type: Optional[named("v1.ReplicaSetConditionType")] = None
    status: Optional[named("v1.ConditionStatus")] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


class ReplicaSetStatus(K8sModel):
    replicas: Optional[Int32] = None
    fullyLabeledReplicas: Optional[Int32] = None
    readyReplicas: Optional[Int32] = None
    availableReplicas: Optional[Int32] = None
    observedGeneration: Optional[Int64] = None
    conditions: Optional[list[ReplicaSetCondition]] = None


class ReplicaSet(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[ReplicaSetSpec] = None
    status: Optional[ReplicaSetStatus] = None


class RollingUpdateDaemonSet(K8sModel):
    maxUnavailable: Optional[IntOrString] = None
    maxSurge: Optional[IntOrString] = None


class DaemonSetUpdateStrategy(K8sModel):
    type: Optional[named("v1.DaemonSetUpdateStrategyType")] = None
    rollingUpdate: Optional[RollingUpdateDaemonSet] = None


class DaemonSetSpec(K8sModel):
    selector: Optional[LabelSelector] = None
    template: Optional[PodTemplateSpec] = None
    updateStrategy: Optional[DaemonSetUpdateStrategy] = None
    minReadySeconds: Optional[Int32] = None
    revisionHistoryLimit: Optional[Int32] = None


class DaemonSetCondition(K8sModel):
    type: Optional[named("v1.DaemonSetConditionType")] = None
    status: Optional[named("v1.ConditionStatus")] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


class DaemonSetStatus(K8sModel):
    currentNumberScheduled: Optional[Int32] = None
    numberMisscheduled: Optional[Int32] = None
    desiredNumberScheduled: Optional[Int32] = None
    numberReady: Optional[Int32] = None
    observedGeneration: Optional[Int64] = None
    updatedNumberScheduled: Optional[Int32] = None
    numberAvailable: Optional[Int32] = None
    numberUnavailable: Optional[Int32] = None
    collisionCount: Optional[Int32] = None
    conditions: Optional[list[DaemonSetCondition]] = None


class DaemonSet(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[DaemonSetSpec] = None
    status: Optional[DaemonSetStatus] = None
