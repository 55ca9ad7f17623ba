"""A hub-shaped HTTP server on 127.0.0.1: it answers what huggingface_hub's `model_info` and
`snapshot_download` ask (revision info, file tree, HEAD and GET of resolved files), and records
every request, so tests see what a real client downloaded.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse


@dataclass
class Repo:
    files: dict[str, bytes]
    commit: str = "1" * 40
    refs: dict[str, str] = field(default_factory=dict)

    def at(self, revision: str) -> str | None:
        return self.commit if revision in (self.commit, "main", *self.refs) else None


class HubServer:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[tuple[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> HubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()

    def downloaded(self, repo_id: str) -> set[str]:
        """File names the client fetched (GET) from a repository."""
        prefix = f"/{repo_id}/resolve/"
        return {path.split("/resolve/", 1)[1].split("/", 1)[1] for method, path in self.requests
                if method == "GET" and path.startswith(prefix)}


def _handler(hub: HubServer):
    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self):  # noqa: N802
            self._answer(body=False)

        def do_GET(self):  # noqa: N802
            self._answer(body=True)

        def _answer(self, body: bool) -> None:
            path = unquote(urlparse(self.path).path)
            hub.requests.append((self.command, path))
            if path.startswith("/api/models/"):
                return self._api(path.removeprefix("/api/models/"))
            repo_id, _, rest = path.lstrip("/").partition("/resolve/")
            revision, _, name = rest.partition("/")
            repo = hub.repos.get(repo_id)
            if repo is None or repo.at(revision) is None or name not in repo.files:
                return self._json({"error": "Entry not found"}, 404, {"X-Error-Code": "EntryNotFound"})
            data = repo.files[name]
            self.send_response(200)
            self.send_header("X-Repo-Commit", repo.commit)
            self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

        def _api(self, rest: str) -> None:
            org, name, kind, *tail = rest.split("/")
            repo = hub.repos.get(f"{org}/{name}")
            revision = tail[0] if tail else "main"
            if repo is None:
                return self._json({"error": "Repository not found"}, 404, {"X-Error-Code": "RepoNotFound"})
            if repo.at(revision) is None:
                return self._json({"error": "Invalid rev id"}, 404, {"X-Error-Code": "RevisionNotFound"})
            if kind == "revision":
                return self._json({"id": f"{org}/{name}", "modelId": f"{org}/{name}", "sha": repo.commit,
                                   "siblings": [{"rfilename": f} for f in sorted(repo.files)], "private": False})
            if kind == "tree":
                return self._json([{"type": "file", "path": f, "size": len(d), "oid": hashlib.sha1(d).hexdigest()}
                                   for f, d in sorted(repo.files.items())])
            self._json({"error": "not here"}, 404)

        def _json(self, data, status: int = 200, headers: dict | None = None) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(raw)

        def log_message(self, *args) -> None:
            pass

    return Handler
