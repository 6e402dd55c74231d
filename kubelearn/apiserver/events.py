"""Events: the explanation every component leaves behind.

Controllers, the scheduler and kubelets record what they did ("Scheduled",
"Pulling", "ScalingReplicaSet") as Event objects through the API server, as
client-go's EventRecorder does. A repeat of the same event on the same object
bumps ``count`` and ``lastTimestamp`` instead of adding a row, which is what
``kubectl describe`` shows as ``3m (x5 over 6m)``.
"""
from __future__ import annotations

from kubelearn.api.kinds import kind_info
from kubelearn.api.validation import is_dns1123_subdomain
from kubelearn.apiserver.errors import StatusError
from kubelearn.clock import EPOCH, rfc3339

EVENT = kind_info("Event")


class EventRecorder:
    """Records events through the API server's trusted internal write path.

    The recorder builds each Event exactly as admission would store it (fields in
    Go order, ``eventTime: null`` and ``reportingInstance`` written out), so it can
    skip decoding, defaulting and validating what the engine itself made, which is
    most of the cost of an Event: ``api.create_built`` and ``api.update_built``
    keep the namespace check, the name check and the stamping. A name that would
    not pass validation (an event about an object whose name is near the 253
    character limit) goes through the full ``create``, and is refused there.
    """

    def __init__(self, api):
        self.api = api
        self._seen: dict[tuple, tuple[str, str]] = {}
        self._sequence = 0

    def record(self, obj: dict, type_: str, reason: str, message: str, component: str,
               host: str | None = None, field_path: str | None = None) -> None:
        """Record (or count again) an event about ``obj``."""
        meta = obj["metadata"]
        namespace = meta.get("namespace") or "default"
        key = (obj["kind"], namespace, meta["name"], meta.get("uid"), type_, reason, message,
               component, host, field_path)
        now = rfc3339(self.api.clock.now)
        seen = self._seen.get(key)
        if seen is not None:
            current = self.api.store.get("Event", *seen)
            if current is not None:
                self._count_again(current, {"count": current.get("count", 1) + 1,
                                            "lastTimestamp": now})
                return
        # ObjectReference and EventSource fields in Go order, as decoding writes them.
        involved = {"kind": obj["kind"]}
        if meta.get("namespace"):
            involved["namespace"] = meta["namespace"]
        involved["name"] = meta["name"]
        involved["uid"] = meta.get("uid", "")
        involved["apiVersion"] = obj["apiVersion"]
        involved["resourceVersion"] = meta.get("resourceVersion", "")
        if field_path:
            involved["fieldPath"] = field_path
        source = {"component": component, "host": host} if host else {"component": component}
        event = {
            "kind": "Event", "apiVersion": "v1",
            "metadata": {"name": f"{meta['name']}.{self._suffix()}", "namespace": namespace},
            "involvedObject": involved, "reason": reason, "message": message,
            "source": source, "firstTimestamp": now, "lastTimestamp": now, "count": 1,
            "type": type_, "eventTime": None, "reportingComponent": component,
            "reportingInstance": host or "",
        }
        stored = self._create(event)
        if stored is not None:
            self._seen[key] = (namespace, stored["metadata"]["name"])

    def _create(self, event: dict) -> dict | None:
        if is_dns1123_subdomain(event["metadata"]["name"]):
            return self._write(self.api.create, event)
        return self._write(lambda e: self.api.create_built(EVENT, e), event)

    def _count_again(self, current: dict, changes: dict) -> dict | None:
        return self._write(lambda c: self.api.update_built(current, c), changes)

    @staticmethod
    def _write(verb, event: dict) -> dict | None:
        """Events are best effort, as in client-go's recorder: a refused write (say,
        into a namespace that is being terminated) is dropped, never raised at the
        controller or kubelet that recorded it."""
        try:
            return verb(event)
        except StatusError:
            return None

    def _suffix(self) -> str:
        """Hex nanoseconds since the Unix epoch, as client-go names events; a
        sequence number keeps two events of the same instant apart."""
        self._sequence += 1
        nanos = int((EPOCH.timestamp() + self.api.clock.now) * 1e9) + self._sequence
        return f"{nanos:x}"


def events_for(api, obj: dict) -> list[dict]:
    """Events about one object, least recently seen first: ``kubectl describe``
    sorts by last occurrence (``SortableEvents``), so a repeated event moves down."""
    meta = obj["metadata"]
    events = api.list("Event", meta.get("namespace") or "default")
    mine = [e for e in events if e["involvedObject"].get("uid") == meta.get("uid")
            and e["involvedObject"]["name"] == meta["name"]]
    return sorted(mine, key=lambda e: (e.get("lastTimestamp") or e.get("firstTimestamp") or "",
                                       e["metadata"]["name"]))
