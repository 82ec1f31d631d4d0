"""The scenario library: named scenarios with dated versions and an autosave slot per app session.

What is stored is the scenario JSON document (fulcrum/scenario.py), the same file the command line
runs; it is validated when saved AND when loaded (a row changed outside Fulcrum is untrusted input:
a clear InputError, never a crash). Storage is SQLAlchemy Core, so any SQLAlchemy URL works: by
default an embedded SQLite file under the user's data folder (``platformdirs``:
``~/.local/share/fulcrum/library.sqlite`` on Linux), or the URL / file path in the environment
variable ``FULCRUM_LIBRARY_URL`` (e.g. ``postgresql+psycopg://user@host/fulcrum`` for a team).

Schema migrations are an ordered list of steps (``MIGRATIONS``) and a one-row ``schema_version``
table, applied under a lock in one transaction. Alembic was not used: three tables and a handful of
DDL statements do not need a migration environment, script folder and second dependency, and the
library must upgrade itself when the app opens it (no separate ``alembic upgrade`` step for a planner).

Concurrency: SQLite runs in WAL mode with a busy timeout and every transaction takes the write lock
up front (``BEGIN IMMEDIATE``), so two sessions saving at once queue instead of failing; on
PostgreSQL a unique-key clash (two sessions numbering a version at once) is retried.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from fulcrum.scenario import Scenario, parse_scenario, scenario_to_json
from mcda.errors import InputError
from mcda.limits import MAX_SCENARIO_BYTES
from mcda.text import check_text, safe_repr

ENV = "FULCRUM_LIBRARY_URL"
MAX_NAME = 120  # characters of a library name
MAX_NOTE = 2000  # characters of a version note
SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
BUSY_SECONDS = 30  # how long a writer waits for another one on SQLite
HINT = f"Set {ENV} to a writable SQLite file path or a database URL (e.g. postgresql+psycopg://user@host/db)."

T = TypeVar("T")


class LibraryError(InputError):
    """The library cannot be used (unreachable, corrupt, unwritable) or holds an invalid row."""


@dataclass(frozen=True)
class VersionInfo:
    """One saved version: the scenario's library name, its number (1, 2, ...), when and why."""

    name: str
    number: int
    saved_at: str  # ISO 8601 UTC, seconds
    note: str


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario in the library: its name, how many versions, when last saved."""

    name: str
    versions: int
    updated_at: str


def default_path() -> Path:
    """library.sqlite in the user's data folder (platformdirs: ~/.local/share/fulcrum on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("fulcrum", appauthor=False)) / "library.sqlite"


def library_url(setting: str | None = None) -> str:
    """The library's SQLAlchemy URL: ``setting``, else $FULCRUM_LIBRARY_URL, else the default file.

    A value without ``://`` is a file path (``~`` expanded) of an SQLite database."""
    raw = (setting if setting is not None else os.environ.get(ENV, "")).strip() or str(default_path())
    if "://" in raw:
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


def shown_url(url: str) -> str:
    """The URL for a message: password hidden."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa_exc.ArgumentError, ValueError):
        return safe_repr(url, 80)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# schema and migrations

meta = sa.MetaData()
schema_version = sa.Table("schema_version", meta, sa.Column("version", sa.Integer, nullable=False))
scenarios = sa.Table(
    "scenarios",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(MAX_NAME), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)
versions = sa.Table(
    "versions",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("saved_at", sa.String(32), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("body", sa.Text, nullable=False),
    sa.UniqueConstraint("scenario_id", "number", name="uq_versions_number"),
)
autosaves = sa.Table(
    "autosave",
    meta,
    sa.Column("session", sa.String(64), primary_key=True),
    sa.Column("saved_at", sa.String(32), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)


def _m1_scenarios_and_versions(conn: sa.Connection) -> None:
    """Version 1: named scenarios and their numbered versions."""
    meta.create_all(conn, tables=[scenarios, versions])


def _m2_autosave(conn: sa.Connection) -> None:
    """Version 2: the autosave slot of each app session."""
    meta.create_all(conn, tables=[autosaves])


MIGRATIONS: list[Callable[[sa.Connection], None]] = [_m1_scenarios_and_versions, _m2_autosave]
SCHEMA = len(MIGRATIONS)


def stored_version(conn: sa.Connection) -> int:
    """The schema version of an open database (0 = empty)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    v = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(v or 0)


def migrate(conn: sa.Connection, upto: int = SCHEMA) -> int:
    """Apply the missing migration steps (up to ``upto``) in the caller's transaction; returns the version."""
    if conn.dialect.name == "postgresql":  # one migrator at a time, across processes
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(774411)"))
    schema_version.create(conn, checkfirst=True)
    have = stored_version(conn)
    if have > SCHEMA:
        raise LibraryError(
            f"the library's schema is version {have}, newer than this Fulcrum reads ({SCHEMA})",
            where="scenario library",
            hint="Upgrade Fulcrum, or point FULCRUM_LIBRARY_URL at another library.",
        )
    for i in range(have, upto):
        MIGRATIONS[i](conn)
    if upto > have:
        conn.execute(schema_version.delete())
        conn.execute(schema_version.insert().values(version=upto))
    return max(have, upto)


