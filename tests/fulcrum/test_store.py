"""The scenario library (fulcrum/store.py): versions, autosave, migrations, hostile rows and concurrent writers.

Every test runs on SQLite (a file in tmp_path); the ones taking ``lib_url`` run on PostgreSQL too when
FULCRUM_TEST_PG_URL names a server (`.ci/run` starts a throw-away one with tools/pg_temp.sh), each
in a fresh database of its own.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from fulcrum import store
from fulcrum.scenario import parse_scenario, scenario_to_json
from fulcrum.store import Library, LibraryError
from mcda.errors import InputError

PG = os.environ.get("FULCRUM_TEST_PG_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def lib_url(request, tmp_path):
    """A fresh, empty library URL: an SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "lib.sqlite")
        return
    if not PG:
        pytest.skip("FULCRUM_TEST_PG_URL is not set (no PostgreSQL server for the library tests)")
    name = "f_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name}"))
    url = sa.engine.make_url(PG).set(database=name).render_as_string(hide_password=False)
    yield url
    for lib in [store._OPEN.pop(k) for k in list(store._OPEN) if name in k]:
        lib.close()
    with admin.connect() as c:
        c.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def lib(lib_url):
    lib = Library(lib_url)
    yield lib
    lib.close()


def _weighted(doc: dict, w: float) -> dict:
    d = json.loads(json.dumps(doc))
    d["criteria"][0]["weight"] = w
    return d


def test_versions_round_trip_and_list(lib, default_doc):
    sc1 = parse_scenario(default_doc)
    sc2 = parse_scenario(_weighted(default_doc, 7.5))
    v1 = lib.save_version("Andean focus", sc1, note="first cut")
    v2 = lib.save_version("Andean focus", scenario_to_json(sc2), note="GDP up\nsecond line")
    lib.save_version("Other", sc1)
    assert (v1.number, v2.number) == (1, 2)
    assert [v.number for v in lib.versions("Andean focus")] == [2, 1]
    assert lib.versions("Andean focus")[0].note == "GDP up\nsecond line"
    assert {s.name: s.versions for s in lib.list_scenarios()} == {"Andean focus": 2, "Other": 1}
    assert lib.load_version("Andean focus").criteria[0].weight == 7.5  # newest
    assert lib.load_version("Andean focus", 1).criteria[0].weight == sc1.criteria[0].weight
    assert scenario_to_json(lib.load_version("Andean focus", 1)) == scenario_to_json(sc1)  # the same document
    with pytest.raises(LibraryError, match="no version 9"):
        lib.load_version("Andean focus", 9)
    with pytest.raises(LibraryError, match="no 'Nope'"):
        lib.load_version("Nope")


def test_autosave_slot_per_session(lib, default_doc):
    a, b = "sess-" + "a" * 10, "sess-" + "b" * 10
    assert lib.restore(a) is None
    lib.autosave(a, parse_scenario(_weighted(default_doc, 2.0)))
    lib.autosave(b, parse_scenario(_weighted(default_doc, 3.0)))
    lib.autosave(a, parse_scenario(_weighted(default_doc, 4.0)))  # replaces a's slot, leaves b's
    assert lib.restore(a).criteria[0].weight == 4.0
    assert lib.restore(b).criteria[0].weight == 3.0
    for bad in ["short", "../../etc/passwd", "x" * 65, "a b c d e f g h", 12345678]:
        with pytest.raises(InputError, match="session id"):
            lib.restore(bad)  # type: ignore[arg-type]


