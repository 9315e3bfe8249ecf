"""Safe access to export archives: a zip file or a folder, read member by member."""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final, Self

import attrs

from communitykit.errors import DataError

__all__ = [
    "Archive",
    "ArchiveLimits",
    "MemberProblem",
    "csv_field_limit",
    "iter_csv",
    "looks_like_archive_with",
]

_MIB: Final = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")

_DECOMPRESS_ERRORS: Final = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError)


@attrs.frozen
class ArchiveLimits:
    """
    Size limits checked before any archive member is read (zip-bomb protection).

    Attributes
    ----------
    max_member_bytes
        Largest uncompressed size of one member.
    max_total_bytes
        Largest uncompressed size of all members together; a larger archive is refused whole.
    max_ratio
        Largest compression ratio (uncompressed / compressed) of a member bigger than
        *ratio_floor_bytes*; real JSON and CSV compress 5-20 times, bombs 1000 times.
    ratio_floor_bytes
        Members up to this size are not checked for their ratio.
    max_members
        Most members an archive may have.

    .. versionadded:: 0.1
    """

    max_member_bytes: int = 2048 * _MIB
    max_total_bytes: int = 64 * 1024 * _MIB
    max_ratio: float = 100.0
    ratio_floor_bytes: int = _MIB
    max_members: int = 5_000_000


@attrs.frozen
class MemberProblem:
    """
    An archive member that was not read, and why.

    Attributes
    ----------
    name
        The member's name as stored in the archive.
    reason
        Why it was not read.

    .. versionadded:: 0.1
    """

    name: str
    reason: str


