"""The policy document (`policybot/1`): typed model, validation, YAML in and out."""

from bot.policy.document import (
    DETECTORS,
    STANDARD_SECTION_IDS,
    VERDICTS,
    Adopted,
    Default,
    FormatIssue,
    Group,
    PolicyDocument,
    PolicyFormatError,
    Role,
    Rule,
    Section,
    dump_policy_yaml,
    load_policy_yaml,
    parse_policy,
    policy_to_dict,
)

__all__ = [
    "DETECTORS",
    "STANDARD_SECTION_IDS",
    "VERDICTS",
    "Adopted",
    "Default",
    "FormatIssue",
    "Group",
    "PolicyDocument",
    "PolicyFormatError",
    "Role",
    "Rule",
    "Section",
    "dump_policy_yaml",
    "load_policy_yaml",
    "parse_policy",
    "policy_to_dict",
]
