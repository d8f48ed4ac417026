"""The review cycle: `review` in the format (validated, round-tripped), the drafting template's
question that fills it when the lead accepts an answer, and the next review date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.living.review_cycle import next_review_of_latest
from bot.policy.model import PolicyFormatError, Review
from bot.policy.review import next_review
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import dump_policy_yaml, load_policy_yaml
from bot.reviewing.draft import draft_dict
from bot.storage import Database
from bot.storage.models.drafting import Contribution
from tests.driver import MEMBER
from tests.samples import sample_policy_data
from tests.seed import accept, adopt, decide, load_sample_draft


@pytest.mark.parametrize(
    ("every", "month", "adopted", "due"),
    [
        ("1 year", 3, dt.date(2026, 11, 20), dt.date(2027, 3, 31)),  # the coming March
        ("1 jaar", 3, dt.date(2026, 2, 1), dt.date(2027, 3, 31)),  # not this March: too soon
        ("2 years", 3, dt.date(2026, 11, 20), dt.date(2028, 3, 31)),
        ("6 maanden", None, dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
        ("12 months", None, dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
    ],
)
def test_the_next_review(every: str, month: int | None, adopted: dt.date, due: dt.date) -> None:
    doc = parse_policy(
        sample_policy_data() | {"review": {"every": every, "month": month}}
        if month
        else sample_policy_data() | {"review": {"every": every}}
    )
    assert doc.review is not None and next_review(doc.review, adopted) == due


def test_review_is_validated_and_round_trips() -> None:
    doc = parse_policy(sample_policy_data() | {"review": {"every": "1 jaar", "month": 3}})
    assert doc.review == Review("1 jaar", 12, 3)
    assert load_policy_yaml(dump_policy_yaml(doc)) == doc
    assert "review:\n  every: 1 jaar\n  month: 3" in dump_policy_yaml(doc)
    with pytest.raises(PolicyFormatError) as refused:
        parse_policy(sample_policy_data() | {"review": {"every": "soms", "month": 3, "x": 1}})
    paths = {issue.path for issue in refused.value.errors}
    assert paths == {"review.every", "review.x"}
    with pytest.raises(PolicyFormatError) as refused:
        parse_policy(sample_policy_data() | {"review": {"every": "6 months", "month": 13}})
    assert [i.path for i in refused.value.errors] == ["review.month"]
    with pytest.raises(PolicyFormatError):
        parse_policy(sample_policy_data() | {"review": {"every": "6 months", "month": 3}})


def test_the_template_question_fills_the_drafts_review(db: Database) -> None:
    load_sample_draft(db)
    with db.session() as session:
        row = Contribution(
            section_id="ownership",
            question_id="ownership.review_cycle",
            author=MEMBER,
            text="Elk jaar, in het eerste kwartaal",
            channel="C0DRAFT",
            message_ts="1700000000.000001",
            structured={"kind": "choice", "options": ["yearly_q1"]},
        )
        session.add(row)
        session.flush()
        contribution = row.id
    accept(db, contribution)
    with db.session() as session:
        assert draft_dict(session, "nl")["review"] == {"every": "1 year", "month": 3}
    decide(db, "rejected", contribution)
    with db.session() as session:
        assert "review" not in draft_dict(session, "nl")


def test_the_adopted_versions_next_review(db: Database) -> None:
    adopt(db)
    with db.session() as session:
        assert next_review_of_latest(session) is None  # the sample says nothing
    adopt(db, sample_policy_data() | {"review": {"every": "1 year", "month": 3}})
    with db.session() as session:
        found = next_review_of_latest(session)
    assert found is not None and (found.version, found.due) == (2, dt.date(2027, 3, 31))