def test_save_validates_the_scenario_and_the_name(lib, default_doc):
    with pytest.raises(InputError, match="criteria"):
        lib.save_version("x", json.dumps({**default_doc, "criteria": "gdp"}))
    with pytest.raises(InputError, match="JSON"):
        lib.save_version("x", "{not json")
    for bad, msg in [("", "empty"), ("   ", "empty"), ("a\x00b", "NUL"), ("a\nb", "line break"), ("n" * 121, "121")]:
        with pytest.raises(InputError, match=msg):
            lib.save_version(bad, parse_scenario(default_doc))
    with pytest.raises(InputError, match="note"):
        lib.save_version("x", parse_scenario(default_doc), note="bad \x07 bell")
    assert lib.list_scenarios() == []  # nothing half-saved


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil","x")', "../../etc/passwd", "<script>alert(1)</script>", "a/b\\c:d*?", "名前 ✓"]
)
def test_hostile_names_are_data(tmp_path, default_doc, name):
    """Markup, formula and path characters are stored and listed verbatim; no file is made from them."""
    lib = Library(str(tmp_path / "lib.sqlite"))
    lib.save_version(name, parse_scenario(default_doc))
    assert [s.name for s in lib.list_scenarios()] == [name]
    assert lib.load_version(name).name == parse_scenario(default_doc).name
    lib.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("lib.sqlite")) == []


def _tamper(url: str, body) -> None:
    eng = sa.create_engine(store.library_url(url))
    with eng.begin() as c:
        c.execute(sa.text("UPDATE versions SET body = :b"), {"b": body})
    eng.dispose()


@pytest.mark.parametrize(
    "body, msg",
    [
        ('{"schema_version": 1, "criteria": "gdp"}', "not valid"),
        ("{not json", "not valid"),
        ('{"name": "x", "criteria": [], "sneaky": 1}', "not valid"),
        ('{"schema_version": 99, "criteria": []}', "schema_version"),
        ("[" * 50_000 + "]" * 50_000, "not valid|cannot be read"),
        ('{"name": "' + "x" * (17 * 2**20) + '"}', "larger than 16 MiB"),
    ],
    ids=["wrong-type", "not-json", "unknown-field", "future-schema", "deep", "oversized"],
)
def test_tampered_row_is_a_clear_error(lib, lib_url, default_doc, body, msg):
    lib.save_version("Plan", parse_scenario(default_doc))
    _tamper(lib_url, body)
    with pytest.raises(LibraryError, match=msg) as e:
        lib.load_version("Plan")
    assert "'Plan' version 1" in str(e.value) and "\n" not in str(e.value)


def test_binary_row_on_sqlite(tmp_path, default_doc):
    url = str(tmp_path / "lib.sqlite")
    lib = Library(url)
    lib.save_version("Plan", parse_scenario(default_doc))
    _tamper(url, b"\xff\xfe\x00garbage")
    with pytest.raises(LibraryError, match="not UTF-8"):
        lib.load_version("Plan")
    lib.autosave("session-0001", parse_scenario(default_doc))
    eng = sa.create_engine(store.library_url(url))
    with eng.begin() as c:
        c.execute(sa.text("UPDATE autosave SET body = 42"))
    eng.dispose()
    with pytest.raises(LibraryError, match="autosaved"):
        lib.restore("session-0001")


def test_corrupt_file_folder_and_unwritable_place(tmp_path):
    bad = tmp_path / "corrupt.sqlite"
    bad.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(LibraryError, match=r"cannot be used: .*not a database"):
        Library(str(bad))
    with pytest.raises(LibraryError, match="is a folder"):
        Library(str(tmp_path))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(LibraryError, match="cannot make the folder"):
        Library(str(blocker / "sub" / "library.sqlite"))
    with pytest.raises(LibraryError, match=r"driver is not installed|cannot be used"):
        Library("nosuchdb+nodriver://x/y")
    with pytest.raises(LibraryError) as e:
        Library("postgresql+psycopg://fulcrum:s3cret@127.0.0.1:1/none")  # nothing listens on port 1
    assert "s3cret" not in str(e.value) and "***" in str(e.value)


