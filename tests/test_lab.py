"""`make lab` starts JupyterLab and serves notebooks/ (the README's first command)."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_make_lab_serves_the_notebooks(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
            f"--ServerApp.port_retries=0")
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
        command = ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"]
    else:  # a conda user running pytest directly: the same server from this environment
        command = [sys.executable, "-m", "jupyter", "lab", "--ServerApp.root_dir=notebooks",
                   *args.split(), *(["--allow-root"] if os.geteuid() == 0 else [])]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "HOME": str(tmp_path)}
    log = open(tmp_path / "lab.log", "w+")
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = get(f"{base}/api/contents?token={token}")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError(f"JupyterLab did not start:\n{log.read()[-3000:]}") from None
                time.sleep(0.5)
        names = {item["name"] for item in json.loads(body)["content"]}
        assert status == 200
        assert "00_welcome.ipynb" in names
        assert {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} <= names
        status, page = get(f"{base}/lab?token={token}")
        assert status == 200 and b"JupyterLab" in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
