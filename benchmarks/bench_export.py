"""Export time for a large draft: 30 sections, 1,000 contributions, 150 rules, 20 roles.

    python benchmarks/bench_export.py [--sections 30] [--contributions 1000] [--rules 150]

Builds the draft in a fresh SQLite database in a temporary directory (the same tables the
bot uses), adopts it once, then times reading the draft or the version and rendering each
format, as `/policy export` does. Prints figures; asserts nothing. The goal is seconds, not
minutes, for the largest draft.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.exporting import FORMATS, draft_source, export, version_source  # noqa: E402
from bot.reviewing import versions  # noqa: E402
from bot.reviewing.draft import (  # noqa: E402
    DEFAULT,
    LANGUAGE,
    ORGANISATION,
    SECTIONS_SEEDED,
    cover_decisions,
    put_setting,
)
from bot.storage import Database  # noqa: E402
from bot.storage.models.drafting import Contribution  # noqa: E402
from bot.storage.models.policy import DraftRole, DraftRule, DraftSection  # noqa: E402

WORDS = [
    "beleid",
    "medewerkers",
    "social",
    "media",
    "posten",
    "klanten",
    "privacy",
    "journalist",
    "pers",
    "webcare",
    "crisis",
    "account",
    "huisstijl",
    "foto",
    "video",
    "inwoners",
    "vertrouwelijk",
    "integriteit",
    "reclame",
    "vacature",
    "team",
    "project",
    "evenement",
    "woordvoerder",
    "monitoring",
    "reageren",
    "platform",
    "doelgroep",
    "richtlijn",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(6, 16)) for _ in range(sentences))


def build(db: Database, sections: int, contributions: int, rules: int, roles: int) -> None:
    rng = random.Random(4)
    with db.session() as session:
        for name, value in (
            (ORGANISATION, "Benchmark BV"),
            (LANGUAGE, "nl"),
            (DEFAULT, {"verdict": "allowed", "role": "role0"}),
            (SECTIONS_SEEDED, True),
        ):
            put_setting(session, name, value, "bench")
        for i in range(sections):
            text = "\n\n".join(paragraph(rng, 5) for _ in range(4)) + "\n\n- een\n- twee\n"
            session.add(
                DraftSection(section_id=f"s{i}", title=f"Onderdeel {i}", text=text, position=i)
            )
        for i in range(roles):
            session.add(
                DraftRole(
                    role_id=f"role{i}",
                    name=f"Rol {i}",
                    contact=f"#kanaal-{i}",
                    handles=sentence(rng, 10),
                    keywords=[rng.choice(WORDS) for _ in range(5)],
                    position=i,
                )
            )
        for i in range(rules):
            session.add(
                DraftRule(
                    rule_id=f"R{i:03d}",
                    section=f"s{i % sections}",
                    verdict=rng.choice(("forbidden", "review", "allowed")),
                    text=paragraph(rng, 2),
                    role=f"role{i % roles}",
                    keywords=[rng.choice(WORDS) for _ in range(6)],
                    position=i,
                )
            )
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        for i in range(contributions):
            session.add(
                Contribution(
                    section_id=f"s{i % sections}",
                    question_id=f"s{i % sections}.q{i % 5}",
                    author=f"U{i % 25:08d}",
                    text=paragraph(rng, rng.randint(1, 4)),
                    channel="C0DRAFT",
                    message_ts=f"1700000000.{i:06d}",
                    review=rng.choice(("pending", "accepted", "accepted")),
                    created_at=start + dt.timedelta(minutes=i),
                )
            )


def timed(action, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=30)
    parser.add_argument("--contributions", type=int, default=1000)
    parser.add_argument("--rules", type=int, default=150)
    parser.add_argument("--roles", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.db")
        db.migrate()
        build(db, args.sections, args.contributions, args.rules, args.roles)
        with db.session() as session:
            approval = versions.Approval("Directie", dt.date(2026, 1, 20), ["Besluit"])
            adopt_time, _ = timed(lambda: versions.adopt_draft(session, "bench", approval, "nl"), 1)

        print(
            f"draft: {args.sections} sections, {args.contributions} contributions, "
            f"{args.rules} rules, {args.roles} roles (median of {args.repeat})"
        )
        print(f"  adopt (freeze + diff)     {adopt_time * 1000:8.0f} ms")
        for which in ("draft", "version"):
            for fmt in FORMATS:

                def run(which: str = which, fmt: str = fmt) -> bytes:
                    with db.session() as session:
                        if which == "draft":
                            source = draft_source(session, "nl")
                            return export(source, fmt, cover_decisions(session)).content
                        return export(version_source(session, None), fmt).content

                seconds, content = timed(run, args.repeat)
                size = len(content) if isinstance(content, bytes) else 0
                print(f"  {which:7} {fmt:5}  {seconds * 1000:8.0f} ms  {size / 1024:8.0f} KiB")
        db.dispose()


if __name__ == "__main__":
    main()
