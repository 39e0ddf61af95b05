"""Output folders that the program replaces as a whole, without ever losing a user's files.

A folder the program built holds a marker file naming what built it (the main job or a corpus store)
and, for the main job, every file and folder it wrote, each file's sha256 and size, and the build record the
job gave (its build key, when, what it printed): `up_to_date(key)` finds a folder that is still exactly that
build, so the job can keep it instead of building it again. The program writes only into a folder that is missing,
empty, or marked as its own with nothing added since; anything else is refused before any work
(`OutputRefused`), unless the user forces it, and then the folder's contents are moved aside, never
deleted. The new contents are built in a marked sibling staging folder and swapped in with two
renames, so an interrupted run leaves the previous output in place; the staging and previous folders
of a killed run are recognised by their marker and removed (or restored) by the next run. A lock file
beside the folder keeps two runs from writing it at once.
"""
import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import IO

MARKER = ".healthkg-output.json"
MAIN_JOB = "main-job"
CORPUS_STORE = "corpus-store"
_STAGING, _PREVIOUS = "healthkg-staging", "healthkg-previous"


class OutputError(Exception):
    """The output could not be written; the message says why, and the previous output is untouched."""


class OutputRefused(OutputError):
    """The output folder is not one the program may replace; nothing was written."""


def read_marker(folder: Path) -> dict | None:
    """The marker of a folder the program built, or None."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and marker.get("kind") in (MAIN_JOB, CORPUS_STORE) else None


def marked_ancestor(path: Path) -> tuple[Path, str] | None:
    """The nearest folder above `path` that the program built, and its kind (it is replaced as a whole,
    with anything inside it)."""
    for folder in path.resolve().parents:
        marker = read_marker(folder)
        if marker:
            return folder, marker["kind"]
    return None


def _entries(folder: Path) -> list[str]:
    """Every file and folder under `folder` but the marker, as sorted relative POSIX paths."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.relative_to(folder).as_posix() != MARKER)


def _manifest(folder: Path, entries: list[str]) -> dict[str, dict]:
    """{relative path: {"sha256", "size"}} of every file among `entries`."""
    files = {}
    for entry in entries:
        path = folder / entry
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                files[entry] = {"sha256": hashlib.file_digest(handle, "sha256").hexdigest(),
                                "size": path.stat().st_size}
    return files


