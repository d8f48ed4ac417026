"""A process a test starts runs the code under test, wherever it runs and whatever the
virtualenv's editable install points at (worktrees may share one virtualenv): otherwise a
test of a changed server, such as the bounded-request tests on `serve --http`, passes on the
unchanged one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
WHERE = "import bot, handlers, runtime; print(bot.__file__, handlers.__file__, runtime.__file__)"


def test_a_child_process_imports_this_checkout(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WHERE],
        cwd=tmp_path,  # outside the checkout, as `serve --http` and the CLI tests run
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for imported in done.stdout.split():
        assert Path(imported).resolve().is_relative_to(CHECKOUT), imported
