"""deploy/nginx.conf, as documented, in front of `policybot serve --http`: it is valid, passes
Slack's requests through, refuses bodies larger than Slack sends, and buffers slow ones so they
never reach the bot. Runs where nginx is installed (apt-get install nginx-light)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from runtime.fakeslack import FakeSlack
from tests.driver import SlackDriver
from tests.http_process import (
    free_port,
    open_connection,
    request_head,
    serve_http,
    status_of,
    unanswered,
    wait_until_answering,
)

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


@contextmanager
def nginx_in_front(bot_port: int) -> Iterator[int]:
    """nginx with deploy/nginx.conf (its upstream and port pointed here); yields its port."""
    assert NGINX is not None
    # Not under pytest's tmp_path: nginx's workers, perhaps another user, must reach it.
    workdir = Path(tempfile.mkdtemp(prefix="policybot-nginx-"))
    try:
        yield from _run_nginx(workdir, bot_port)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_nginx(workdir: Path, bot_port: int) -> Iterator[int]:
    assert NGINX is not None
    port = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    assert "server bot:3000;" in site and "listen 8080;" in site  # as compose.yaml runs it
    site = site.replace("server bot:3000;", f"server 127.0.0.1:{bot_port};")
    site = site.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    # Idle clients are held longer than the documented 5 s, so that a test's idle connections
    # are surely still held when it looks, however busy the machine.
    assert "client_body_timeout 5s;" in site
    site = site.replace("client_body_timeout 5s;", "client_body_timeout 120s;")
    workdir.chmod(0o777)
    (workdir / "site.conf").write_text(site, "utf-8")
    temps = "\n".join(
        f"    {kind}_temp_path {workdir / kind};" for kind in ("client_body", "proxy")
    )
    (workdir / "nginx.conf").write_text(
        f"""pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
{temps}
    include {workdir / "site.conf"};
}}
""",
        "utf-8",
    )
    command = [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=20)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process, seconds=10)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_nginx_as_documented_passes_slack_on_and_keeps_slow_and_huge_requests_off_the_bot(
    fake_slack: FakeSlack, db_url: str, tmp_path: Path
) -> None:
    settings = {"POLICYBOT_HTTP_THREADS": "4", "POLICYBOT_REQUEST_READ_TIMEOUT_MS": "30000"}
    with (
        serve_http(fake_slack, db_url, tmp_path, **settings) as bot,
        nginx_in_front(bot.port) as port,
    ):
        url = f"http://127.0.0.1:{port}/slack/events"
        # Twice the bot's threads in idle connections: nginx holds them, the bot never sees them.
        idle = [open_connection(port) for _ in range(8)]
        try:
            for sock in idle:
                sock.sendall(request_head(1_000_000) + b"payload=")
            # Had nginx passed them on, they would hold the bot's four threads until its 30 s
            # read deadline, and this would wait past the driver's 15 s (a failure's bound).
            answer = SlackDriver(url, fake_slack).command("UEMP0002", "help")
            assert answer.status == 200
            assert all(unanswered(sock) for sock in idle)  # answered while nginx held them
            assert "`/policy help [COMMAND]`" in fake_slack.wait_for("response_url").args["text"]
        finally:
            for sock in idle:
                sock.close()
        with open_connection(port) as huge:
            huge.sendall(request_head(10_000_000))
            assert status_of(huge) == 413  # nginx's, before the bot
        unsigned = SlackDriver(url, fake_slack).post_form({"command": "/policy"}, headers={})
        assert unsigned.status == 401  # the bot's own check, through the proxy
