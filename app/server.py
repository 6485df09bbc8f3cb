"""Sample service: answers `/` with a greeting and `/health` for the load balancer.

Standard library only; writes nothing to disk, so it runs on a read-only root filesystem
as a non-root user. SIGTERM (sent by ECS on deploys and Spot interruptions) stops it
cleanly. `server.py --check` is the container health check: it exits 0 when the server
answers `/health` on localhost.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "8080"))


class Handler(BaseHTTPRequestHandler):
    server_version = "sample/1"

    def do_GET(self) -> None:
        if self.path == "/health":
            self._send(200, {"status": "ok"})
        elif self.path in ("/", ""):
            self._send(200, {"message": os.environ.get("GREETING", "hello"),
                             "task": os.environ.get("ECS_CONTAINER_METADATA_URI_V4", "local").rsplit("/", 1)[-1]})
        else:
            self._send(404, {"error": "not found"})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt: str, *args) -> None:
        # One line per request on stdout, which ECS ships to CloudWatch Logs.
        print(f"{self.address_string()} {fmt % args}", flush=True)


def make_server(port: int = PORT) -> ThreadingHTTPServer:
    return ThreadingHTTPServer(("0.0.0.0", port), Handler)


def check(port: int = PORT) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


def main() -> int:
    if "--check" in sys.argv:
        return check()
    server = make_server()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"listening on :{PORT}", flush=True)
    server.serve_forever()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
