"""A real chat-completions server on loopback: the one stand-in the tests allow (for the LLM)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer: the message content, or an HTTP error status, after a delay;
    `raw` replaces the whole body (garbage, as a broken endpoint sends)."""

    content: str = ""
    status: int = 200
    delay_s: float = 0.0
    raw: bytes | None = None
    content_type: str = "application/json"


@dataclass
class ChatStub:
    """Answers POST /v1/chat/completions from a queue of replies and records each request."""

    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: Reply | None = None
    url: str = ""

    def reply(self, *contents: str) -> None:
        """Queue answers whose content is each string, in order."""
        self.replies.extend(Reply(content=c) for c in contents)

    def sql(self, *queries: str) -> None:
        """Queue answers that hold each query in a ```sql block with some prose around it."""
        self.reply(
            *(f"Here is the query:\n```sql\n{q}\n```\nIt answers the question." for q in queries)
        )

    def next_reply(self) -> Reply:
        if self.replies:
            return self.replies.popleft()
        if self.default is not None:
            return self.default
        return Reply(content="CANNOT_ANSWER: the stub has no reply queued")


def _handler(stub: ChatStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            stub.requests.append(
                {
                    "path": self.path,
                    "body": body,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                }
            )
            reply = stub.next_reply()
            if reply.delay_s:
                time.sleep(reply.delay_s)
            if reply.raw is not None:
                self._send_bytes(reply.status, reply.raw, reply.content_type)
                return
            if reply.status != 200:
                payload = {"error": {"message": "stub error", "type": "server_error"}}
                self._send(reply.status, payload)
                return
            self._send(
                200,
                {
                    "id": f"chatcmpl-{len(stub.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "stub"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply.content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            self._send_bytes(status, json.dumps(payload).encode(), "application/json")

        def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            if status == 429:
                self.send_header("retry-after", "0")
            self.end_headers()
            self.wfile.write(data)

    return Handler


class _Server(ThreadingHTTPServer):
    # Room for many clients connecting at once (the default backlog is 5).
    request_queue_size = 128


class ChatServer:
    """Context manager running a ChatStub on 127.0.0.1 on a free port."""

    def __init__(self) -> None:
        self.stub = ChatStub()
        self._server = _Server(("127.0.0.1", 0), _handler(self.stub))
        self._server.daemon_threads = True
        self.stub.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> ChatStub:
        self._thread.start()
        return self.stub

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
