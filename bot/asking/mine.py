"""What one person asked: their latest questions, each with the escalation made from it and
how far its conversation got (`/policy mine`). Texts are as the log keeps them: masked, and
gone after the retention period."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.asking import conversation, escalations, question_log
from bot.asking.conversation import Activity
from bot.asking.escalations import EscalationView
from bot.asking.question_log import LoggedQuestion

SHOWN = 10


@dataclass(frozen=True)
class MyQuestion:
    question: LoggedQuestion
    escalation: EscalationView | None  # the one passed on to a role, if any
    activity: Activity


@dataclass(frozen=True)
class MyQuestions:
    questions: list[MyQuestion]
    total: int  # how many they asked in all (older ones are not listed)


def my_questions(session: Session, asker: str, limit: int = SHOWN) -> MyQuestions:
    asked, total = question_log.asked_by(session, asker, limit)
    made: dict[int, EscalationView] = {}
    for row in escalations.of_asker(session, asker, limit=5 * limit):
        if row.question_id is not None and row.status != escalations.FAILED:
            made.setdefault(row.question_id, row)  # one per question, at most
    counted = conversation.activity(session, (e.id for e in made.values()))
    listed = []
    for question in asked:
        escalation = made.get(question.id)
        progress = counted.get(escalation.id, Activity()) if escalation else Activity()
        listed.append(MyQuestion(question, escalation, progress))
    return MyQuestions(listed, total)
