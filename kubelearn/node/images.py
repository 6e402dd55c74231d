"""The images a kubelearn cluster can pull, as data.

Two groups: what the cluster itself runs (the kubeadm control-plane images,
CoreDNS, kube-proxy, the pause image, minikube's storage provisioner) and the
course's images (``nginx``, ``busybox``, ``kubelearn/hello``, the notes' story
app ``kubelearn/story`` and the placeholder names the notes use,
``repo/my-docker-image`` and friends).

Each image carries an ``app``: a plain dict saying how the program inside
behaves. ``ports`` and ``http.routes`` are what ``curl`` will reach, ``logs``
what ``kubectl logs`` prints (``{time}``, ``{hostname}`` and ``{version}`` are
filled in when the container runs), ``on_sigterm`` whether the process exits
when asked (``"exit"``, after ``stop_seconds``) or ignores it and is killed
when the grace period ends (``"ignore"``, as ``sleep`` under ``sh`` does).
``files`` and ``dirs`` are the image's filesystem (what ``kubectl exec ... ls``
shows), ``workdir`` its WORKDIR, ``env`` its ENV, and ``base`` the distribution
its shell and tools come from (``busybox`` for alpine/busybox, ``debian`` for
coreutils and dash, ``scratch`` for images with no shell at all).
Nothing here is code, so a lesson can ``registry.push`` its own image with
its own behaviour.

Sizes and pull times are those of the real images (compressed, as the runtime
reports them), rounded; pull times assume a ~20 MB/s link.
"""
from __future__ import annotations

from kubelearn.bootstrap_objects import (CONTROL_PLANE_COMPONENTS, COREDNS_IMAGE, KUBE_PROXY_IMAGE,
                                         REGISTRY, STORAGE_PROVISIONER_IMAGE)
from kubelearn.node.course_apps import api_images
from kubelearn.node.registry import Image, parse_reference

NGINX_WELCOME = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

NGINX_NOT_FOUND = """<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/{version}</center>
</body>
</html>
"""

_NGINX_STARTUP = [
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
    "configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of "
    "/etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in "
    "/etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
    "{time:nginx} [notice] 1#1: using the \"epoll\" event method",
    "{time:nginx} [notice] 1#1: nginx/{version}",
    "{time:nginx} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
    "{time:nginx} [notice] 1#1: OS: Linux {kernel}",
    "{time:nginx} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
    "{time:nginx} [notice] 1#1: start worker processes",
    "{time:nginx} [notice] 1#1: start worker process 29",
]


def nginx_app(version: str) -> dict:
    return {
        "kind": "http",
        "version": version,
        "command": ["/docker-entrypoint.sh"],
        "args": ["nginx", "-g", "daemon off;"],
        "ports": [{"containerPort": 80, "protocol": "TCP"}],
        "http": {"port": 80,
                 "routes": {"/": {"status": 200, "content_type": "text/html",
                                  "body": NGINX_WELCOME},
                            "/index.html": {"status": 200, "content_type": "text/html",
                                            "body": NGINX_WELCOME}},
                 "not_found": {"status": 404, "content_type": "text/html",
                               "body": NGINX_NOT_FOUND}},
        "logs": {"startup": list(_NGINX_STARTUP),
                 "access": '{client} - - [{time:clf}] "{method} {path} HTTP/1.1" {status} '
                           '{bytes} "-" "{user_agent}" "-"'},
        "files": {"/usr/share/nginx/html/index.html": NGINX_WELCOME,
                  "/docker-entrypoint.sh": "#!/bin/sh\n"},
        "dirs": ["/etc/nginx", "/etc/nginx/conf.d", "/docker-entrypoint.d", "/var/cache/nginx"],
        "base": "debian",
        "binaries": ["curl"], "curl": "7.88.1",   # the Dockerfile installs gettext-base curl
        "on_sigterm": "exit", "stop_seconds": [0.1, 0.5],
    }


