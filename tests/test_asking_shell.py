"""An employee's question passed on to a role and talked through, in `policybot shell`: a
scripted subprocess on a database the CLI adopted the sample policy into."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runs import run_policybot
from tests.samples import SAMPLE_POLICY

SCRIPT = r"""
\channel #webcare
\as @erik
\lang nl
\dm
mag ik dit posten: Onder ons bericht staan tientallen klachten, ik reageer wel
\pick 1
\as @carla
\lang en
\channel #webcare
\thread
Which complaints exactly?
\as @erik
\dm
\thread 1
Over de afvalinzameling. Bel me op 06-12345678
\as @carla
\channel #webcare
\pick 1
\as @erik
/policy mijn
\as @emma
\lang en
\contact 06-87654321 emma@gemeente.nl
/policy check Questions about the open day? Call me on 06-87654321
/policy help check
"""


def test_a_question_passed_on_and_talked_through_in_the_shell(db_url: str, tmp_path: Path) -> None:
    adopting = ["policy", "import", str(SAMPLE_POLICY), "--adopt", "--by", "College"]
    run_policybot(adopting, db_url, tmp_path, language="nl")
    out = run_policybot(["shell"], db_url, tmp_path, SCRIPT, language="nl")
    assert "Hoe zeker: een regel past, op duidelijke aanwijzingen." in out
    assert "*Vraag voor Webcareteam* van @erik" in out and "[1] Markeer als beantwoord" in out
    assert "Ik heb dit doorgestuurd naar *Webcareteam* (in #webcare)" in out
    assert "policybot in DM with @erik, thread [#1]:" in out  # the role's reply reached him
    assert "> Which complaints exactly?" in out
    assert "@erik schreef terug:" in out and "06-****5678" in out
    assert "Als beantwoord gemarkeerd door @carla" in out
    assert "heeft je vraag als beantwoord gemarkeerd (@carla)" in out
    assert "↳ doorgestuurd naar *Webcareteam*: beantwoord (@carla" in out
    assert "How sure: no rule covers this" in out  # Emma's own number is hers to mention
    assert "_Example:_ `/policy check" in out
