"""The `policybot/1` policy file as typed, immutable data, with the format's validation.

The contract is `../shared/design/policy-format.md`. The code lives in three modules, and
this one re-exports their public names so `from bot.policy.document import …` keeps working:

- `model`: the format's constants, the dataclasses, `FormatIssue` and `PolicyFormatError`;
- `validation`: plain data to a `PolicyDocument` (`parse_policy`) and the field-level checks
  edit modals use (`validate_rule`, `parse_rule`, …), every problem named by its path;
- `yaml_io`: back to plain data (`policy_to_dict`) and YAML in and out (`load_policy_yaml`,
  `dump_policy_yaml`), keeping `x-` keys as extras.
"""

from bot.policy.model import (
    DEFAULT_VERDICTS,
    DETECTORS,
    EVERYONE,
    FORMAT,
    LANGUAGES,
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
)
from bot.policy.validation import (
    parse_group,
    parse_policy,
    parse_role,
    parse_rule,
    validate_group,
    validate_role,
    validate_rule,
)
from bot.policy.yaml_io import (
    dump_policy_yaml,
    group_to_dict,
    load_policy_yaml,
    policy_to_dict,
    role_to_dict,
    rule_to_dict,
    section_to_dict,
)

__all__ = [
    "DEFAULT_VERDICTS",
    "DETECTORS",
    "EVERYONE",
    "FORMAT",
    "LANGUAGES",
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
    "group_to_dict",
    "load_policy_yaml",
    "parse_group",
    "parse_policy",
    "parse_role",
    "parse_rule",
    "policy_to_dict",
    "role_to_dict",
    "rule_to_dict",
    "section_to_dict",
    "validate_group",
    "validate_role",
    "validate_rule",
]
