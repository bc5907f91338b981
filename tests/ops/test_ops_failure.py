"""Failure handling against the real stack: action server down or slow, KB problems,
listening addresses, API token, and no tracker echoed in an action server error."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot import settings
from bot.failsafe import BUSY_REPLY
from bot.stack import free_port
from tests.ops.helpers import chat, tracker, wechat

ITEM = "第51项"  # 法律援助
QUESTION = "法律援助找哪个部门"
FOLLOW_UP = "电话多少"
FAILSAFE_LOG = "could not run"  # bot.failsafe's once-per-outage line


def failsafe_lines(log: Path) -> int:
    return sum(
        FAILSAFE_LOG in line for line in log.read_text(errors="replace").splitlines()
    )


@pytest.mark.slow
def test_action_server_down_then_back(ops):
    """Every channel gets the busy reply within 5 s; the log says it once; after the
    action server returns, the next message is answered with the context kept."""
    first = chat(ops.url, "down1", QUESTION)
    assert first.status == 200 and any(ITEM in t for t in first.texts), first.texts
    rasa_log = ops.log_dir / "rasa.log"
    before = failsafe_lines(rasa_log)

    ops.stack.stop_actions()
    try:
        answers = [
            chat(ops.url, "down1", FOLLOW_UP),
            chat(ops.url, "down2", QUESTION),
            wechat(ops.url, ops.wechat, "o-down-wechat", QUESTION),
            chat(ops.url, "down1", FOLLOW_UP),
        ]
    finally:
        ops.stack.start_actions()
    for answer in answers:
        assert answer.status == 200
        assert answer.texts == [BUSY_REPLY], answer.texts
        assert answer.seconds < 5.0, answer.seconds
    assert failsafe_lines(rasa_log) - before == 1, "logged once per outage"
    assert "make run" in rasa_log.read_text(errors="replace")  # says what to do

    back = chat(ops.url, "down1", FOLLOW_UP)
    assert back.status == 200
    assert any(ITEM in t for t in back.texts), back.texts  # context survived
    slots = tracker(ops.url, ops.stack.api_token, "web:down1")["slots"]
    assert slots["item_id"] == 51


@pytest.mark.slow
def test_action_server_slow(ops):
    """A slow action server (a delaying loopback proxy) costs the citizen at most the
    configured budget, then the busy reply; when it is fast again, answers resume."""
    assert chat(ops.url, "slow1", QUESTION).texts
    ops.proxy.delay_s = 8.0
    try:
        slow_chat = chat(ops.url, "slow1", FOLLOW_UP)
        slow_wechat = wechat(ops.url, ops.wechat, "o-slow-wechat", QUESTION)
    finally:
        ops.proxy.delay_s = 0.0
    for answer in (slow_chat, slow_wechat):
        assert answer.texts == [BUSY_REPLY], answer.texts
        assert answer.seconds < 5.0, answer.seconds
    back = chat(ops.url, "slow1", FOLLOW_UP)
    assert any(ITEM in t for t in back.texts), back.texts


@pytest.mark.slow
def test_running_action_server_keeps_its_knowledge_base(ops, kb_path):
    """Deleting, then replacing, the KB file under a running server changes nothing
    until restart: it answers from the database it opened."""
    try:
        ops.kb_path.unlink()
        assert any(ITEM in t for t in chat(ops.url, "kb1", QUESTION).texts)
        junk = ops.kb_path.with_suffix(".new")
        junk.write_bytes(b"not a database")
        os.replace(junk, ops.kb_path)
        assert any(ITEM in t for t in chat(ops.url, "kb2", QUESTION).texts)
    finally:
        # Later tests restart the action server, which must find a good database.
        shutil.copy(kb_path, ops.kb_path)


def _start_action_server(kb_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, LANGFANG_KB_PATH=str(kb_path), PYTHONPATH=str(settings.ROOT))
    return subprocess.run(
        [sys.executable, "-m", "bot.action_server", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.ROOT,
    )


def _old_schema_copy(kb_path: Path, tmp_path: Path) -> Path:
    from kb.build import SCHEMA_VERSION

    old = tmp_path / "old.db"
    old.write_bytes(kb_path.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'",
            (str(SCHEMA_VERSION - 1),),
        )
    return old


@pytest.mark.parametrize("problem", ["missing", "empty", "old schema"])
def test_action_server_refuses_a_bad_knowledge_base(problem, tmp_path, kb_path):
    if problem == "missing":
        path = tmp_path / "nothing.db"
    elif problem == "empty":
        path = tmp_path / "empty.db"
        sqlite3.connect(path).close()
    else:
        path = _old_schema_copy(kb_path, tmp_path)
    result = _start_action_server(path)
    assert result.returncode == 1
    assert "make kb" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "store, setting",
    [
        ({"LANGFANG_TRACKER_STORE": "postgres", "LANGFANG_PG_PORT": "{port}"},
         "LANGFANG_PG_PORT"),
        ({"LANGFANG_LOCK_STORE": "redis",
          "LANGFANG_REDIS_URL": "redis://127.0.0.1:{port}/1"}, "LANGFANG_REDIS_URL"),
    ],
    ids=["postgres", "redis"],
)
def test_rasa_refuses_to_start_on_a_store_that_does_not_answer(store, setting):
    # Nothing listens on a free port: the configured server is down. Rasa alone would
    # retry the tracker database forever without ever saying it is ready.
    port = str(free_port())
    env = dict(os.environ, PYTHONPATH=str(settings.ROOT))
    env.update({k: v.format(port=port) for k, v in store.items()})
    result = subprocess.run(
        [sys.executable, "-m", "bot.rasa_server", "run", "--model", "no-model.tar.gz"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.ROOT,
    )
    assert result.returncode == 2
    assert f"127.0.0.1:{port}" in result.stderr and setting in result.stderr
    assert "did not answer" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_error_answer_does_not_echo_the_tracker(ops):
    marker = "o-SECRET-OPENID-" + os.urandom(4).hex()
    body = json.dumps(
        {
            "next_action": "action_answer",
            "sender_id": marker,
            "tracker": marker,
            "version": "3.6.21",
        }
    ).encode()
    request = urllib.request.Request(
        f"{ops.stack.actions_url}/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    answer = err.value.read().decode()
    assert err.value.code == 500
    assert marker not in answer and len(answer) < 100, answer


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(addr)
    return found


@pytest.mark.slow
def test_servers_listen_on_loopback_only(ops):
    loopback = {"0100007F"}  # 127.0.0.1, little-endian hex
    assert _listening_addresses(ops.stack.rasa_port) == loopback
    assert _listening_addresses(ops.stack.actions_port) == loopback


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--enable-api"],
        ["run", "--enable-api", "--auth-token", ""],
        ["run", "--enable-api", "--auth-token=  "],
    ],
)
def test_api_needs_a_token(args):
    result = subprocess.run(
        [sys.executable, "-m", "bot.rasa_server", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.ROOT,
    )
    assert result.returncode == 2
    assert "auth token" in result.stderr
