"""A command builds (and imports for) its own parser only (issue 12 item 2: import only what the command
needs); help and an unknown command still see every subcommand."""

from __future__ import annotations

import pytest

import fulcrum.cli as fc


def _only(monkeypatch, allowed: str) -> None:
    real = fc._registrars()

    def registrars():
        out = dict(real)
        for name in out:
            if name != allowed:
                out[name] = lambda sub, name=name: pytest.fail(f"the parser of '{name}' was built for '{allowed}'")
        return out

    monkeypatch.setattr(fc, "_registrars", registrars)


def test_rank_builds_only_its_own_parser(monkeypatch, tmp_path, capsys):
    (tmp_path / "m.csv").write_text("alternative,c1,c2\nA,1,5\nB,2,3\nC,3,4\n")
    (tmp_path / "c.csv").write_text("criterion,direction,weight\nc1,benefit,1\nc2,cost,1\n")
    _only(monkeypatch, "rank")
    code = fc.mcda_main(["rank", str(tmp_path / "m.csv"), "--criteria", str(tmp_path / "c.csv")])
    assert code == 0
    assert capsys.readouterr().out.startswith("alternative,score,rank")


def test_help_and_unknown_commands_list_every_subcommand(capsys):
    with pytest.raises(SystemExit) as e:
        fc.mcda_main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert all(c in out for c in fc.MCDA_COMMANDS)
    with pytest.raises(SystemExit) as e:
        fc.mcda_main(["rnak"])
    assert e.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
