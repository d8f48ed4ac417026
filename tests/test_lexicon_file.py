"""The lexicon's YAML files are read by one reader (`lexicon.lexicon_file`): once per process
however many modules compile cues from one, and shared read-only, so one reader cannot change
what another reads."""

from __future__ import annotations

import pytest

from bot.answering import frame, own_things, unsure
from bot.answering.lexicon import lexicon_file


def test_a_lexicon_file_is_read_once_and_shared() -> None:
    assert lexicon_file("unsure.yml") is lexicon_file("unsure.yml")
    assert lexicon_file("frames.yml") is not lexicon_file("unsure.yml")


def test_what_the_reader_shares_cannot_be_changed() -> None:
    shared = lexicon_file("unsure.yml")
    with pytest.raises(TypeError):
        shared["patterns"] = {}  # type: ignore[index]


def test_the_cue_modules_read_their_words_through_it() -> None:
    """`unsure.yml` serves two modules (`own_things`, `unsure`), `frames.yml` one: each file
    read once, by whichever asks first; the other is handed what was read."""
    for cached in (lexicon_file, own_things.own_lexicon, unsure._plainly_fine, frame._lexicon):
        cached.cache_clear()
    own_things.own_lexicon()
    assert lexicon_file.cache_info().misses == 1  # unsure.yml, read for `own_things`
    unsure._plainly_fine(False)
    assert (lexicon_file.cache_info().misses, lexicon_file.cache_info().hits) == (1, 1)
    frame._lexicon()
    assert lexicon_file.cache_info().misses == 2  # frames.yml
