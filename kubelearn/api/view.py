"""Read-only views of stored objects for learners and checks.

``cluster.get("deployment", "web")`` returns an ``ObjectView``: a deep copy of
the stored dict that reads like the object (``d.spec.replicas``,
``d["spec"]["replicas"]``, ``d.metadata.labels["app"]``) and prints as YAML.
Changing it changes nothing in the cluster; writes go through kubectl.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping


class ObjectView(Mapping):
    __slots__ = ("_data",)

    def __init__(self, data: dict, _copy: bool = True):
        object.__setattr__(self, "_data", copy.deepcopy(data) if _copy else data)

    def __getitem__(self, key):
        return _wrap(self._data[key])

    def __getattr__(self, key):
        if key.startswith("_"):    # no Kubernetes field starts with "_"; copy/pickle probes do
            raise AttributeError(key)
        try:
            return _wrap(self._data[key])
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        raise AttributeError("objects read from the cluster are read-only; change them with "
                             "kubectl (apply, scale, set, patch, ...)")

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def to_dict(self) -> dict:
        return copy.deepcopy(self._data)

    def __copy__(self):
        return self     # read-only: a copy may share the data

    def __deepcopy__(self, memo):
        return ObjectView(self._data)

    def __reduce__(self):
        return ObjectView, (self._data,)

    def __repr__(self) -> str:
        from kubelearn.kubectl.printers.yamlout import to_yaml

        return to_yaml(self._data).rstrip("\n")


def _wrap(value):
    if isinstance(value, dict):
        return ObjectView(value, _copy=False)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value
