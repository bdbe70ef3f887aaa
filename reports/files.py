"""Writing report files so that nobody ever sees half of one."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(target: Path, write: Callable[[BinaryIO], None], temp_prefix: str = ".tmp-") -> Path:
    """Call write(handle) on a temporary file beside target, then rename it over target.

    The rename is atomic on one filesystem: a reader (or a worker killed mid-write) sees
    the old file or the complete new one, never a partial file. On any error the
    temporary file is removed and target is left as it was; a process killed outright
    leaves its temporary file behind, named with temp_prefix so the next run can find it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=temp_prefix, suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def remove_leftovers(folder: Path, temp_prefix: str) -> int:
    """Remove temporary files a killed writer left behind."""
    removed = 0
    for leftover in Path(folder).glob(f"{temp_prefix}*"):
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed
