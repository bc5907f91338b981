"""The curators' report, on a tracker store filled through the real running stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest

from bot import report, settings
from tests.ops.helpers import chat, wechat

OPEN_ID = "oAbCdEf-report-citizen-0001"


@pytest.mark.slow
def test_report_groups_unanswered_questions_without_clear_ids(ops, tmp_path):
    wechat(ops.url, ops.wechat, OPEN_ID, "法律援助找哪个部门")
    wechat(ops.url, ops.wechat, OPEN_ID, "zzqx vbnm qwpx")
    chat(ops.url, "report-web", "法律援助找哪个部门")
    chat(ops.url, "report-web", "我的电话13812345678 zzqx vbnm")

    today = datetime.now(report.CHINA_TZ).date().isoformat()
    env = dict(
        os.environ,
        LANGFANG_TRACKER_DB=str(ops.tracker_db),
        LANGFANG_KB_PATH=str(ops.kb_path),
        LANGFANG_VAR_DIR=str(tmp_path / "var"),
    )
    page = tmp_path / "report.html"

    def run(*extra: str) -> str:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.report",
                "--from",
                today,
                "--to",
                today,
                *extra,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=settings.ROOT,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    # Threshold above 1: every message counts, so the grouping is checked on known text.
    everything = run("--threshold", "1.01", "--html", str(page))
    assert "第51项 法律援助" in everything
    assert "× 法律援助找哪个部门" in everything
    assert "13812345678" not in everything and "138********" in everything  # masked
    # Default threshold: the gibberish is listed (fallback or low confidence), the
    # answered question is not.
    flagged = run()
    assert "zzqx vbnm qwpx" in flagged
    assert "× 法律援助找哪个部门" not in flagged
    for output in (everything, flagged, page.read_text()):
        assert OPEN_ID not in output and "report-web" not in output
    key = (tmp_path / "var" / "report.key").read_text().strip().encode()
    assert report.hash_sender(OPEN_ID, key) in page.read_text()


def _user(sender, ts, text, intent, conf, ranking=None):
    data = {
        "event": "user",
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": conf},
            "intent_ranking": ranking or [],
        },
    }
    return (sender, "user", ts, None, json.dumps(data))


def test_flagging_rules():
    rows = [
        _user("a", 1.0, "低保", "ask_department", 0.95),
        ("a", "action", 1.1, "action_answer", "{}"),
        _user(
            "a",
            2.0,
            "嗯嗯",
            "nlu_fallback",
            0.45,
            [
                {"name": "nlu_fallback", "confidence": 0.45},
                {"name": "affirm", "confidence": 0.3},
            ],
        ),
        _user("a", 3.0, "那个东西", "ask_service_info", 0.5),
        _user("b", 4.0, "火星移民", "ask_service_info", 0.9),
        ("b", "action", 4.1, "action_default_fallback", "{}"),
    ]
    flagged = report.flag_messages(rows, 0.6, b"k")
    assert [(m.text, m.reason) for m in flagged] == [
        ("嗯嗯", "fallback"),
        ("那个东西", "low confidence"),
        ("火星移民", "dialogue fallback"),
    ]
    assert flagged[0].intent == "affirm"  # the best real intent, for the curator
    assert {m.sender for m in flagged} == {
        report.hash_sender("a", b"k"),
        report.hash_sender("b", b"k"),
    }


def test_dates_are_checked():
    assert report.main(["--from", "2026-13-01"]) == 2
    assert report.main(["--from", "2026-11-30", "--to", "2026-11-01"]) == 2
