"""The sample service answers its health check and its greeting (run for real on loopback)."""

import json
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration  # a real server on loopback

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "app"))
import server


@pytest.fixture
def running(monkeypatch):
    monkeypatch.setenv("GREETING", "hello from test")
    srv = server.make_server(0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def get(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.status, json.loads(response.read())


def test_health_answers_200(running):
    assert get(running, "/health") == (200, {"status": "ok"})


def test_root_answers_the_configured_greeting(running):
    status, body = get(running, "/")
    assert status == 200 and body["message"] == "hello from test"


def test_unknown_path_is_404(running):
    with pytest.raises(urllib.error.HTTPError) as err:
        get(running, "/nope")
    assert err.value.code == 404


def test_check_mode_exit_code_follows_the_server(running):
    assert server.check(running) == 0
    free = server.make_server(0)
    port = free.server_address[1]
    free.server_close()
    assert server.check(port) == 1


def test_dockerfile_runs_as_the_non_root_user_the_stack_declares():
    dockerfile = (Path(__file__).resolve().parents[2] / "app" / "Dockerfile").read_text()
    assert "USER 10001" in dockerfile
    dev = (Path(__file__).resolve().parents[2] / "Pulumi.dev.yaml").read_text()
    assert 'user: "10001"' in dev