def hello_app(version: str) -> dict:
    """kubelearn/hello: the course's own small web app, one behaviour per tag."""
    return {
        "kind": "http",
        "version": version,
        "command": ["/hello"],
        "ports": [{"containerPort": 8080, "protocol": "TCP"}],
        "http": {"port": 8080,
                 "routes": {"/": {"status": 200, "content_type": "text/plain",
                                  "body": "Hello from kubelearn/hello v{version}! "
                                          "I am pod {hostname}.\n"},
                            "/healthz": {"status": 200, "content_type": "text/plain",
                                         "body": "ok\n"},
                            "/version": {"status": 200, "content_type": "text/plain",
                                         "body": "{version}\n"},
                            "/error": {"crash": True, "exit_code": 1,
                                       "log": "panic: /error was requested, exiting"}},
                 "not_found": {"status": 404, "content_type": "text/plain",
                               "body": "404 page not found\n"}},
        "env": {"HELLO_VERSION": version},
        "base": "busybox",
        "binaries": ["wget", "nslookup"],           # busybox applets
        "files": {"/hello": ""},
        "logs": {"startup": ["{time:go} hello v{version} listening on :8080 as {hostname}"],
                 "access": "{time:go} {method} {path} {status} from {client}"},
        "on_sigterm": "exit", "stop_seconds": [0.05, 0.3],
    }


def placeholder_app(name: str) -> dict:
    """The example images of the notes (``repo/my-docker-image``): a web app on 8080."""
    return {
        "kind": "http",
        "version": "1.0.0",
        "command": ["node", "server.js"],
        "ports": [{"containerPort": 8080, "protocol": "TCP"}],
        "http": {"port": 8080,
                 "routes": {"/": {"status": 200, "content_type": "text/plain",
                                  "body": f"Hello from {name}!\n"},
                            "/some/specific/path": {"status": 200, "content_type": "text/plain",
                                                    "body": "OK\n"}},
                 "not_found": {"status": 404, "content_type": "text/plain",
                               "body": "Cannot GET {path}\n"}},
        "logs": {"startup": ["Server listening on port 8080"],
                 "access": "{method} {path} {status}"},
        "base": "debian", "workdir": "/app",
        "binaries": ["curl", "wget"], "curl": "7.88.1",   # node's full Debian image
        "files": {"/app/server.js": "// the placeholder web app of the notes\n"},
        "on_sigterm": "exit", "stop_seconds": [0.1, 0.4],
    }


EXPRESS_NOT_FOUND = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Error</title>
</head>
<body>
<pre>Cannot {method} {path}</pre>
</body>
</html>
"""

STORY_APP_JS = """const path = require('path');
const fs = require('fs');

const express = require('express');
const bodyParser = require('body-parser');

const app = express();

const filePath = path.join(__dirname, process.env.STORY_FOLDER || 'story', 'text.txt');

app.use(bodyParser.json());

app.get('/story', (req, res) => {
  fs.readFile(filePath, (err, data) => {
    if (err) {
      return res.status(500).json({ message: 'Failed to open file.' });
    }
    res.status(200).json({ story: data.toString() });
  });
});

app.post('/story', (req, res) => {
  const newText = req.body.text;
  if (newText.trim().length === 0) {
    return res.status(422).json({ message: 'Text must not be empty!' });
  }
  fs.appendFile(filePath, newText + '\\n', (err) => {
    if (err) {
      return res.status(500).json({ message: 'Storing the text failed.' });
    }
    res.status(201).json({ message: 'Text was stored!' });
  });
});

app.get('/error', () => {
  process.exit(1);
});

