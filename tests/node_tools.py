"""Third-party Node clients the tests check qmskit's output with, installed once into a cache folder.

`bash dev.sh setup` installs them into .venv/node/ (from tests/node/package-lock.json); a test run that finds them
missing installs them there itself with `npm ci`, so CI pays for the download once per cache. Without npm, or
when the registry cannot be reached, the tests that need them are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "tests" / "node"
CACHE = Path(os.environ.get("QMS_NODE_TOOLS", REPO / ".venv" / "node"))
_lock = threading.Lock()


def node_bin(name: str) -> Path:
    """The path of an installed tool's command, installing the tool set first if needed (or skip)."""
    with _lock:
        if not _current():
            _install()
    path = CACHE / "node_modules" / ".bin" / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in {CACHE}")
    return path


def _current() -> bool:
    installed = CACHE / "node_modules" / ".package-lock.json"
    wanted = SPEC / "package-lock.json"
    return installed.is_file() and (CACHE / "package-lock.json").is_file() and \
        (CACHE / "package-lock.json").read_bytes() == wanted.read_bytes()


def _install() -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed (bash dev.sh setup installs the Node tools)")
    CACHE.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(SPEC / name, CACHE / name)
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(CACHE)], capture_output=True,
                          text=True, timeout=600, check=False)
    if done.returncode != 0:
        pytest.skip(f"npm ci failed: {done.stderr[-500:]}")
    # npm 11 does not run install scripts it was not told to trust; the multitool's only makes its binary executable
    for binary in (CACHE / "node_modules" / "@microsoft").glob("sarif-multitool-*/Sarif.Multitool"):
        binary.chmod(0o755)


class LanguageServer:
    """A minimal Language Server Protocol client over a child process's stdio (JSON-RPC with Content-Length)."""

    def __init__(self, command: list[str], settings: dict[str, Any]) -> None:
        self.settings = settings
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.messages: Queue[dict[str, Any]] = Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            self._read_messages()
        except (OSError, ValueError):  # the stream was closed under us at shutdown
            return

    def _read_messages(self) -> None:
        assert self.process.stdout is not None
        stream = self.process.stdout
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, payload: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **payload}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, wanted: str | int, timeout: float = 60) -> dict[str, Any]:
        """The next message that is the notification `wanted` (a method) or the response to request `wanted`,
        answering the server's own requests (configuration, registrations) on the way."""
        while True:
            try:
                message = self.messages.get(timeout=timeout)
            except Empty:
                raise AssertionError(f"the language server sent no {wanted!r} within {timeout} s") from None
            if "method" in message and "id" in message:  # a request from the server
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [self.settings.get(item.get("section", ""), None)
                              for item in message["params"]["items"]]
                self.send({"id": message["id"], "result": result})
            elif message.get("method") == wanted or ("method" not in message and message.get("id") == wanted):
                return message

    def close(self) -> None:
        try:
            self.wait_for(self.request("shutdown", {}), timeout=10)
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()


@contextmanager
def yaml_language_server(root: Path) -> Iterator[LanguageServer]:
    """The real yaml-language-server, initialised on `root`, with no schema store (offline) and validation on."""
    settings = {"yaml": {"validate": True, "schemaStore": {"enable": False}, "schemas": {}, "format": {},
                         "hover": True, "completion": True}}
    server = LanguageServer([str(node_bin("yaml-language-server")), "--stdio"], settings)
    try:
        ready = server.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                              "capabilities": {"workspace": {"configuration": True}},
                                              "workspaceFolders": [{"uri": root.as_uri(), "name": "manual"}]})
        server.wait_for(ready)
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration", {"settings": settings})
        yield server
    finally:
        server.close()


def diagnostics_of(server: LanguageServer, path: Path) -> list[dict[str, Any]]:
    """Open a file in the server and return the diagnostics it publishes for it."""
    uri = path.as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                             "text": path.read_text(encoding="utf-8")}})
    while True:
        published = server.wait_for("textDocument/publishDiagnostics")
        if published["params"]["uri"] == uri:
            return list(published["params"]["diagnostics"])