# ---------------------------------------------------------------------------------------------
# the engine


def _sqlite_events(engine: sa.Engine) -> None:
    """WAL, busy timeout, foreign keys; every transaction takes the write lock first (BEGIN IMMEDIATE)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_file(url: sa.URL) -> None:
    """Refuse a folder as the library file, and make the file's folder (the data folder may not exist)."""
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return
    p = Path(db)
    if p.is_dir():
        raise LibraryError(
            f"{safe_repr(str(p), 120)} is a folder, not a library file", where="scenario library", hint=HINT
        )
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LibraryError(
            f"cannot make the folder {safe_repr(str(p.parent), 120)} ({e.strerror or e})",
            where="scenario library",
            hint=HINT,
        ) from None


class Library:
    """A scenario library at a SQLAlchemy URL; migrated to the current schema when opened."""

    def __init__(self, url: str | None = None) -> None:
        self.url = library_url(url)
        self.where = f"scenario library {shown_url(self.url)}"
        try:
            u = sa.engine.make_url(self.url)
        except (sa_exc.ArgumentError, ValueError):
            raise LibraryError(
                f"{safe_repr(self.url, 80)} is not a database URL", where="scenario library", hint=HINT
            ) from None
        with self._guard():
            if u.get_backend_name() == "sqlite":
                _sqlite_file(u)
                self.engine = sa.create_engine(
                    u, connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False}, pool_pre_ping=False
                )
                _sqlite_events(self.engine)
            else:
                self.engine = sa.create_engine(u, pool_pre_ping=True)
            with self.engine.begin() as conn:
                self.schema = migrate(conn)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Any database failure (unreachable, locked too long, not a database, read-only) as one LibraryError."""
        try:
            yield
        except LibraryError:
            raise
        except InputError:
            raise
        except (sa_exc.SQLAlchemyError, OSError) as e:
            orig = getattr(e, "orig", None) or e
            text = " ".join(str(orig).split())[:200] or type(orig).__name__
            raise LibraryError(f"the library cannot be used: {text}", where=self.where, hint=HINT) from None
        except ImportError as e:  # a URL whose database driver is not installed
            raise LibraryError(
                f"the database driver is not installed ({e.name})", where=self.where, hint=HINT
            ) from None

    def _tx(self, fn: Callable[[sa.Connection], T], attempts: int = 5) -> T:
        """Run ``fn`` in one transaction; retried when two writers clash on a unique key."""
        with self._guard():
            for i in range(attempts):
                try:
                    with self.engine.begin() as conn:
                        return fn(conn)
                except sa_exc.IntegrityError:
                    if i == attempts - 1:
                        raise
        raise AssertionError("unreachable")  # pragma: no cover

    # -- names and bodies ---------------------------------------------------------------------

    @staticmethod
    def check_name(name: Any) -> str:
        """A library name: one line of text (the text rule), 1..MAX_NAME characters, outer blanks removed."""
        if not isinstance(name, str):
            raise InputError("a scenario name must be text", where="library name")
        check_text(name, "library name", what="the name")
        name = name.strip()
        if not name:
            raise InputError("the name is empty", where="library name", hint="Give the scenario a name.")
        if len(name) > MAX_NAME:
            raise InputError(f"the name is {len(name)} characters long; at most {MAX_NAME}", where="library name")
        return name

    @staticmethod
    def check_note(note: Any) -> str:
        if not isinstance(note, str):
            raise InputError("a note must be text", where="version note")
        check_text(note, "version note", multiline=True, what="the note")
        if len(note) > MAX_NOTE:
            raise InputError(f"the note is {len(note)} characters long; at most {MAX_NOTE}", where="version note")
        return note.strip()

    @staticmethod
    def body_of(scenario: Scenario | str) -> str:
        """The JSON stored for a scenario: validated (text is parsed first), canonical."""
        sc = parse_scenario(scenario, source="scenario to save") if isinstance(scenario, str) else scenario
        return scenario_to_json(sc)

    def _parse(self, body: Any, what: str, base_dir: str | Path | None) -> Scenario:
        """A stored body as a Scenario; anything wrong with it is a LibraryError naming the row."""
        where = f"{self.where}, {what}"
        hint = "The stored row was changed outside Fulcrum; restore another version."
        if isinstance(body, (bytes, bytearray, memoryview)):
            try:
                body = bytes(body).decode("utf-8")
            except UnicodeDecodeError:
                raise LibraryError("the stored scenario is not UTF-8 text", where=where, hint=hint) from None
        if not isinstance(body, str):
            raise LibraryError("the stored scenario is not text", where=where, hint=hint)
        if len(body) > MAX_SCENARIO_BYTES or len(body.encode("utf-8", "surrogatepass")) > MAX_SCENARIO_BYTES:
            raise LibraryError(
                f"the stored scenario is larger than {MAX_SCENARIO_BYTES // 2**20} MiB", where=where, hint=hint
            )
        try:
            return parse_scenario(body, source=what, base_dir=base_dir)
        except InputError as e:
            raise LibraryError(f"the stored scenario is not valid — {e}", where=where, hint=hint) from None
        except (RecursionError, ValueError, TypeError) as e:
            raise LibraryError(
                f"the stored scenario cannot be read ({type(e).__name__})", where=where, hint=hint
            ) from None

    # -- named versions -------------------------------------------------------------------------

    def save_version(self, name: str, scenario: Scenario | str, note: str = "") -> VersionInfo:
        """Store ``scenario`` as the next version of ``name`` (made if new); returns the version saved."""
        name, note, body = self.check_name(name), self.check_note(note), self.body_of(scenario)
        when = now()

        def tx(conn: sa.Connection) -> VersionInfo:
            sid = conn.execute(sa.select(scenarios.c.id).where(scenarios.c.name == name)).scalar()
            if sid is None:
                sid = conn.execute(
                    scenarios.insert().values(name=name, created_at=when, updated_at=when).returning(scenarios.c.id)
                ).scalar_one()
            else:
                conn.execute(scenarios.update().where(scenarios.c.id == sid).values(updated_at=when))
            n = conn.execute(sa.select(sa.func.max(versions.c.number)).where(versions.c.scenario_id == sid)).scalar()
            number = int(n or 0) + 1
            conn.execute(versions.insert().values(scenario_id=sid, number=number, saved_at=when, note=note, body=body))
            return VersionInfo(name, number, when, note)

        return self._tx(tx)

    def list_scenarios(self) -> list[ScenarioInfo]:
        """Every scenario in the library, most recently saved first."""
        q = (
            sa.select(scenarios.c.name, sa.func.count(versions.c.id), scenarios.c.updated_at)
            .join(versions, versions.c.scenario_id == scenarios.c.id, isouter=True)
            .group_by(scenarios.c.id, scenarios.c.name, scenarios.c.updated_at)
            .order_by(scenarios.c.updated_at.desc(), scenarios.c.name)
        )
        return self._tx(lambda c: [ScenarioInfo(str(r[0]), int(r[1]), str(r[2])) for r in c.execute(q)])

    def versions(self, name: str) -> list[VersionInfo]:
        """The versions of ``name``, newest first (an unknown name has none)."""
        q = (
            sa.select(versions.c.number, versions.c.saved_at, versions.c.note)
            .join(scenarios, versions.c.scenario_id == scenarios.c.id)
            .where(scenarios.c.name == name)
            .order_by(versions.c.number.desc())
        )
        return self._tx(lambda c: [VersionInfo(name, int(r[0]), str(r[1]), str(r[2] or "")) for r in c.execute(q)])

    def load_version(self, name: str, number: int | None = None, base_dir: str | Path | None = None) -> Scenario:
        """Version ``number`` of ``name`` (None: the newest), validated; LibraryError if absent or invalid."""
        q = (
            sa.select(versions.c.number, versions.c.body)
            .join(scenarios, versions.c.scenario_id == scenarios.c.id)
            .where(scenarios.c.name == name)
        )
        q = q.where(versions.c.number == number) if number is not None else q
        row = self._tx(lambda c: c.execute(q.order_by(versions.c.number.desc()).limit(1)).first())
        if row is None:
            what = f"version {number} of " if number is not None else ""
            raise LibraryError(f"there is no {what}{safe_repr(name)} in the library", where=self.where)
        return self._parse(row[1], f"{safe_repr(name)} version {int(row[0])}", base_dir)

    # -- the autosave slot ----------------------------------------------------------------------

    @staticmethod
    def check_session(session: Any) -> str:
        if not isinstance(session, str) or not SESSION_RE.match(session):
            raise InputError("a session id is 8-64 letters, digits, '-' or '_'", where="autosave session")
        return session

    def autosave(self, session: str, scenario: Scenario | str) -> str:
        """Keep ``scenario`` as the working copy of ``session`` (replacing the previous one); returns when."""
        session, body, when = self.check_session(session), self.body_of(scenario), now()

        def tx(conn: sa.Connection) -> str:
            done = conn.execute(
                autosaves.update().where(autosaves.c.session == session).values(saved_at=when, body=body)
            ).rowcount
            if not done:
                conn.execute(autosaves.insert().values(session=session, saved_at=when, body=body))
            return when

        return self._tx(tx)

    def restore(self, session: str, base_dir: str | Path | None = None) -> Scenario | None:
        """The working copy autosaved for ``session`` (None if there is none), validated."""
        session = self.check_session(session)
        row = self._tx(lambda c: c.execute(sa.select(autosaves.c.body).where(autosaves.c.session == session)).first())
        return None if row is None else self._parse(row[0], "autosaved working scenario", base_dir)


_OPEN: dict[str, Library] = {}
_LOCK = threading.Lock()


def open_library(url: str | None = None) -> Library:
    """The library at ``url`` (default: $FULCRUM_LIBRARY_URL / the data folder), opened once per process."""
    key = library_url(url)
    with _LOCK:
        lib = _OPEN.get(key)
        if lib is None:
            lib = _OPEN[key] = Library(key)
        return lib
