"""The policy document (`policybot/1`): `model` (the typed document), `checker` and
`validation` (plain data in), `yaml_io` (plain data and YAML out and in)."""
