"""Real peers for the fault suite (issue 19): a Redis server of the test's own, a small mail
server that can hang in the middle of a message, and the address of the test database for a
process started beside the test (a Celery worker, a web server)."""

from __future__ import annotations

import email
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import connection

REDIS_SERVER = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process on port {port} ended with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port}")


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, timeout=10)
    except RuntimeError:
        process.kill()
        raise
    return process


def test_database_url() -> str:
    """The URL of the database this test runs on (test_lev, or test_lev_gw1 under xdist)."""
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{s['NAME']}"


def django_env(**extra: str) -> dict[str, str]:
    """The environment of a Lev process started beside the test, on the test's database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lev.settings",
        "DATABASE_URL": test_database_url(),
        "LEV_MAILBOX": "0",
        "LEV_REQUIRE_MFA": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """A real Celery worker (one process, the solo pool) on the broker of `env`; what it
    prints goes to `log`, for the failure message of a test whose worker did not work."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lev", "worker", "--pool=solo",
             "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip


class MailServer:
    """An SMTP server that keeps every message it accepted. With `hang_at=n` it stops
    answering in the middle of the n-th message (after DATA, before accepting it), as a
    mail server does when the network or the sending worker goes away, and sets `hung`."""

    def __init__(self, *, hang_at: int | None = None):
        self.messages: list[email.message.Message] = []
        self.hang_at = hang_at
        self.hung = threading.Event()
        self.release = threading.Event()
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 lev-test ESMTP\r\n")
                while line := self.rfile.readline():
                    verb = line.strip().split(b" ")[0].upper()
                    if verb in (b"EHLO", b"HELO"):
                        self.wfile.write(b"250 lev-test\r\n")
                    elif verb == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = self._read_data()
                        if server.hang_at == len(server.messages) + 1:
                            server.hung.set()
                            server.release.wait(60)
                            return
                        server.messages.append(email.message_from_bytes(data))
                        self.wfile.write(b"250 accepted\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:  # MAIL, RCPT, RSET, NOOP
                        self.wfile.write(b"250 ok\r\n")

            def _read_data(self) -> bytes:
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                return b"".join(lines)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