def test_default_place_is_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(store.ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    url = store.library_url()
    assert url.startswith("sqlite:///") and url.endswith("/fulcrum/library.sqlite")
    assert str(tmp_path) in url
    monkeypatch.setenv(store.ENV, "~/team/lib.sqlite")
    assert store.library_url() == f"sqlite:///{tmp_path}/home/team/lib.sqlite"
    monkeypatch.setenv(store.ENV, "postgresql+psycopg://u@db/fulcrum")
    assert store.library_url() == "postgresql+psycopg://u@db/fulcrum"


def test_migrations_upgrade_an_old_library_and_refuse_a_newer_one(lib_url, default_doc):
    url = store.library_url(lib_url)
    eng = sa.create_engine(url)
    with eng.begin() as c:  # a library as version 1 left it: scenarios and versions, no autosave table
        assert store.migrate(c, upto=1) == 1
    with eng.begin() as c:
        c.execute(store.scenarios.insert().values(id=1, name="Old", created_at="2025-01-01T00:00:00Z", updated_at="x"))
        body = scenario_to_json(parse_scenario(default_doc))
        c.execute(store.versions.insert().values(scenario_id=1, number=1, saved_at="t", note="n", body=body))
        assert not sa.inspect(c).has_table("autosave")
    lib = Library(lib_url)
    assert lib.schema == store.SCHEMA == 2
    assert lib.load_version("Old").name == parse_scenario(default_doc).name  # data kept
    lib.autosave("session-0001", parse_scenario(default_doc))  # the new table works
    lib.close()
    with eng.begin() as c:
        assert c.execute(sa.select(store.schema_version.c.version)).scalars().all() == [2]
        c.execute(store.schema_version.update().values(version=9))
    eng.dispose()
    with pytest.raises(LibraryError, match="version 9, newer"):
        Library(lib_url)


def test_two_sessions_writing_at_once_lose_nothing(lib_url, default_doc):
    """Two threads, each with its own Library (its own connections), save versions of the same
    scenario and autosave their slots at the same time: every version is kept, numbered 1..N once."""
    n = 15
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def writer(k: int) -> None:
        lib = Library(lib_url)
        try:
            barrier.wait()
            for i in range(n):
                lib.save_version("Shared", parse_scenario(_weighted(default_doc, 100 * k + i)), note=f"{k}-{i}")
                lib.autosave(f"session-{k:04d}", parse_scenario(_weighted(default_doc, 100 * k + i)))
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)
        finally:
            lib.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    lib = Library(lib_url)
    vs = lib.versions("Shared")
    assert sorted(v.number for v in vs) == list(range(1, 2 * n + 1))
    assert sorted(v.note for v in vs) == sorted(f"{k}-{i}" for k in (1, 2) for i in range(n))
    for v in vs:  # each note's scenario is the one saved with it
        k, i = map(int, v.note.split("-"))
        assert lib.load_version("Shared", v.number).criteria[0].weight == 100 * k + i
    assert lib.restore("session-0001").criteria[0].weight == 100 + n - 1
    assert lib.restore("session-0002").criteria[0].weight == 200 + n - 1
    lib.close()


def _process_writer(url: str, doc: dict, k: int, n: int) -> None:
    lib = Library(url)
    for i in range(n):
        lib.save_version("Shared", parse_scenario(_weighted(doc, 100 * k + i)), note=f"{k}-{i}")
    lib.close()


def test_two_processes_on_one_sqlite_file(tmp_path, default_doc):
    url = str(tmp_path / "lib.sqlite")
    Library(url).close()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_process_writer, args=(url, default_doc, k, 10)) for k in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    lib = Library(url)
    assert sorted(v.number for v in lib.versions("Shared")) == list(range(1, 21))
    eng = sa.create_engine(store.library_url(url))
    with eng.connect() as c:
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    eng.dispose()
    lib.close()


def test_open_library_is_cached_per_url(tmp_path):
    a = store.open_library(str(tmp_path / "x.sqlite"))
    assert store.open_library(str(tmp_path / "x.sqlite")) is a
    assert Path(a.url.removeprefix("sqlite:///")).exists()
