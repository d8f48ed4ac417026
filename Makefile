# The two commands: `make run` and `make test`. Both set everything up first.
.PHONY: run test setup lock lint format bench bench-answers bench-export bench-startup bench-slack bench-dm-pair

run:
	@scripts/run.sh

test:
	@scripts/test.sh

setup:
	@scripts/setup.sh

# After changing a dependency in pyproject.toml: pins every package, with hashes.
lock:
	@scripts/lock.sh

lint:
	@scripts/setup.sh && .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

format:
	@scripts/setup.sh && .venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:
	@scripts/setup.sh && .venv/bin/python benchmarks/bench_check.py

bench-answers:
	@scripts/setup.sh && .venv/bin/python benchmarks/answer_quality.py

bench-export:
	@scripts/setup.sh && .venv/bin/python benchmarks/bench_export.py

bench-startup:
	@scripts/setup.sh && .venv/bin/python benchmarks/bench_startup.py

# policybot against a bare Bolt app, interleaved; ARGS="--instances 2" for the fleet figures.
bench-slack:
	@scripts/setup.sh && .venv/bin/python benchmarks/bench_slack.py $(ARGS)

# policybot against another checkout of itself, DM by DM: ARGS="--code DIR" (required).
bench-dm-pair:
	@scripts/setup.sh && .venv/bin/python benchmarks/bench_dm_pair.py $(ARGS)
