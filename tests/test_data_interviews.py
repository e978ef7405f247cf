"""data/interviews.yml: loaded, and every bad input rejected with file, entry and field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import write_yaml

from regionkurs.errors import DataError
from regionkurs.interviews import load_interviews


@pytest.fixture
def interviews_yaml(repo: Path) -> dict:
    return yaml.safe_load((repo / "data" / "interviews.yml").read_text(encoding="utf-8"))


def write(tmp_path: Path, content: dict) -> Path:
    return write_yaml(tmp_path, "interviews.yml", content)


def test_the_seed_video_is_listed_with_a_privacy_enhanced_embed(repo):
    interview = load_interviews(repo / "data" / "interviews.yml")["regionens-rost"]
    assert interview.youtube_id == "nkrHyQD9tA8"
    assert interview.embed_url(30, 95).startswith("https://www.youtube-nocookie.com/embed/nkrHyQD9tA8?")
    assert "start=30" in interview.embed_url(30, 95) and "end=95" in interview.embed_url(30, 95)


def test_a_segment_per_chapter_is_read(tmp_path, interviews_yaml):
    interviews_yaml["interviews"][0]["segments"] = {"f03": {"start": 10, "end": 70}}
    interview = load_interviews(write(tmp_path, interviews_yaml))["regionens-rost"]
    assert (interview.segments["f03"].start, interview.segments["f03"].end) == (10, 70)


def second(entry: dict, **changes) -> dict:
    return {**entry, **changes}


@pytest.mark.parametrize(
    "change, entry, field, problem",
    [
        (lambda c: c["interviews"][0].pop("title"), "interview regionens-rost", "title", "missing"),
        (lambda c: c["interviews"][0].pop("youtube_id"), "interview regionens-rost", "youtube_id", "missing"),
        (lambda c: c["interviews"][0].update(youtube_id="https://youtu.be/nkrHyQD9tA8"), "interview regionens-rost", "youtube_id", "not a YouTube id"),
        (lambda c: c["interviews"][0].update(youtube_id="nkrHyQD9tA"), "interview regionens-rost", "youtube_id", "not a YouTube id"),
        (lambda c: c["interviews"].append(second(c["interviews"][0])), "interview regionens-rost", "id", "duplicate"),
        (lambda c: c["interviews"][0].update(segments={"f15": {"start": 1}}), "interview regionens-rost, segment f15", "segments", "unknown chapter id"),
        (lambda c: c["interviews"][0].update(segments={"f02": {"start": -5}}), "interview regionens-rost, segment f02", "start", "0 or more"),
        (lambda c: c["interviews"][0].update(segments={"f02": {"start": 60, "end": 30}}), "interview regionens-rost, segment f02", "end", "after start"),
    ],
)
def test_bad_interview_data_is_rejected_naming_file_entry_and_field(tmp_path, interviews_yaml, change, entry, field, problem):
    change(interviews_yaml)
    with pytest.raises(DataError) as error:
        load_interviews(write(tmp_path, interviews_yaml))
    message = str(error.value)
    assert message.startswith(f"interviews.yml: {entry}, field '{field}'"), message
    assert problem in message
