"""Checks the labels of a blind set against its own policy files, reading the YAML only.

    python benchmarks/check_labels.py FOLDER [-v]      (e.g. benchmarks/blind4)

It never runs the answering engine. Per policy it checks: question ids unique; roles, groups and
rule ids exist; a group-limited rule is only cited for an asker in that group; a check's label is
the strictest verdict among its `decided_by` rules with one role at that level (the default when
none); a paraphrase shares no keyword with its deciding rules; IBANs pass mod-97 and BSNs the
eleven test. Then it prints the counts the README's table shows. Exits 1 on any error. With
-v it also names rules whose keywords occur in a question that does not cite them, for a human
to judge (look-alikes are meant to).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

STRICTNESS = {"allowed": 0, "review": 1, "forbidden": 2}
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
NINE_DIGITS = re.compile(r"(?<![\d.,-])\d{9}(?![\d.,-])|(?<![\d.,-])\d{4}\.\d{2}\.\d{3}(?![\d.,-])")


def iban_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def bsn_valid(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def check(base: Path, verbose: bool) -> tuple[list[str], Counter[str], list[dict[str, Any]]]:
    policy = yaml.safe_load((base.parent / f"{base.name}.policy.yml").read_text())
    cases = yaml.safe_load((base.parent / f"{base.name}.questions.yml").read_text())
    rules = {r["id"]: r for r in policy["rules"]}
    roles = {r["id"] for r in policy["roles"]}
    groups = {g["id"] for g in policy.get("groups", [])} | {"all"}
    errors: list[str] = []
    if len(rules) != len(policy["rules"]):
        errors.append("duplicate rule ids")
    for rule in rules.values():
        if rule.get("role") and rule["role"] not in roles:
            errors.append(f"{rule['id']}: unknown role {rule['role']}")
        if rule["verdict"] == "review" and not rule.get("role"):
            errors.append(f"{rule['id']}: review without a role")
        for group in rule.get("applies_to", []):
            if group not in groups:
                errors.append(f"{rule['id']}: unknown group {group}")
    ids = [c["id"] for c in cases]
    if len(set(ids)) != len(ids):
        errors.append("duplicate question ids")
    tags: Counter[str] = Counter()
    for case in cases:
        cid = case["id"]
        asker = set(case.get("groups", [])) | {"all"}
        tags.update(case["tags"])
        tags["check"] += case["kind"] == "check"
        if asker - groups:
            errors.append(f"{cid}: unknown group {asker - groups}")
        decided = case.get("decided_by", [])
        for rid in decided:
            if rid not in rules:
                errors.append(f"{cid}: unknown rule {rid}")
                continue
            limited = set(rules[rid].get("applies_to", []))
            if limited and not limited & asker:
                errors.append(f"{cid}: {rid} is limited to {sorted(limited)}")
        if any(rid not in rules for rid in decided):
            continue
        expect = case["expect"]
        if expect["role"] not in roles:
            errors.append(f"{cid}: unknown role {expect['role']}")
        if case["kind"] == "check":
            tags[expect["verdict"]] += 1
            if decided:
                top = max(STRICTNESS[rules[r]["verdict"]] for r in decided)
                deciding = [r for r in decided if STRICTNESS[rules[r]["verdict"]] == top]
                verdict = rules[deciding[0]]["verdict"]
                top_roles = {rules[r].get("role") for r in deciding}
                if len(top_roles) != 1:
                    errors.append(f"{cid}: several roles at the deciding level {top_roles}")
                role = rules[deciding[0]].get("role") or policy["default"]["role"]
            else:
                deciding = []
                verdict, role = policy["default"]["verdict"], policy["default"]["role"]
            if expect["verdict"] != verdict or expect["role"] != role:
                errors.append(f"{cid}: label {expect} but the rules say {verdict}/{role}")
            if ("default" in case["tags"]) != (not decided):
                errors.append(f"{cid}: the default tag and an empty decided_by disagree")
            if "multi" in case["tags"] and len(decided) < 2:
                errors.append(f"{cid}: multi with fewer than two rules")
        else:
            deciding = decided
            if decided and rules[decided[0]].get("role") != expect["role"]:
                errors.append(f"{cid}: who label {expect['role']} but {decided[0]} names another")
        text = case["text"].lower()
        if verbose:
            for rid, rule in rules.items():
                hits = [k for k in rule.get("keywords", []) if str(k).lower() in text]
                if hits and rid not in decided:
                    print(f"  note {cid}: {rid} keywords {hits} in the text, not cited")
        if "para" in case["tags"]:
            for rid in deciding:
                shared = [k for k in rules[rid].get("keywords", []) if str(k).lower() in text]
                if shared:
                    errors.append(f"{cid}: paraphrase shares {shared} with {rid}")
        for value in IBAN.findall(case["text"]):
            if not iban_valid(value):
                errors.append(f"{cid}: IBAN {value} fails mod-97")
        if "pd" in case["tags"]:
            for value in NINE_DIGITS.findall(case["text"]):
                if not bsn_valid(value):
                    errors.append(f"{cid}: nine digits {value} fail the eleven test")
        if "group" in case["tags"] and not any(rules[r].get("applies_to") for r in decided):
            errors.append(f"{cid}: group tag without a group-limited rule")
    return errors, tags, cases


def main() -> int:
    folders = [Path(arg) for arg in sys.argv[1:] if arg != "-v"]
    if len(folders) != 1 or not folders[0].is_dir():
        print("usage: python benchmarks/check_labels.py FOLDER [-v]", file=sys.stderr)
        return 2
    failed = False
    total: Counter[str] = Counter()
    columns = ["check", "who", "forbidden", "review", "allowed", "direct", "para", "look", "pd"]
    print("| policy | questions | " + " | ".join(columns) + " | nl | en |")
    for path in sorted(folders[0].glob("*.policy.yml")):
        base = path.with_name(path.name.removesuffix(".policy.yml"))
        errors, tags, cases = check(base, "-v" in sys.argv)
        for error in errors:
            print(f"{base.name}: {error}")
        failed = failed or bool(errors)
        total.update(tags)
        total["questions"] += len(cases)
        cells = [str(tags[c]) for c in columns + ["nl", "en"]]
        print(f"| {base.name} | {len(cases)} | " + " | ".join(cells) + " |")
    print("total:", dict(sorted(total.items())))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