def _safe_name(raw: str) -> str | None:
    """Return the member name as a clean relative POSIX path, or ``None`` if it is unsafe."""
    name = raw.replace("\\", "/")
    if "\x00" in name or name.startswith("/") or _DRIVE.match(name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return posixpath.join(*parts)


class Archive:
    """
    A zip file or a folder seen as named members; names are never used as file-system paths.

    Members of a zip are listed from its central directory and checked against
    :class:`ArchiveLimits` before anything is decompressed; unsafe names (absolute, with
    ``..``) and members over the limits become :attr:`problems` and are never read.
    A folder is walked without following symbolic links.

    .. versionadded:: 0.1
    """

    def __init__(
        self, path: Path, *, limits: ArchiveLimits | None = None, only: str | None = None
    ) -> None:
        self.path = path
        self.limits = limits or ArchiveLimits()
        self.problems: list[MemberProblem] = []
        self._zip: zipfile.ZipFile | None = None
        self._sizes: dict[str, int] = {}
        self._infos: dict[str, zipfile.ZipInfo] = {}
        if only is not None:  # one plain file in the folder *path*
            size = (path / only).stat().st_size
            if size > self.limits.max_member_bytes:
                msg = (
                    f"{only!r} is {size:,} bytes; the limit is {self.limits.max_member_bytes:,} "
                    "(ArchiveLimits.max_member_bytes)"
                )
                raise DataError(msg)
            self._sizes[only] = size
        elif path.is_dir():
            self._scan_folder()
        else:
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                msg = f"cannot open {str(path)!r} as a zip archive: {exc}"
                raise DataError(msg) from None
            self._scan_zip(self._zip)

    def _scan_zip(self, zf: zipfile.ZipFile) -> None:
        lim = self.limits
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > lim.max_members:
            msg = (
                f"{str(self.path)!r} has {len(infos):,} members; the limit is "
                f"{lim.max_members:,} (ArchiveLimits.max_members)"
            )
            raise DataError(msg)
        total = 0
        for info in infos:
            name = _safe_name(info.filename)
            if name is None:
                self.problems.append(
                    MemberProblem(info.filename, "unsafe member name (absolute or with '..')")
                )
                continue
            if info.file_size > lim.max_member_bytes:
                self.problems.append(
                    MemberProblem(
                        info.filename,
                        f"member is {info.file_size:,} bytes uncompressed; the limit is "
                        f"{lim.max_member_bytes:,} (ArchiveLimits.max_member_bytes)",
                    )
                )
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > lim.ratio_floor_bytes and ratio > lim.max_ratio:
                self.problems.append(
                    MemberProblem(
                        info.filename,
                        f"compression ratio {ratio:,.0f}:1 exceeds {lim.max_ratio:,.0f}:1 "
                        "(a zip bomb?)",
                    )
                )
                continue
            if name in self._sizes:
                self.problems.append(MemberProblem(info.filename, "duplicate member name"))
                continue
            total += info.file_size
            self._sizes[name] = info.file_size
            self._infos[name] = info
        if total > lim.max_total_bytes:
            msg = (
                f"{str(self.path)!r} unpacks to {total:,} bytes; the limit is "
                f"{lim.max_total_bytes:,} (ArchiveLimits.max_total_bytes)"
            )
            raise DataError(msg)

    def _scan_folder(self) -> None:
        root = self.path
        lim = self.limits
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            for filename in sorted(filenames):
                full = Path(dirpath) / filename
                rel = full.relative_to(root).as_posix()
                if full.is_symlink():
                    self.problems.append(MemberProblem(rel, "symbolic link (not followed)"))
                    continue
                size = full.stat().st_size
                if size > lim.max_member_bytes:
                    self.problems.append(
                        MemberProblem(
                            rel,
                            f"file is {size:,} bytes; the limit is {lim.max_member_bytes:,} "
                            "(ArchiveLimits.max_member_bytes)",
                        )
                    )
                    continue
                self._sizes[rel] = size

    # ------------------------------------------------------------------ access

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the zip file, if any."""
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def names(self) -> list[str]:
        """Return the readable members' names (relative POSIX paths), sorted."""
        return sorted(self._sizes)

    def find(self, basename: str) -> str | None:
        """
        Return the member called *basename* (case-insensitive), at the top or one folder down.

        An export zipped with its folder has its files one level down; the shallowest wins.
        """
        wanted = basename.casefold()
        hits = [n for n in self._sizes if posixpath.basename(n).casefold() == wanted]
        hits = [n for n in hits if n.count("/") <= 1]
        return min(hits, key=lambda n: (n.count("/"), n)) if hits else None

    def size(self, name: str) -> int:
        """Return the member's uncompressed size in bytes."""
        return self._sizes[name]

    def read_bytes(self, name: str) -> bytes:
        """
        Return the member's bytes, never more than its checked size.

        Raises
        ------
        DataError
            If the member holds more bytes than its header says, or cannot be decompressed.
        """
        limit = self._sizes[name]
        if self._zip is None:
            with (self.path / Path(*name.split("/"))).open("rb") as fh:
                data = fh.read(limit + 1)
        else:
            try:
                with self._zip.open(self._infos[name]) as fh:
                    data = fh.read(limit + 1)
            except _DECOMPRESS_ERRORS as exc:
                msg = f"cannot decompress member {name!r}: {exc}"
                raise DataError(msg) from None
        if len(data) > limit:
            msg = f"member {name!r} holds more than the {limit:,} bytes its header declares"
            raise DataError(msg)
        return data

    @contextlib.contextmanager
    def open_text(self, name: str) -> Iterator[io.TextIOWrapper]:
        """
        Open the member as UTF-8 text (a BOM is dropped) for streaming, e.g. with :mod:`csv`.

        Bytes that are not valid UTF-8 come through as lone surrogates (``surrogateescape``),
        never as U+FFFD, so that a caller can tell them apart and reject what holds them
        (:func:`iter_csv` does): ``jos\\xe9`` and ``jos\\xe8`` must not become one name.
        """
        if self._zip is None:
            raw: IO[bytes] = (self.path / Path(*name.split("/"))).open("rb")
        else:
            raw = self._zip.open(self._infos[name])
        with io.TextIOWrapper(
            raw, encoding="utf-8-sig", errors="surrogateescape", newline=""
        ) as fh:
            yield fh

    def iter_lines(self, name: str) -> Iterator[bytes]:
        """Yield the member's lines (bytes) without reading it whole."""
        if self._zip is None:
            with (self.path / Path(*name.split("/"))).open("rb") as fh:
                yield from fh
        else:
            with self._zip.open(self._infos[name]) as fh:
                yield from fh


def looks_like_archive_with(path: Path, *basenames: str) -> bool:
    """Return whether *path* is a folder or zip holding one of *basenames* (cheap check)."""
    wanted = {b.casefold() for b in basenames}
    try:
        if path.is_dir():
            candidates = [p.name for p in path.iterdir()]
            for sub in path.iterdir():
                if sub.is_dir() and not sub.is_symlink():
                    candidates.extend(p.name for p in sub.iterdir())
            return any(c.casefold() in wanted for c in candidates)
        if path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                names = [n.replace("\\", "/").rstrip("/") for n in zf.namelist()]
            return any(
                posixpath.basename(n).casefold() in wanted and n.count("/") <= 1 for n in names
            )
    except (OSError, zipfile.BadZipFile):
        return False
    return False


_CSV_FIELD_LIMIT: Final = 256 * _MIB


@contextlib.contextmanager
def csv_field_limit() -> Iterator[None]:
    """
    Let :mod:`csv` read fields of up to 256 MiB within the block, then restore the old limit.

    :func:`csv.field_size_limit` is process-wide; restoring it leaves no side effect on code
    that runs after a read. Every CSV reader of communitykit reads under this same limit, so a
    long field (a message body) reads the same whatever the engine.
    """
    import csv

    old = csv.field_size_limit()
    csv.field_size_limit(max(old, _CSV_FIELD_LIMIT))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def iter_csv(archive: Archive, name: str) -> Iterator[tuple[int, dict[str, str] | None, str]]:
    """
    Stream a CSV member as ``(row number, row or None, error)`` triples (header excluded).

    A row that :mod:`csv` cannot parse comes as ``(row, None, reason)`` and reading goes on.
    A member that cannot be decompressed past some point ends with one such triple for the
    rest of it. A row with bytes that are not valid UTF-8 is such a triple too (as in the CSV
    and JSON Lines readers), never a row with U+FFFD in it. Column names are stripped and
    lower-cased; values are stripped.
    """
    import csv

    with csv_field_limit(), archive.open_text(name) as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip().lower() for h in next(reader)]
            if not _is_utf8(header):
                yield 1, None, f"the header of {name!r} has bytes that are not valid UTF-8"
                return
        except StopIteration:
            return
        except csv.Error as exc:
            yield 1, None, f"cannot read the header of {name!r}: {exc}"
            return
        except _DECOMPRESS_ERRORS as exc:
            yield 1, None, f"cannot decompress member {name!r}: {exc}"
            return
        row = 0
        while True:
            row += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield row, None, f"cannot parse CSV: {exc}"
                continue
            except _DECOMPRESS_ERRORS as exc:
                yield row, None, f"cannot decompress the rest of member {name!r}: {exc}"
                return
            if not any(v.strip() for v in values):
                row -= 1
                continue
            if len(values) != len(header):
                yield row, None, f"has {len(values)} fields; the header has {len(header)}"
                continue
            if not _is_utf8(values):
                yield row, None, "has bytes that are not valid UTF-8"
                continue
            yield row, {h: v.strip() for h, v in zip(header, values, strict=True)}, ""


def _is_utf8(values: list[str]) -> bool:
    """Return whether *values* hold no lone surrogate (no undecodable byte, see ``open_text``)."""
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
