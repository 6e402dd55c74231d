"""AWS errors made by the course's checks, as the service would send them.

A ``before-call`` hook that returns ``(http_response, parsed)`` ends the call
there: botocore then raises the modelled exception class for ``Code`` (for
example ``eks.exceptions.InvalidParameterException``), the AWS CLI prints
``An error occurred (Code) when calling the Op operation: message`` and exits
255, and moto never sees the request, so nothing changes.
"""
from __future__ import annotations

from botocore.awsrequest import AWSResponse


class RawBody:
    """The smallest raw body botocore's AWSResponse accepts."""

    def stream(self, **_):
        yield b""


def error_response(code: str, message: str, status: int = 400) -> tuple:
    http = AWSResponse("https://simulated.amazonaws.com/", status, {}, RawBody())
    parsed = {"Error": {"Code": code, "Message": message},
              "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {}}}
    return http, parsed


class Refusal(Exception):
    """Raised inside a check: the call fails with this AWS error code and message."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
