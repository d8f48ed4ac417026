"""The message catalogue: every key the code uses exists, in Dutch and English with the same
placeholders, and every key in it is used.

The code names keys only as whole string literals (a mapping where the key depends on a
value), never built with f-strings or `+`, so reading the source finds every key it uses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.i18n import PLURAL_FORMS, catalogue, placeholders
from bot.vocabulary import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CODE = [ROOT / "bot", ROOT / "handlers", ROOT / "runtime"]
# The functions that take a catalogue key, and where: t(lang, KEY), say(lang, KEY),
# plain(lang, KEY), ctx.t(KEY), ctx.plain(KEY), words(KEY).
KEY_ARGUMENT = {"t": 1, "say": 1, "plain": 1, "words": 0}
METHODS = {"t": 0, "plain": 0}
# Dotted strings in the code that look like keys but are not messages.
NOT_MESSAGES = {"asking.purge_expired"}  # a housekeeping job's name in the database


def sources() -> Iterator[tuple[Path, ast.AST]]:
    for folder in CODE:
        for path in sorted(folder.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def namespaces() -> set[str]:
    return {key.split(".", 1)[0] for key in catalogue()}


def literals() -> dict[str, list[str]]:
    """Every string literal in the code that names a key of the catalogue's namespaces."""
    spaces = namespaces()
    found: dict[str, list[str]] = {}
    for path, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if "." in text and text.split(".", 1)[0] in spaces and " " not in text:
                    found.setdefault(text, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def key_arguments() -> Iterator[tuple[str, ast.expr]]:
    """Every argument that is passed where a catalogue key goes."""
    for path, tree in sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            index = None
            if isinstance(func, ast.Name) and func.id in KEY_ARGUMENT:
                index = KEY_ARGUMENT[func.id]
            elif isinstance(func, ast.Attribute) and func.attr in METHODS:
                index = METHODS[func.attr]
            if index is not None and len(node.args) > index:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[index]


def test_no_key_is_built_from_pieces() -> None:
    built = [
        where
        for where, argument in key_arguments()
        if isinstance(argument, ast.JoinedStr | ast.BinOp)
        or (isinstance(argument, ast.Call) and getattr(argument.func, "attr", "") == "format")
    ]
    assert built == [], "keys must be whole literals (use a mapping): " + ", ".join(built)


def test_every_key_the_code_names_exists() -> None:
    missing = {
        key: places
        for key, places in literals().items()
        if key not in catalogue() and key not in NOT_MESSAGES
    }
    assert missing == {}


def test_every_key_is_used() -> None:
    used = set(literals())
    unused = sorted(key for key in catalogue() if key not in used)
    assert unused == [], "not used anywhere in the code: " + ", ".join(unused)


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_both_languages_say_it_with_the_same_placeholders(key: str) -> None:
    texts = catalogue()[key]
    assert set(texts) == set(LANGUAGES)
    nl, en = (placeholders(texts[lang]) for lang in ("nl", "en"))
    assert nl == en, f"{key}: nl has {sorted(nl)}, en has {sorted(en)}"
    if any(isinstance(text, dict) for text in texts.values()):
        assert all(isinstance(text, dict) for text in texts.values()), key
        assert "count" in nl, f"{key}: plural forms are chosen by a `count` placeholder"
        assert all(set(text) == set(PLURAL_FORMS) for text in texts.values()), key  # type: ignore[arg-type]


def test_no_plural_is_written_with_brackets() -> None:
    """ "rule(s)", "bijdrage(n)", "persoon/personen": a count says which, so say it right."""
    clumsy = ("(s)", "(n)", "(en)", "(len)", "persoon/personen", "person/people")
    for key, texts in catalogue().items():
        for lang, text in texts.items():
            forms = text.values() if isinstance(text, dict) else [text]
            for form in forms:
                assert not any(c in form for c in clumsy), f"{key} ({lang}): {form}"