app.listen(3000);
"""

STORY_FILE = "{env:STORY_FOLDER:story}/text.txt"


def story_app(version: str) -> dict:
    """kubelearn/story: the notes' story app (an express server in ``/app`` on
    node:14-alpine, port 3000). ``GET /story`` answers ``{"story": <text.txt>}`` or 500
    ``Failed to open file.``; ``POST /story`` with ``{"text": ...}`` appends a line to
    ``/app/<STORY_FOLDER>/text.txt`` (default folder ``story``) and answers 201
    ``{"message":"Text was stored!"}`` (422 for an empty text, 500 when the folder is
    missing); ``GET /error`` ends the process with exit code 1. The file is in the
    container's filesystem, so it survives exactly as long as what is mounted at
    ``/app/story`` (nothing: until the container restarts)."""
    return {
        "kind": "http",
        "version": version,
        "base": "busybox",
        "workdir": "/app",
        "command": ["docker-entrypoint.sh"],
        "args": ["node", "app.js"],
        "ports": [{"containerPort": 3000, "protocol": "TCP"}],
        "http": {"port": 3000, "uses_files": True,
                 "headers": {"X-Powered-By": "Express"},
                 "routes": {
                     "/story": {"methods": {
                         "GET": {"read_file": STORY_FILE, "workdir": "/app", "json_key": "story",
                                 "status": 200,
                                 "error": {"status": 500,
                                           "json": {"message": "Failed to open file."}}},
                         "POST": {"append_field": "text", "to": STORY_FILE, "workdir": "/app",
                                  "status": 201, "json": {"message": "Text was stored!"},
                                  "empty": {"status": 422,
                                            "json": {"message": "Text must not be empty!"}},
                                  "error": {"status": 500,
                                            "json": {"message": "Storing the text failed."}}}}},
                     "/error": {"methods": {"GET": {"crash": True, "exit_code": 1, "log": ""}}}},
                 "not_found": {"status": 404, "content_type": "text/html; charset=utf-8",
                               "body": EXPRESS_NOT_FOUND}},
        "files": {"/app/app.js": STORY_APP_JS,
                  "/app/package.json": '{\n  "name": "data-demo",\n  "version": "1.0.0",\n'
                                       '  "main": "app.js",\n  "dependencies": {\n'
                                       '    "body-parser": "^1.19.0",\n'
                                       '    "express": "^4.17.1"\n  }\n}\n',
                  "/app/story/text.txt": "",
                  "/usr/local/bin/docker-entrypoint.sh": "#!/bin/sh\n"},
        "dirs": ["/app/node_modules"],
        "env": {"NODE_VERSION": "14.21.3", "YARN_VERSION": "1.22.19"},
        "binaries": ["wget", "nslookup"], "libc": "musl",   # alpine's busybox applets
        "logs": {"startup": []},
        "on_sigterm": "ignore",   # node as PID 1 has no SIGTERM handler: killed at the grace period
    }


BUSYBOX_APP = {
    "kind": "shell",
    "base": "busybox",
    "binaries": ["wget", "nslookup"],   # the network applets kubelearn simulates (no curl)
    "command": ["sh"],        # no command and no TTY: sh exits at once (a classic CrashLoop)
    "ports": [],
    "logs": {"startup": []},
    "on_sigterm": "ignore",   # sh/sleep as PID 1 ignore SIGTERM: killed after the grace period
}


CURL_ENTRYPOINT = """#!/bin/sh
set -e

if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ]; then
  set -- curl "$@"
fi

