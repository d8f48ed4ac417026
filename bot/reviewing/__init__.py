"""Reviewing: the communications lead turns the working group's contributions into a policy
and has it adopted.

- `draft`: the shared draft (tables) as one `policybot/1` document, and a document loaded
  into the draft;
- `contributions`, `sections`, `items`, `document`: consolidation, every change checked as
  policy-format.md says and recorded in the audit trail;
- `review`: what a review page and the overview show;
- `versions`, `diff`, `adoption`: frozen versions, what changed between them, and the steps
  of adopting one.

Functions take the caller's `Session` (its unit of work) first and return frozen dataclasses.
"""
