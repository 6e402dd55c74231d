"""Dates on the simulated clock, so two runs print the same thing.

moto stamps resources with the wall clock (a role's ``CreateDate``, a stack's
``CreationTime``, a file system's ``CreationTime``). An after-call hook on every
client replaces each wall-clock datetime in a response by the simulated time at
which it was first seen (the create call's answer, as a rule), and remembers the
pair, so later describes print the same date. botocore's random idempotency
tokens echoed back (EKS ``clientRequestToken``) become a digest of the ARN.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta, timezone

from kubelearn.clock import EPOCH

WALL_CLOCK_WINDOW = timedelta(days=2)


class Timestamps:
    def __init__(self, aws):
        self.aws = aws
        self.seen: dict[datetime, datetime] = {}

    def register(self, client) -> None:
        client.meta.events.register("after-call", self._after_call,
                                    unique_id="kubelearn-timestamps")

    def _simulated(self, value: datetime) -> datetime:
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = EPOCH + timedelta(seconds=self.aws.now)
        return found

    def _walk(self, value, wall: datetime):
        if isinstance(value, dict):
            if "clientRequestToken" in value and "arn" in value:
                digest = hashlib.sha256(value["arn"].encode()).digest()[:16]
                value["clientRequestToken"] = str(uuid.UUID(bytes=digest))
            for key, item in value.items():
                value[key] = self._walk(item, wall)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                value[i] = self._walk(item, wall)
        elif isinstance(value, datetime):
            stamp = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
            if abs(stamp - wall) < WALL_CLOCK_WINDOW:
                return self._simulated(stamp)
        return value

    def _after_call(self, http_response, parsed, **_):
        if http_response.status_code < 300:
            self._walk(parsed, datetime.now(timezone.utc))   # only to recognise moto's dates
