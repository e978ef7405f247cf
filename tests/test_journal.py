"""The reflection journal never loses text: atomic saves, backups, broken files kept, two writers merged."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from regionkurs import journalfile
from regionkurs.journal import OFF_STATUS, Journal, default_journal, default_path


def _on_disk(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_default_file_is_in_the_learners_home(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("REGIONKURS_JOURNAL", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_path() == tmp_path / "regionkurs" / "journal.json"
    monkeypatch.setenv("REGIONKURS_JOURNAL", str(tmp_path / "annan" / "min.json"))
    assert default_path() == tmp_path / "annan" / "min.json"


def test_nothing_is_written_until_the_learner_writes(tmp_path: Path):
    path = tmp_path / "regionkurs" / "journal.json"
    journal = Journal(path, delay=0)
    assert journal.text("f01") == "" and journal.rating("f01") is None
    assert journal.save() is True
    assert not path.parent.exists()
    journal.set_text("f01", "Första tanken")
    assert _on_disk(path)["entries"]["f01"]["text"] == "Första tanken"
    assert "Sparat kl." in journal.status


def test_text_and_ratings_survive_a_restart(tmp_path: Path):
    path = tmp_path / "journal.json"
    journal = Journal(path, delay=0)
    journal.set_text("f03", "Nätverk")
    journal.set_rating("f03", 4)
    again = Journal(path)
    assert again.text("f03") == "Nätverk"
    assert again.rating("f03") == 4
    with pytest.raises(ValueError):
        again.set_rating("f03", 6)


def test_saving_is_debounced(monkeypatch, tmp_path: Path):
    writes = []
    real = journalfile.write_state
    monkeypatch.setattr(journalfile, "write_state", lambda p, s: (writes.append(1), real(p, s)))
    path = tmp_path / "journal.json"
    journal = Journal(path, delay=0.3)
    for length in range(1, 30):
        journal.set_text("f01", "x" * length)
    assert journal.status == "Sparar …" and not path.exists()
    deadline = time.monotonic() + 5
    while journal.pending and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(writes) == 1
    assert _on_disk(path)["entries"]["f01"]["text"] == "x" * 29


def test_the_previous_version_is_kept_as_a_backup(tmp_path: Path):
    path = tmp_path / "journal.json"
    journal = Journal(path, delay=0)
    journal.set_text("f01", "version 1")
    journal.set_text("f01", "version 2")
    assert _on_disk(path)["entries"]["f01"]["text"] == "version 2"
    assert _on_disk(journalfile.backup_path(path))["entries"]["f01"]["text"] == "version 1"


@pytest.mark.parametrize("crash_in", ["fsync", "replace"])
def test_a_crash_mid_write_leaves_the_previous_version_intact(monkeypatch, tmp_path: Path, crash_in: str):
    path = tmp_path / "journal.json"
    journal = Journal(path, delay=0)
    journal.set_text("f01", "det som redan är sparat")
    before = path.read_bytes()

    def crash(*_args):
        raise OSError("simulated power cut")

    monkeypatch.setattr(journalfile.os, crash_in, crash)
    journal.set_text("f01", "ny text som inte hann sparas")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert "Kunde inte spara" in journal.status and journal.pending
    assert journal.text("f01") == "ny text som inte hann sparas"  # still in the notebook
    monkeypatch.undo()
    assert journal.save() is True
    assert _on_disk(path)["entries"]["f01"]["text"] == "ny text som inte hann sparas"


@pytest.mark.parametrize("content", ['{"version": 1, "entries": {', "[1, 2, 3]", '{"version": 1, "entries": "x", "ratings": {}}'])
def test_a_broken_file_is_reported_moved_aside_and_never_overwritten(tmp_path: Path, content: str):
    path = tmp_path / "journal.json"
    path.write_text(content, encoding="utf-8")
    journal = Journal(path, delay=0)
    assert journal.problem and "journal" in journal.problem.lower()
    assert "skrivs inte över" in journal.status
    assert path.read_text(encoding="utf-8") == content  # reading alone changes nothing
    journal.set_text("f02", "ny text")
    moved = list(tmp_path.glob("journal.trasig-*.json"))
    assert len(moved) == 1 and moved[0].read_text(encoding="utf-8") == content
    assert _on_disk(path)["entries"]["f02"]["text"] == "ny text"
    assert f"flyttades till {moved[0]}" in journal.status


def test_a_broken_file_that_cannot_be_moved_is_not_overwritten(monkeypatch, tmp_path: Path):
    path = tmp_path / "journal.json"
    path.write_text("inte json", encoding="utf-8")
    journal = Journal(path, delay=0)

    def refuse(_path):
        raise journalfile.JournalFileProblem("Journalfilen gick inte att flytta undan.")

    monkeypatch.setattr(journalfile, "move_aside", refuse)
    journal.set_text("f01", "viktig text")
    assert path.read_text(encoding="utf-8") == "inte json"
    assert "Kunde inte spara" in journal.status and "flytta undan" in journal.status
    assert journal.text("f01") == "viktig text"


def test_two_notebooks_keep_each_others_entries(tmp_path: Path):
    path = tmp_path / "journal.json"
    first, second = Journal(path, delay=0), Journal(path, delay=0)
    first.set_text("f01", "från den första")
    second.set_text("f02", "från den andra")
    second.set_rating("f05", 2)
    first.set_text("f03", "igen från den första")
    entries = _on_disk(path)["entries"]
    assert {k: v["text"] for k, v in entries.items()} == {
        "f01": "från den första", "f02": "från den andra", "f03": "igen från den första"}
    assert _on_disk(path)["ratings"]["f05"]["level"] == 2
    second.refresh()
    assert second.text("f03") == "igen från den första"


def test_two_processes_writing_at_once_lose_nothing(repo: Path, tmp_path: Path):
    path = tmp_path / "journal.json"
    script = textwrap.dedent(f"""
        import sys
        from regionkurs.journal import Journal
        journal = Journal({str(path)!r}, delay=0)
        for n in range(1, 15):
            journal.set_text(f"{{sys.argv[1]}}{{n:02d}}", f"{{sys.argv[1]}} skrev {{n}}")
        assert not journal.pending, journal.status
    """)
    writers = [subprocess.Popen([sys.executable, "-c", script, who], cwd=repo) for who in ("a", "b")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    entries = _on_disk(path)["entries"]
    assert len(entries) == 28
    assert entries["a07"]["text"] == "a skrev 7" and entries["b14"]["text"] == "b skrev 14"


def test_journal_off_reads_and_writes_nothing(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REGIONKURS_JOURNAL", "off")
    journal = default_journal()
    assert not journal.enabled and journal.status == OFF_STATUS
    journal.set_text("f01", "text på webbplatsen")
    assert journal.save() is False
    assert list(tmp_path.rglob("*")) == []
    assert not Path("off").exists()
