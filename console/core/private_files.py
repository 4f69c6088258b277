"""Files and directories stackwatch creates are private to its user, whatever the umask.

The store, the embedded cache and the broker hold host names, program output and job payloads;
with a umask of 022 (or 000) they would be readable (or writable) by every local user. Each
file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the mode of
the database file), and each directory we create is 0700.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_parents(path: Path) -> None:
    """Create the missing directories of `path`, each 0700 (existing ones are not ours)."""
    missing = []
    for parent in [path, *path.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=DIR_MODE)
        except FileExistsError:  # another process made it first
            continue
        os.chmod(directory, DIR_MODE)  # mkdir's mode is filtered by the umask


def private_dir(path: str | Path) -> Path:
    """A directory that is ours (the data dir, the demo's): created or tightened to 0700."""
    directory = Path(path).expanduser()
    make_parents(directory)
    if directory.stat().st_uid == os.geteuid() and directory.stat().st_mode & 0o777 != DIR_MODE:
        os.chmod(directory, DIR_MODE)
    return directory


def private_file(path: str | Path, own_dir: bool = False) -> Path:
    """Create `path` as an empty 0600 file unless it exists; `own_dir`: its directory is ours.

    Raises OSError when the file or a directory cannot be made (callers say which file it is).
    """
    file = Path(path).expanduser()
    if own_dir:
        private_dir(file.parent)
    else:
        make_parents(file.parent)
    try:
        fd = os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return file
    try:
        os.fchmod(fd, FILE_MODE)  # exact, even under a umask like 0277
    finally:
        os.close(fd)
    return file
