"""The page's static files, read once: content types, a version hash, gzip on demand.

Files are served under `/static/<version>/...`, the version being a hash of every file, so
they can be cached for a year (`immutable`) and a new release is fetched at once. Text files
are gzipped the first time a browser asks for them and kept compressed in memory; the JSON
API is left alone.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
COMPRESSIBLE = (".js", ".css", ".svg", ".txt", ".json")
# Below this, gzip saves less than its own header costs.
MIN_COMPRESS_BYTES = 1024


@dataclass(frozen=True)
class Asset:
    """One static file: its bytes and content type."""

    body: bytes
    content_type: str
    compressible: bool


class StaticAssets:
    """Every file under a folder, by its relative path; only these can ever be served."""

    def __init__(self, root: Path = STATIC_DIR) -> None:
        self.files: dict[str, Asset] = {}
        digest = hashlib.sha256()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.suffix not in CONTENT_TYPES:
                continue
            name = path.relative_to(root).as_posix()
            body = path.read_bytes()
            digest.update(name.encode() + b"\0" + body)
            self.files[name] = Asset(body, CONTENT_TYPES[path.suffix], path.suffix in COMPRESSIBLE)
        self.version = digest.hexdigest()[:12]
        self._gzipped: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Asset | None:
        """The file at `name` (a relative path), or None."""
        return self.files.get(name)

    def gzipped(self, name: str) -> bytes | None:
        """The file's gzip form when compressing it pays, else None."""
        asset = self.files[name]
        if not asset.compressible or len(asset.body) < MIN_COMPRESS_BYTES:
            return None
        with self._lock:
            cached = self._gzipped.get(name)
            if cached is None:
                cached = self._gzipped[name] = gzip.compress(asset.body, mtime=0)
            return cached
