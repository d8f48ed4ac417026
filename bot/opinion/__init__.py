"""A language model's second opinion on "may I post this?" (interfaces.md, "A language
model's second opinion"): off unless POLICYBOT_LLM_URL is set.

- `client`: the OpenAI-compatible call (httpx), bounded by a timeout; None on any failure.
- `prompt`: what the model is asked (the adopted version's rules and the masked question) and
  how its answer is read (only real rule ids count).
- `reconsider`: when to ask, and how its rules combine with the rules' own answer.
- `cache`: answers kept in the database by version, model and masked text.
"""
