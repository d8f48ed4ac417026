"""`make bench-slack`: policybot beside a bare Bolt app (benchmarks/bench_slack.py)."""
