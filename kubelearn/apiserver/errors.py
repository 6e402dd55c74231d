"""One error type for everything the API server refuses.

Real Kubernetes answers every refused request with a ``Status`` object (code,
reason, message); kubectl turns it into ``Error from server (Reason): message``.
Keeping exactly that shape here means kubectl's printing rules work unchanged and
learners see the words a real cluster would show them.
"""
from __future__ import annotations


class StatusError(Exception):
    """A refused API request, shaped like a ``metav1.Status``."""

    def __init__(self, code: int, reason: str, message: str, *, causes: list | None = None,
                 kind: str = "", name: str = ""):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.causes = list(causes or [])
        self.kind = kind
        self.name = name

    def __repr__(self) -> str:
        return f"StatusError({self.code}, {self.reason!r}, {self.message!r})"

    def status(self) -> dict:
        """The ``Status`` object a real API server would send."""
        body = {"apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Failure",
                "message": self.message, "reason": self.reason, "code": self.code}
        if self.name or self.kind:
            body["details"] = {"name": self.name, "kind": self.kind}
        return body


def not_found(resource_ref: str, name: str) -> StatusError:
    """``deployments.apps "web" not found``."""
    return StatusError(404, "NotFound", f'{resource_ref} "{name}" not found', name=name)


def already_exists(resource_ref: str, name: str) -> StatusError:
    return StatusError(409, "AlreadyExists", f'{resource_ref} "{name}" already exists', name=name)


def conflict(resource_ref: str, name: str) -> StatusError:
    return StatusError(409, "Conflict",
                       f'Operation cannot be fulfilled on {resource_ref} "{name}": the object has '
                       "been modified; please apply your changes to the latest version and try again",
                       name=name)


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def invalid(kind: str, name: str, message: str, causes: list) -> StatusError:
    """422: ``message`` is the text kubectl prints (see ``validation.invalid_message``)."""
    return StatusError(422, "Invalid", message, causes=causes, kind=kind, name=name)


def forbidden(message: str) -> StatusError:
    return StatusError(403, "Forbidden", message)