def _holds_exactly(folder: Path, marker: dict) -> bool:
    """The folder holds exactly the entries its marker lists, no link among them, and every file has the
    size and sha256 the marker's manifest gives (sizes first: a changed size needs no hashing)."""
    entries, files = marker.get("entries"), marker.get("files")
    if not (isinstance(entries, list) and isinstance(files, dict)) or _entries(folder) != sorted(entries):
        return False
    paths = [folder / entry for entry in entries]
    if any(path.is_symlink() for path in paths):
        return False
    listed = {entry for entry, path in zip(entries, paths) if path.is_file()}
    if listed != set(files):
        return False
    for entry in sorted(listed):
        kept = files[entry]
        if not (isinstance(kept, dict) and kept.get("size") == (folder / entry).stat().st_size):
            return False
    return _manifest(folder, sorted(listed)) == files


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class OutputFolder:
    """`with OutputFolder(out, MAIN_JOB, option="--out") as output:` checks `out` at once (raising
    OutputRefused), takes the lock and clears a killed run's leftovers; `output.staging()` gives an
    empty marked folder to build in and `output.replace_with(staging)` swaps it in."""

    def __init__(self, path: Path, kind: str, option: str, force: bool = False, protected: tuple = ()):
        self.path, self.kind, self.option, self.force = path.resolve(), kind, option, force
        self.protected = tuple(Path(p).resolve() for p in protected)   # never inside the output (the sources)
        self.moved_aside: Path | None = None
        self._lock: IO[str] | None = None
        self._stagings: list[Path] = []

    # -- checks, before any work ----------------------------------------------------------------
    def check(self) -> None:
        where = f"{self.option} {self.path}"
        for protected in self.protected:
            if _within(protected, self.path):
                raise OutputRefused(f"{where} is or holds {protected}, which the output would replace; "
                                    f"choose a folder outside it")
        inside = marked_ancestor(self.path)
        if inside:
            raise OutputRefused(f"{where} is inside {inside[0]}, a {inside[1].replace('-', ' ')} output that "
                                f"healthkg replaces as a whole; choose a folder outside it")
        if self.path.exists() and not self.path.is_dir():
            raise OutputRefused(f"{where} is a file, not a folder; choose a folder")
        problem = self._foreign_contents()
        if problem and not self.force:
            raise OutputRefused(f"{where} {problem}; healthkg writes only into a missing or empty folder "
                                f"or one it wrote itself. Choose another folder, or add --force to move "
                                f"its contents aside to {self.path.name}.before-healthkg-<time> (nothing is deleted)")
        if problem and _within(Path.cwd().resolve(), self.path):
            raise OutputRefused(f"{where} is or holds the current directory, which --force would move aside")

    def _foreign_contents(self) -> str | None:
        """What in the folder the program did not write, in words; None when it may be replaced."""
        if not self.path.is_dir():
            return None
        entries = {entry.name for entry in self.path.iterdir()}
        if not entries:
            return None
        marker = read_marker(self.path)
        if marker is None:
            return f"holds files healthkg did not write (e.g. {sorted(entries)[0]})"
        if marker["kind"] != self.kind:
            return f"holds a {marker['kind'].replace('-', ' ')}, not a {self.kind.replace('-', ' ')} output"
        if "entries" in marker:
            added = sorted(set(_entries(self.path)) - set(marker["entries"]))
            if added:
                return f"holds {', '.join(added[:3])}, which healthkg did not write there"
        return None

    # -- lock, leftovers ------------------------------------------------------------------------
    def __enter__(self) -> "OutputFolder":
        try:
            self.check()
            self._take_lock()
            self._clear_leftovers()
        except OSError as error:
            self.__exit__()
            raise write_failed(error, self.path) from error
        self.check()                  # again, now that no other run can change it
        return self

    def _take_lock(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(f".{self.path.name}.healthkg-lock")
        self._lock = lock = open(lock_path, "a+", encoding="utf-8")    # closed by __exit__ on any failure
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            lock.close()
            self._lock = None
            raise OutputRefused(f"{self.option} {self.path} is being written by another healthkg run "
                                f"(process {holder}); wait for it to finish") from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()

    def __exit__(self, *exc) -> None:
        for staging in self._stagings:
            shutil.rmtree(staging, ignore_errors=True)
        if self._lock:
            self._lock.close()        # releases the lock; the lock file stays (removing it would race)
            self._lock = None

    def _leftovers(self, role: str) -> list[Path]:
        found = []
        for candidate in self.path.parent.glob(f".{self.path.name}.{role}-*"):
            marker = read_marker(candidate) if candidate.is_dir() and not candidate.is_symlink() else None
            if marker and marker["kind"] == self.kind:
                found.append(candidate)
        return sorted(found)

    def _clear_leftovers(self) -> None:
        """A killed run's staging folders go; a previous output whose replacement never arrived (killed
        between the two renames) is put back."""
        previous = self._leftovers(_PREVIOUS)
        if previous and not self.path.exists():
            previous.pop().rename(self.path)
        for leftover in self._leftovers(_STAGING) + previous:
            shutil.rmtree(leftover)

    # -- staging and the swap -------------------------------------------------------------------
    def staging(self) -> Path:
        """An empty, marked folder beside the output (same file system, so the swap is two renames),
        created with the user's umask."""
        staging = self.path.with_name(f".{self.path.name}.{_STAGING}-{secrets.token_hex(4)}")
        staging.mkdir()
        self._stagings.append(staging)
        self._write_marker(staging, None)
        return staging

    def _write_marker(self, folder: Path, entries: list[str] | None, build: dict | None = None) -> None:
        marker: dict[str, object] = {
            "kind": self.kind, "written by": "healthkg (build_graph.py); the whole folder is "
            "replaced by the next run, which refuses to run if anything was added"}
        if entries is not None:
            marker["entries"] = entries
            if build is not None:
                marker["files"] = _manifest(folder, entries)
                marker["build"] = build
        (folder / MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def up_to_date(self, key: str) -> dict | None:
        """The build record given to replace_with() (with its "key", "built" …) when the folder is a
        finished output of this kind built with this key and holds exactly what it held then (the same
        files, byte for byte, nothing added or removed); else None. Called with the lock held."""
        marker = read_marker(self.path) if self.path.is_dir() else None
        if marker is None or marker["kind"] != self.kind:
            return None
        build = marker.get("build")
        if not (isinstance(build, dict) and build.get("key") == key and isinstance(build.get("report"), str)
                and isinstance(build.get("built"), str)):
            return None
        try:
            return build if _holds_exactly(self.path, marker) else None
        except OSError:                # a file changed or vanished while being read: not up to date
            return None

    def replace_with(self, staging: Path, list_entries: bool = True, build: dict | None = None) -> None:
        """Swap the finished staging folder in; the old output is removed only after the new one is in
        place, and a forced folder's contents are moved aside, never deleted. `build` (with list_entries):
        the build record kept in the marker with a manifest of every file, for up_to_date()."""
        if list_entries:
            self._write_marker(staging, _entries(staging), build)
        previous = None
        if self.path.exists():
            if self._foreign_contents():            # only with --force (checked on entering)
                self.moved_aside = self.path.with_name(
                    f"{self.path.name}.before-healthkg-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}")
                self.path.rename(self.moved_aside)
            else:
                previous = self.path.with_name(f".{self.path.name}.{_PREVIOUS}-{secrets.token_hex(4)}")
                self._write_marker_if_missing(self.path)
                self.path.rename(previous)
        staging.rename(self.path)
        self._stagings.remove(staging)
        if previous:
            shutil.rmtree(previous)

    def _write_marker_if_missing(self, folder: Path) -> None:
        """An empty folder the user made has no marker; give it one so a killed swap can put it back."""
        if read_marker(folder) is None:
            self._write_marker(folder, [])


def write_failed(error: OSError, folder: Path) -> OutputError:
    """An OSError from writing the output, as one line for the user."""
    reason = "no space left on the device" if error.errno == errno.ENOSPC else (error.strerror or str(error))
    where = f" ({error.filename})" if error.filename else ""
    return OutputError(f"could not write {folder}: {reason}{where}; the previous output is untouched")