exec "$@"
"""


def curl_app(version: str) -> dict:
    """curlimages/curl: curl on alpine, run as ``curl_user`` in /home/curl_user.
    ENTRYPOINT ["/entrypoint.sh"], CMD ["curl"]: the entrypoint puts ``curl`` in front
    of arguments that start with ``-`` or are not a command, so ``kubectl run c
    --image=curlimages/curl -- -s http://web`` and ``-- curl -s http://web`` both run
    curl (``entrypoint_program``). Alpine's busybox ``wget`` and ``nslookup`` are there
    too. Without arguments curl only says how to get help, and exits 2."""
    return {
        "kind": "shell",
        "base": "busybox", "libc": "musl",
        "version": version, "curl": version,
        "command": ["curl"],
        "entrypoint_program": "curl",
        "binaries": ["curl", "wget", "nslookup"],
        "workdir": "/home/curl_user",
        "dirs": ["/home/curl_user"],
        "files": {"/entrypoint.sh": CURL_ENTRYPOINT},
        "env": {"CURL_CA_BUNDLE": "/cacert.pem"},
        "ports": [],
        "logs": {"startup": []},
        "on_sigterm": "ignore",   # curl or sleep as PID 1: no handler, killed at the grace period
    }


def system_app(component: str, ports: list[dict] | None = None) -> dict:
    """A cluster component: it runs, listens where its manifest says, and stops on SIGTERM."""
    return {"kind": "system", "component": component, "ports": ports or [], "base": "scratch",
            "logs": {"startup": []}, "on_sigterm": "exit", "stop_seconds": [0.2, 1.0]}


# (reference, size in bytes, pull seconds, app); the references are the ones
# the bootstrap manifests use, so the two can never disagree.
_CP_SIZES = {"etcd": (57_680_541, 3.4), "kube-apiserver": (28_671_624, 1.9),
             "kube-controller-manager": (26_259_392, 1.8), "kube-scheduler": (20_657_536, 1.5)}
_SYSTEM = [(image, *_CP_SIZES[component], system_app(component))
           for component, image in CONTROL_PLANE_COMPONENTS]
_SYSTEM += [
    (KUBE_PROXY_IMAGE, 30_907_858, 2.1, system_app("kube-proxy")),
    (COREDNS_IMAGE, 18_562_039, 1.4,
     system_app("coredns", [{"containerPort": 53, "protocol": "UDP"},
                            {"containerPort": 53, "protocol": "TCP"},
                            {"containerPort": 9153, "protocol": "TCP"}])),
    (f"{REGISTRY}/pause:3.10", 320_368, 0.4, system_app("pause")),
    (STORAGE_PROVISIONER_IMAGE, 9_058_936, 0.9, system_app("storage-provisioner")),
]

_NGINX = [("1.25", "1.25.5", 72_950_530, 4.1), ("1.26", "1.26.3", 72_099_501, 4.0),
          ("1.27", "1.27.5", 72_404_038, 4.0), ("latest", "1.27.5", 72_404_038, 4.0)]
_BUSYBOX = [("1.36", 2_159_752, 0.7), ("latest", 2_156_082, 0.7)]
_CURL = [("8.11.1", "8.11.1", 10_466_311, 0.9), ("latest", "8.11.1", 10_466_311, 0.9)]
_HELLO = [("1", 6_423_112), ("2", 6_431_840), ("3", 6_437_215)]
_STORY = [("1", 41_873_204)]
_PLACEHOLDERS = [("repo/my-docker-image:latest", 45_218_774), ("repo/new-image-name:latest",
                 45_302_118), ("repo/my-image-name:latest", 45_287_430)]

# Images already on a node before any pod asks for them: kubeadm pre-pulls its
# control-plane images on the control-plane node; minikube's preload tarball
# holds every system image.
KUBEADM_PRELOADED = [ref for ref, *_ in _SYSTEM if ref.startswith(f"{REGISTRY}/")]
MINIKUBE_PRELOADED = [ref for ref, *_ in _SYSTEM]


def _image(ref: str, size: int, pull_seconds: float, app: dict) -> Image:
    parsed = parse_reference(ref)
    return Image(parsed.repository, parsed.tag, size, pull_seconds, app)


def course_images() -> list[Image]:
    """Every image of a fresh registry."""
    images = [_image(ref, size, secs, app) for ref, size, secs, app in _SYSTEM]
    images += [_image(f"nginx:{tag}", size, secs, nginx_app(version))
               for tag, version, size, secs in _NGINX]
    images += [_image(f"busybox:{tag}", size, secs, dict(BUSYBOX_APP))
               for tag, size, secs in _BUSYBOX]
    images += [_image(f"curlimages/curl:{tag}", size, secs, curl_app(version))
               for tag, version, size, secs in _CURL]
    images += [_image(f"kubelearn/hello:{tag}", size, 0.8, hello_app(tag))
               for tag, size in _HELLO]
    images += [_image(ref, size, 2.8, placeholder_app(ref.split(":")[0]))
               for ref, size in _PLACEHOLDERS]
    images += [_image(f"kubelearn/story:{tag}", size, 2.1, story_app(tag)) for tag, size in _STORY]
    images += [_image(ref, size, secs, app) for ref, size, secs, app in api_images()]
    return images
