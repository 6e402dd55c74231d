"""meta/v1 types every object shares: ObjectMeta, LabelSelector, OwnerReference.

Field names are the JSON names and fields are declared in Go struct order
(``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go``), so a dumped
model lists its keys as the API server writes them.
"""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict

from kubelearn.api.models._types import Int64, Loose, StrMap, Time, named


class K8sModel(BaseModel):
    """Base of every API model: strict types, unknown fields refused (strict decoding)."""

    model_config = ConfigDict(strict=True, extra="forbid", cache_strings="keys")


class OwnerReference(K8sModel):
    apiVersion: Optional[str] = None
    kind: Optional[str] = None
    name: Optional[str] = None
    uid: Optional[named("types.UID")] = None
    controller: Optional[bool] = None
    blockOwnerDeletion: Optional[bool] = None


class ManagedFieldsEntry(K8sModel):
    manager: Optional[str] = None
    operation: Optional[named("v1.ManagedFieldsOperationType")] = None
    apiVersion: Optional[str] = None
    time: Optional[Time] = None
    fieldsType: Optional[str] = None
    fieldsV1: Optional[Loose] = None
    subresource: Optional[str] = None


class ObjectMeta(K8sModel):
    name: Optional[str] = None
    generateName: Optional[str] = None
    namespace: Optional[str] = None
    selfLink: Optional[str] = None
    uid: Optional[named("types.UID")] = None
    resourceVersion: Optional[str] = None
    generation: Optional[Int64] = None
    creationTimestamp: Optional[Time] = None
    deletionTimestamp: Optional[Time] = None
    deletionGracePeriodSeconds: Optional[Int64] = None
    labels: Optional[StrMap] = None
    annotations: Optional[StrMap] = None
    ownerReferences: Optional[list[OwnerReference]] = None
    finalizers: Optional[list[str]] = None
    managedFields: Optional[list[ManagedFieldsEntry]] = None


class LabelSelectorRequirement(K8sModel):
    key: Optional[str] = None
    operator: Optional[named("v1.LabelSelectorOperator")] = None
    values: Optional[list[str]] = None


class LabelSelector(K8sModel):
    matchLabels: Optional[StrMap] = None
    matchExpressions: Optional[list[LabelSelectorRequirement]] = None


class Condition(K8sModel):
    """metav1.Condition (used loosely for status conditions that follow it)."""
    type: Optional[str] = None
    status: Optional[str] = None
    observedGeneration: Optional[Int64] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


__all__ = ["K8sModel", "ObjectMeta", "OwnerReference", "ManagedFieldsEntry", "LabelSelector",
           "LabelSelectorRequirement", "Condition"]
