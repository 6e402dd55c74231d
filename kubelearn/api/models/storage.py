"""storage.k8s.io/v1 kinds: StorageClass (``staging/src/k8s.io/api/storage/v1/types.go``)."""
from __future__ import annotations

from typing import Optional

from kubelearn.api.models._types import Loose, StrMap, named
from kubelearn.api.models.meta import K8sModel, ObjectMeta


class StorageClass(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    provisioner: Optional[str] = None
    parameters: Optional[StrMap] = None
    reclaimPolicy: Optional[named("v1.PersistentVolumeReclaimPolicy")] = None
    mountOptions: Optional[list[str]] = None
    allowVolumeExpansion: Optional[bool] = None
    volumeBindingMode: Optional[named("v1.VolumeBindingMode")] = None
    allowedTopologies: Optional[list[Loose]] = None
