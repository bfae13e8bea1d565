"""A minimal Language Server Protocol client over stdio, to drive yaml-language-server as an editor does.

The server comes from npm (``yaml-language-server``): found through ``POLICYCMP_YAML_LS`` (the path
of its executable), in ``.node/`` at the top of the repository (``npm install --prefix .node
yaml-language-server``, as .ci/run does), or on the PATH. Tests that need it skip when it or
node is missing, unless ``POLICYCMP_REQUIRE_CLIENTS`` is set: then they fail.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


def server_command() -> list[str]:
    """The command that starts yaml-language-server on stdio, or skip (fail when required)."""
    candidates = [
        os.environ.get("POLICYCMP_YAML_LS", ""),
        str(REPO / ".node" / "node_modules" / ".bin" / "yaml-language-server"),
    ]
    found = next((c for c in candidates if c and Path(c).is_file()), None) or shutil.which("yaml-language-server")
    node = shutil.which("node")
    if found is None or node is None:
        missing = "node" if node is None else "yaml-language-server (npm install --prefix .node yaml-language-server)"
        if os.environ.get("POLICYCMP_REQUIRE_CLIENTS"):
            pytest.fail(f"{missing} is not installed and POLICYCMP_REQUIRE_CLIENTS is set")
        pytest.skip(f"{missing} is not installed")
    return [found, "--stdio"]


class LanguageServer:
    """One server process; ``request`` waits for the answer, notifications are collected."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.answers: dict[int, Any] = {}
        self.notes: queue.Queue[dict[str, Any]] = queue.Queue()
        self.lock = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "completion": {
                            "completionItem": {"snippetSupport": False, "documentationFormat": ["plaintext"]}
                        },
                        "publishDiagnostics": {},
                    },
                    "workspace": {"configuration": True},
                },
            },
        )
        self.notify("initialized", {})
        # yaml-language-server reads its settings from the client; without schemas they come from modelines
        self.notify(
            "workspace/didChangeConfiguration",
            {
                "settings": {
                    "yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
                }
            },
        )

    # -- wire -----------------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request from the server: answer it
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [
                        {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
                        for _ in message["params"]["items"]
                    ]
                self._send({"id": message["id"], "result": result})
            elif "id" in message:
                with self.lock:
                    self.answers[message["id"]] = message
                    self.lock.notify_all()
            else:
                self.notes.put(message)

    def request(self, method: str, params: dict[str, Any], timeout: float = 30) -> Any:
        self.next_id += 1
        number = self.next_id
        self._send({"id": number, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.lock:
            while number not in self.answers:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise TimeoutError(f"no answer to {method}")
                self.lock.wait(left)
            answer = self.answers.pop(number)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    # -- editor actions -------------------------------------------------------------------------

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        body = path.read_text(encoding="utf-8") if text is None else text
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": body}}
        )
        return uri

    def completion_labels(self, uri: str, line: int, character: int) -> list[str]:
        """The labels offered at a 0-based position, in the server's order."""
        result = self.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        items = result["items"] if isinstance(result, dict) else (result or [])
        ordered = sorted(enumerate(items), key=lambda p: (p[1].get("sortText", ""), p[0]))
        return [item["label"] for _, item in ordered]

    def diagnostics_of(self, uris: list[str], timeout: float = 120) -> dict[str, list[dict[str, Any]]]:
        """The first diagnostics published for each of ``uris`` (opened just before, all at once)."""
        wanted = set(uris)
        found: dict[str, list[dict[str, Any]]] = {}
        deadline = time.monotonic() + timeout
        while wanted - set(found):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {sorted(wanted - set(found))[:3]}")
            note = self.notes.get(timeout=left)
            if note.get("method") == "textDocument/publishDiagnostics":
                uri = note["params"]["uri"]
                if uri in wanted and uri not in found:
                    found[uri] = list(note["params"]["diagnostics"])
        return found

    def diagnostics(self, uri: str, timeout: float = 20) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for ``uri`` (after it opened or changed)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {uri}")
            note = self.notes.get(timeout=left)
            if note.get("method") == "textDocument/publishDiagnostics" and note["params"]["uri"] == uri:
                return list(note["params"]["diagnostics"])

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=5)
            self.notify("exit", {})
            self.proc.wait(timeout=5)
        except (TimeoutError, RuntimeError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
