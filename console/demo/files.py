"""The demo's directory: which files are the demo's, and a manifest that proves it.

The demo writes a manifest first, then only files whose names it knows in advance (its
settings, supervisord's config, socket and logs, the SQLite files, the private Redis socket).
It refuses a directory holding anything else, never overwrites a settings file it did not
write (or that was edited since), and `--clean` removes exactly its own files.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from console.core.errors import StackwatchError
from console.core.private_files import private_dir

MANIFEST = ".stackwatch-demo.json"
SETTINGS = "stackwatch.toml"
LOGS = "logs"
SQLITE_FILES = ("stackwatch.db", "cache.db", "huey.db", "shop-huey.db")
SQLITE_SIDECARS = ("", "-wal", "-shm", "-journal")
TOP_FILES = (
    SETTINGS,
    "supervisord.conf",
    "supervisor.sock",
    "supervisord.pid",
    "redis.sock",
    "dump.rdb",
)
SUPERVISORD_LOG_BACKUPS = 10  # supervisord's default logfile_backups
PROGRAM_LOG_BACKUPS = 3  # stdout/stderr_logfile_backups in the demo's config


class DemoDirRefused(StackwatchError):
    """The directory holds something the demo did not write; nothing was touched."""


def owned_paths(programs: Iterable[str]) -> frozenset[str]:
    """Every path (relative to the demo directory) the demo or its programs may create."""
    names = {MANIFEST, LOGS, *TOP_FILES}
    names.update(f"{db}{side}" for db in SQLITE_FILES for side in SQLITE_SIDECARS)
    logs = {"supervisord.stdout", "redis.log"}
    logs.update(_rotated("supervisord.log", SUPERVISORD_LOG_BACKUPS))
    for program in programs:
        for stream in ("out", "err"):
            logs.update(_rotated(f"{program}.{stream}.log", PROGRAM_LOG_BACKUPS))
    names.update(f"{LOGS}/{name}" for name in logs)
    return frozenset(names)


def _rotated(name: str, backups: int) -> list[str]:
    return [name] + [f"{name}.{n}" for n in range(1, backups + 1)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class DemoDir:
    """A directory the demo may use: it was new, empty, or holds only an earlier demo's files."""

    root: Path
    owned: frozenset[str]
    created_root: bool

    @classmethod
    def claim(cls, root: Path, programs: Iterable[str]) -> DemoDir:
        """Check `root` and write the manifest; raises DemoDirRefused and touches nothing."""
        owned = owned_paths(programs)
        if root.exists() and not root.is_dir():
            raise DemoDirRefused(f"{root} is not a directory")
        created = not root.exists()
        if created:
            private_dir(root)  # 0700 whatever the umask, parents included
        else:
            created = _check_existing(root, owned)
        demo_dir = cls(root, owned, created)
        demo_dir._write_manifest({})
        return demo_dir

    def write(self, relative: str, text: str) -> Path:
        """Write one of the demo's own files (0600) and record its digest in the manifest."""
        if relative not in self.owned:
            raise ValueError(f"{relative} is not one of the demo's files")
        path = self.root / relative
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        written = self._manifest().get("written", {})
        self._write_manifest({**written, relative: digest(path)})
        return path

    def remove(self) -> list[str]:
        """Remove the demo's own files; returns the names of anything else left in the way."""
        for relative in sorted(self.owned - {MANIFEST, LOGS}, reverse=True):
            path = self.root / relative
            if path.is_file() or path.is_socket() or path.is_symlink():
                path.unlink(missing_ok=True)
        _rmdir_if_empty(self.root / LOGS)
        (self.root / MANIFEST).unlink(missing_ok=True)
        if self.created_root:
            _rmdir_if_empty(self.root)
        return sorted(_relative_entries(self.root)) if self.root.exists() else []

    def _manifest(self) -> dict:
        try:
            return json.loads((self.root / MANIFEST).read_text())
        except (OSError, ValueError):
            return {}

    def _write_manifest(self, written: dict[str, str]) -> None:
        data = {"created_root": self.created_root, "written": written}
        path = self.root / MANIFEST
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)


def _check_existing(root: Path, owned: frozenset[str]) -> bool:
    """An existing directory: fine when empty or an earlier demo's; returns created_root."""
    entries = _relative_entries(root)
    if not entries:
        return False
    manifest = _read_manifest(root)
    foreign = sorted(e for e in entries if e not in owned) if manifest else sorted(entries)
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise DemoDirRefused(
            f"{root} holds files the demo did not write ({shown}); give it an empty or new one"
        )
    if _answers(root / "supervisor.sock"):
        raise DemoDirRefused(f"a demo is already running in {root}")
    settings = root / SETTINGS
    expected = manifest.get("written", {}).get(SETTINGS)
    if settings.exists() and (expected is None or digest(settings) != expected):
        raise DemoDirRefused(
            f"{settings} was changed since the demo wrote it; the demo will not overwrite it"
        )
    return bool(manifest.get("created_root"))


def _answers(socket_path: Path) -> bool:
    """True when something listens on the unix socket (a demo still running there)."""
    if not socket_path.is_socket():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        try:
            probe.connect(str(socket_path))
        except OSError:
            return False
    return True


def _read_manifest(root: Path) -> dict:
    try:
        data = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _relative_entries(root: Path) -> set[str]:
    entries = set()
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath).relative_to(root)
        for name in dirnames + filenames:
            entries.add((base / name).as_posix())
    return entries


def _rmdir_if_empty(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass  # not empty (someone else's file) or already gone: leave it
