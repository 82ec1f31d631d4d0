"""An output folder replaced as a whole: after a run, a kill, a full disk or a concurrent run,
``--out DIR`` holds the complete previous set of files or the complete new set, never a mix and
never a truncated file. ``mcda run`` and ``optimisation solve`` write through
:func:`atomic_output_dir`; single files (``rank --out FILE``) through :func:`mcda.export.atomic_file`.

How (all names beside DIR, in its parent folder, so on the same filesystem):

1. lock ``.DIR.fulcrum-lock`` with ``fcntl.flock``; a second run into the same DIR while the first
   holds it stops with exit 2 and one line, without waiting (``resolve_out`` checks before any work,
   and the lock is taken again for the writing);
2. remove what a killed run left (``.DIR.fulcrum-tmp-*``, ``.DIR.fulcrum-old-*``; if DIR itself is
   missing because a kill hit step 5b, first put the previous set back);
3. refuse a DIR holding files Fulcrum does not write (a user's notes, a scenario file, a subfolder):
   the run replaces the whole folder, so it will not take them with it;
4. write every file into a fresh ``.DIR.fulcrum-tmp-<pid>-<hex>``, then fsync the files and the folder;
5. swap: on Linux one ``renameat2(RENAME_EXCHANGE)`` exchanges the two folders in a single step
   (DIR is the old complete folder until that instant and the new complete folder after it);
   where that call is unsupported, (5a) rename DIR to ``.DIR.fulcrum-old-...`` and (5b) the new
   folder to DIR — between those two renames DIR is briefly absent, and step 2 repairs a kill there;
6. fsync the parent, remove the previous set (now under the hidden name), remove the lock file.

DIR stays a real folder with the same file names as before. A shell or file browser that has DIR
open as its current folder keeps the old (now removed) folder: re-open DIR to see the new files.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib.util
import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from mcda.errors import InputError
from mcda.export import fsync_dir

#: every file name ``mcda run`` and ``optimisation solve`` write into DIR (model files: *.mps, *.lp)
FULCRUM_FILES = frozenset(
    {
        "ranking.csv",
        "shortlist.csv",
        "filter_sensitivity.csv",
        "smaa.csv",
        "smaa_final.csv",
        "allocation.csv",
        "summary.json",
        "results.xlsx",
        "report.md",
        "report.html",
        "frontier.csv",
    }
)
MODEL_SUFFIXES = (".mps", ".lp")
#: files an operating system drops into folders it shows; replaced with the rest
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_BUSY = "another Fulcrum run is writing this folder right now"
_BUSY_HINT = "Wait for it to finish and run again, or give another --out folder."
#: fcntl.flock exists (POSIX); elsewhere the folder is replaced without a lock
_HAS_FLOCK = importlib.util.find_spec("fcntl") is not None


def _audit(step: str, *paths: Path) -> None:
    """A ``fulcrum.output`` audit event per step (tests hook it to kill the process there)."""
    sys.audit("fulcrum.output", step, *map(str, paths))


def _leftover_re(name: str) -> re.Pattern:
    return re.compile(rf"^\.{re.escape(name)}\.fulcrum-(tmp|old)-\d+-[0-9a-f]{{8}}$")


def foreign_files(target: Path, also: Iterable[str] = ()) -> list[str]:
    """Entries of ``target`` that Fulcrum does not write (sorted)."""
    ok = FULCRUM_FILES | OS_LITTER | set(also)
    out = []
    for e in os.scandir(target):
        fulcrums = e.name in ok or e.name.endswith(MODEL_SUFFIXES)
        if not (fulcrums and e.is_file(follow_symlinks=False)):
            out.append(e.name + ("/" if e.is_dir(follow_symlinks=False) else ""))
    return sorted(out)


def _try_lock(fd: int, attempts: int = 25) -> bool:
    """Exclusive flock without blocking; a few short retries ride out another run's momentary probe
    (:func:`_refuse_if_locked`), while a run that is really writing keeps it far longer."""
    import fcntl
    import time

    for k in range(attempts):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if k < attempts - 1:
                time.sleep(0.02)
    return False


@contextlib.contextmanager
def _locked(lock: Path, where: str) -> Iterator[None]:
    """Hold an exclusive flock on ``lock``; refuse (InputError) if another run holds it."""
    if not _HAS_FLOCK:  # pragma: no cover - not POSIX: no lock
        yield
        return
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as e:
            raise InputError(
                f"cannot create the lock file {lock.name} beside the folder ({e.strerror or e})",
                where=where,
                hint="Free some disk space or check the permissions of the folder above it.",
            ) from None
        if not _try_lock(fd):
            os.close(fd)
            raise InputError(_BUSY, where=where, hint=_BUSY_HINT) from None
        try:  # the file may have been removed (and re-created) by the previous holder: lock the current one
            st, cur = os.fstat(fd), os.stat(lock)
            if (st.st_dev, st.st_ino) == (cur.st_dev, cur.st_ino):
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)  # unlink while still holding it: a waiter then sees a new file and re-locks
        os.close(fd)


def _recover(target: Path) -> None:
    """Clean what a killed run left beside ``target`` (called under the lock, so no live run owns it)."""
    pat = _leftover_re(target.name)
    left = sorted(n for n in os.listdir(target.parent) if pat.match(n))
    olds = [n for n in left if ".fulcrum-old-" in n]
    if not os.path.lexists(target) and olds:  # killed between the two renames of the fallback swap
        os.rename(target.parent / olds[0], target)
        left.remove(olds[0])
        fsync_dir(target.parent)
    for n in left:
        _audit("cleanup", target.parent / n)
        shutil.rmtree(target.parent / n, ignore_errors=True)


def _new_temp(target: Path) -> Path:
    """A new empty hidden folder beside ``target`` (mode: target's, else 0777 less the umask)."""
    while True:
        tmp = target.parent / f".{target.name}.fulcrum-tmp-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            os.mkdir(tmp, 0o777)
            break
        except FileExistsError:
            continue
    if target.is_dir():
        with contextlib.suppress(OSError):
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
    return tmp


def _fsync_tree(folder: Path) -> None:
    """fsync every file in ``folder`` (one level: outputs are flat), then the folder itself."""
    for e in os.scandir(folder):
        if e.is_file(follow_symlinks=False):
            fd = os.open(e.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(folder)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE). False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` at ``target``; the previous ``target`` (if any) is removed."""
    parent = target.parent
    if not os.path.lexists(target):
        _audit("rename", new, target)
        os.rename(new, target)
        fsync_dir(parent)
        return
    _audit("exchange", new, target)
    if _exchange(new, target):
        fsync_dir(parent)
        _audit("cleanup", new)
        shutil.rmtree(new, ignore_errors=True)  # now the previous set
        return
    old = parent / f".{target.name}.fulcrum-old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(target, old)
    _audit("rename", new, target)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    fsync_dir(parent)
    _audit("cleanup", old)
    shutil.rmtree(old, ignore_errors=True)


def _refuse_foreign(target: Path, also: Iterable[str], where: str) -> None:
    if not target.is_dir():
        return
    foreign = foreign_files(target, also)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise InputError(
            f"holds files Fulcrum did not write ({shown}); a run replaces the whole folder",
            where=where,
            hint="Move those files out, or give a new or empty folder.",
        )


def resolve_out(path: str | os.PathLike, also: Iterable[str] = ()) -> Path:
    """The folder an ``--out`` names (through symlinks), refused (InputError) when a run cannot replace it
    as a whole: a file, the current folder or one above it, a folder holding files Fulcrum did not write."""
    where = f"--out {path}"
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_dir():
        raise InputError(
            "is a file, not a folder", where=where, hint="Give a folder for the outputs (it is created if missing)."
        )
    cwd = Path(os.path.realpath(os.getcwd()))
    if target == target.parent or target == cwd or target in cwd.parents:
        raise InputError(
            "is the current folder or one above it; a run replaces its output folder as a whole",
            where=where,
            hint="Give a folder of its own for the outputs, e.g. --out out.",
        )
    _refuse_foreign(target, also, where)
    _refuse_if_locked(target.parent / f".{target.name}.fulcrum-lock", where)
    return target


def _refuse_if_locked(lock: Path, where: str) -> None:
    """Refuse now, before any work, when another run holds the folder's lock (checked again when writing)."""
    if not _HAS_FLOCK:  # pragma: no cover - not POSIX: no lock
        return
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:  # no lock file: nobody is writing
        return
    try:
        if not _try_lock(fd):
            raise InputError(_BUSY, where=where, hint=_BUSY_HINT)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output_dir(path: str | os.PathLike, also: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty temporary folder to write the outputs into; when the block ends without error
    it replaces ``path`` as a whole (see the module doc). On error or a kill ``path`` is unchanged.

    ``also``: further file names this run writes directly in DIR (e.g. ``--mps model.mps``).
    An OSError while writing (a full disk) becomes an InputError naming DIR: exit 2, one line.
    """
    where = f"--out {path}"
    target = resolve_out(path, also)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create the folder ({e.strerror})", where=where) from None
    lock = target.parent / f".{target.name}.fulcrum-lock"
    with _locked(lock, where):
        tmp = None
        try:
            try:
                _audit("locked", lock)
                _recover(target)
                _refuse_foreign(target, also, where)  # again: the folder may have changed since resolve_out
                tmp = _new_temp(target)
                _audit("tmp", tmp)
                yield tmp
                _fsync_tree(tmp)
                _audit("synced", tmp)
                _swap(tmp, target)
            except OSError as e:
                raise InputError(
                    f"could not write the outputs ({e.strerror or e}); the folder is unchanged",
                    where=where,
                    hint="Free some disk space or check the folder's permissions, then run again.",
                ) from None
        except BaseException:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            raise
        _audit("done", target)
