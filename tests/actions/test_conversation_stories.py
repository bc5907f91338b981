"""Runs the conversation tests (tests/test_*.yml) against the trained model.

`rasa test core --fail-on-prediction-errors` parses each user line with the model's NLU
(intent and entities must match the labels) and checks that the policies predict each
action in turn. It needs no action server: actions are predicted, not run.
"""

import subprocess
import sys

import pytest

from bot import settings

STORIES = sorted((settings.ROOT / "tests").glob("test_*.yml"))


@pytest.mark.parametrize("stories", STORIES, ids=[p.name for p in STORIES])
def test_conversations(stories, tmp_path):
    model = settings.MODEL_DIR / "langfang.tar.gz"
    if not model.exists():
        pytest.fail(f"No trained model at {model}; run `make setup` first.")
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core",
         "--model", str(model),
         "--stories", str(stories),
         "--fail-on-prediction-errors",
         "--out", str(tmp_path / "results")],
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    failed = tmp_path / "results" / "failed_test_stories.yml"
    if failed.exists():
        assert "story:" not in failed.read_text(encoding="utf-8"), failed.read_text()
