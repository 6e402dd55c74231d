"""The course's three small APIs for chapter 4: ``auth-api``, ``users-api``, ``tasks-api``.

The notes' networking section talks about an app that calls ``auth-service``:
by the IP address in ``AUTH_SERVICE_SERVICE_HOST``, or by the DNS name
``auth-service.default``. These images make that runnable:

* ``kubelearn/auth-api:1`` (port 80) hands out and checks tokens, and says which
  pod answered (``issuedBy``, ``verifiedBy``) so a learner can watch a Service
  spread requests over its pods.
* ``kubelearn/users-api:1`` (port 8080): ``/login`` asks ``http://$AUTH_ADDRESS/token``.
  With ``AUTH_ADDRESS=localhost`` it reaches an auth container in the same pod
  (4.1); with ``AUTH_ADDRESS=auth-service.default`` it goes through DNS (4.2.2).
* ``kubelearn/tasks-api:1`` (port 8000): ``/tasks`` asks
  ``http://$AUTH_SERVICE_SERVICE_HOST/verify-token``, the variable the kubelet
  sets only for Services that existed when the container started (4.2.1).

An unset variable reads ``undefined`` (JavaScript), so a missing address ends
in ``getaddrinfo ENOTFOUND undefined``, as the real Node.js app would say.
They are Node.js apps on Debian: ``curl`` (7.88.1) and ``wget`` are in the image.
"""
from __future__ import annotations

_NODE_FILES_DIRS = ["/app/node_modules"]


def _node_api(name: str, port: int, routes: dict, version: str) -> dict:
    return {
        "kind": "http",
        "version": version,
        "base": "debian",
        "workdir": "/app",
        "command": ["docker-entrypoint.sh"],
        "args": ["node", "app.js"],
        "ports": [{"containerPort": port, "protocol": "TCP"}],
        "http": {"port": port, "headers": {"X-Powered-By": "Express"},
                 "routes": {"/healthz": {"status": 200, "json": {"status": "ok"}}, **routes},
                 "not_found": {"status": 404, "content_type": "text/html; charset=utf-8",
                               "body": "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                                       "<meta charset=\"utf-8\">\n<title>Error</title>\n"
                                       "</head>\n<body>\n<pre>Cannot {method} {path}</pre>\n"
                                       "</body>\n</html>\n"}},
        "files": {"/app/app.js": f"// {name}: see kubelearn/node/course_apps.py\n",
                  "/usr/local/bin/docker-entrypoint.sh": "#!/bin/sh\n"},
        "dirs": list(_NODE_FILES_DIRS),
        "env": {"NODE_VERSION": "18.20.8"},
        "binaries": ["curl", "wget"],
        "curl": "7.88.1",
        "logs": {"startup": [f"{name} listening on port {port}"],
                 "access": "{method} {path} {status}"},
        "on_sigterm": "ignore",   # node as PID 1: killed when the grace period ends
    }


def auth_app(version: str) -> dict:
    return _node_api("auth-api", 80, {
        "/": {"status": 200, "json": {"service": "auth-api", "pod": "{hostname}"}},
        "/token": {"status": 200, "json": {"token": "abc", "issuedBy": "{hostname}"}},
        "/verify-token": {"status": 200,
                          "json": {"message": "Valid token.", "verifiedBy": "{hostname}"}},
    }, version)


def users_app(version: str) -> dict:
    return _node_api("users-api", 8080, {
        "/": {"status": 200, "json": {"service": "users-api", "pod": "{hostname}"}},
        "/login": {"methods": {method: {
            "call": {"method": "GET", "url": "http://{env:AUTH_ADDRESS:undefined}/token"},
            "status": 200, "json": {"message": "User logged in.", "pod": "{hostname}"},
            "keep": ["token", "issuedBy"],
            "error": {"status": 500, "json": {"message": "Logging in failed.",
                                              "error": "{error}"}}}
            for method in ("GET", "POST")}},
    }, version)


def tasks_app(version: str) -> dict:
    return _node_api("tasks-api", 8000, {
        "/": {"status": 200, "json": {"service": "tasks-api", "pod": "{hostname}"}},
        "/tasks": {"methods": {"GET": {
            "call": {"method": "GET",
                     "url": "http://{env:AUTH_SERVICE_SERVICE_HOST:undefined}/verify-token"},
            "status": 200, "json": {"tasks": [{"title": "Learn Kubernetes networking"},
                                              {"title": "Wire tasks-api to auth-api"}],
                                    "pod": "{hostname}"},
            "keep": ["verifiedBy"],
            "error": {"status": 500, "json": {"message": "Loading the tasks failed.",
                                              "error": "{error}"}}}}},
    }, version)


# (reference, compressed size, pull seconds, app)
def api_images() -> list[tuple[str, int, float, dict]]:
    return [("kubelearn/auth-api:1", 62_310_442, 3.1, auth_app("1")),
            ("kubelearn/users-api:1", 62_318_907, 3.1, users_app("1")),
            ("kubelearn/tasks-api:1", 62_315_260, 3.1, tasks_app("1"))]
