"""A small content-addressed cache of verified results (HermiT's verdict, the validation report, the rules
engine's closure), so that a rerun on unchanged inputs does not compute them again.

    cache = ResultCache.from_environment()         # None when HEALTHKG_CACHE_DIR is "" (off)
    key = digest(b"hermit", document, jar_digest)  # exactly what the result was computed from
    entry = cache.get("hermit", key)               # None: not there, or unreadable (recompute)
    cache.put("hermit", key, {"confirmed": True})  # only results that were verified

An entry is one JSON file, <folder>/<kind>/<key>.json, holding its kind, its key, when it was computed and
the value. It is written to a temporary file and renamed into place (os.replace), so a reader sees a whole
entry or none. It is read defensively: an entry that is unreadable, not JSON, or names another kind or key
is ignored with a note and recomputed, never trusted. Each kind keeps its `keep` most recently used
entries; older ones are removed when a new one is written. The cache never fails a build: an unwritable
folder is noted once and the result simply not kept.

The folder: $HEALTHKG_CACHE_DIR, else the user's cache folder (platformdirs: ~/.cache/healthkg on Linux).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from platformdirs import user_cache_dir

ENVIRONMENT = "HEALTHKG_CACHE_DIR"
KEEP = 8                   # entries kept per kind: a few inputs a researcher switches between
FORMAT = 1                 # the entries' layout; part of every key, so a new layout never reads an old one


def digest(*parts: bytes | str) -> str:
    """sha256 over the parts, each length-prefixed (so that ("ab", "c") and ("a", "bc") differ)."""
    hasher = hashlib.sha256(f"healthkg-result-cache {FORMAT}\n".encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(f"{len(data)}\n".encode())
        hasher.update(data)
    return hasher.hexdigest()


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def canonical_ntriples(data: bytes) -> bytes:
    """N-Triples lines sorted: the same set of triples gives the same bytes whatever their order."""
    return b"\n".join(sorted(line for line in data.split(b"\n") if line.strip())) + b"\n"


def _say(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


class ResultCache:
    def __init__(self, folder: Path, keep: int = KEEP, say: Callable[[str], None] = _say):
        if keep < 1:
            raise ValueError(f"a cache keeps at least one entry per kind, not {keep}")
        self.folder, self.keep, self.say = Path(folder), keep, say
        self._unwritable = False

    @classmethod
    def from_environment(cls) -> ResultCache | None:
        """The cache of $HEALTHKG_CACHE_DIR (an empty value turns it off), else of the user's cache folder."""
        configured = os.environ.get(ENVIRONMENT)
        if configured is not None:
            return cls(Path(configured)) if configured.strip() else None
        return cls(Path(user_cache_dir("healthkg", appauthor=False)))

    def _path(self, kind: str, key: str) -> Path:
        if not (kind.isidentifier() and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise ValueError(f"a cache entry is named by a kind and a sha256 digest, not {kind!r}, {key!r}")
        return self.folder / kind / f"{key}.json"

    def get(self, kind: str, key: str) -> dict | None:
        """The entry ({"kind", "key", "computed", "value"}) stored under the key, or None."""
        path = self._path(kind, key)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            self.say(f"cache entry {path} unreadable ({error}); recomputing")
            return None
        try:
            entry = json.loads(text)
        except json.JSONDecodeError as error:
            self.say(f"cache entry {path} is not JSON ({error}); recomputing")
            return None
        if not (isinstance(entry, dict) and entry.get("kind") == kind and entry.get("key") == key
                and _timestamp(entry.get("computed")) and isinstance(entry.get("value"), dict)):
            self.say(f"cache entry {path} is not an entry of this kind and key; recomputing")
            return None
        try:
            os.utime(path)            # recently used: kept longest
        except OSError:
            pass
        return entry

    def unusable(self, kind: str, key: str, why: str) -> None:
        """Note that an entry read by get() does not hold what its kind needs (it is recomputed and replaced)."""
        self.say(f"cache entry {self._path(kind, key)} {why}; recomputing")

    def put(self, kind: str, key: str, value: dict) -> None:
        """Keep `value` (JSON) under the key, atomically; then drop the kind's least recently used
        entries beyond `keep`."""
        path = self._path(kind, key)
        entry = {"kind": kind, "key": key, "computed": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "value": value}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{key[:16]}-", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(entry, stream, ensure_ascii=False, sort_keys=True)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self._prune(path.parent)
        except OSError as error:
            if not self._unwritable:
                self._unwritable = True
                self.say(f"results not cached: {self.folder} is not writable ({error})")

    def _prune(self, folder: Path) -> None:
        entries = []
        for path in folder.glob("*.json"):
            try:
                entries.append((path.stat().st_mtime, path.name, path))
            except FileNotFoundError:     # removed meanwhile by another run
                continue
        for _, _, path in sorted(entries, reverse=True)[self.keep:]:
            path.unlink(missing_ok=True)
        cutoff = time.time() - 3600       # temporary files a killed run left behind
        for path in folder.glob(".*.tmp"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue


def _timestamp(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def reused(entry: dict) -> str:
    """What a report says of a reused result: "reused: same input as a run of 2026-05-01 10:22 UTC"."""
    computed = _timestamp(entry["computed"])
    when = computed.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if computed else "an earlier time"
    return f"reused: same input as a run of {when}"
