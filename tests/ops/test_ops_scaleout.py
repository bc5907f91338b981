"""Scale-out for real: two Rasa processes sharing a PostgreSQL tracker store and a Redis
lock store (started by `scripts/scaleout.sh` on loopback), one action server.

One citizen sends 5 messages at once, spread over both processes. Rasa's ticket lock in
Redis must make them run one at a time, in arrival order, and the stored conversation
must hold 5 complete turns, each answering its own question. To make the messages
really wait for each other, each action call is held 0.6 s by a delaying loopback proxy
(asynchronous waiting, so each process keeps accepting messages and taking tickets in
arrival order).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import types
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot import retention, settings, stores
from bot.stack import Stack, free_port
from tests.delay_proxy import DelayProxy
from tests.ops.helpers import chat, tracker

QUESTIONS = [  # (question, item it names)
    ("法律援助找哪个部门", 51),
    ("法律援助打什么电话", 51),
    ("法律援助谁能享受", 51),
    ("法律援助标准是什么", 51),
    ("法律援助资金谁出", 51),
]


def _pg_settings(env: dict[str, str]) -> types.SimpleNamespace:
    return types.SimpleNamespace(
        TRACKER_STORE="postgres",
        PG_HOST=env["LANGFANG_PG_HOST"],
        PG_PORT=int(env["LANGFANG_PG_PORT"]),
        PG_DB=env["LANGFANG_PG_DB"],
        PG_USER=env["LANGFANG_PG_USER"],
        PG_PASSWORD=env["LANGFANG_PG_PASSWORD"],
    )


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scaleout")
    script = settings.ROOT / "scripts" / "scaleout.sh"
    out = subprocess.run(
        [str(script), "start", str(tmp)], capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    env = dict(line.split("=", 1) for line in out.stdout.split())
    yield tmp, env
    subprocess.run([str(script), "stop", str(tmp)], timeout=120)


@pytest.mark.slow
def test_two_rasa_processes_one_conversation(services):
    tmp, store_env = services
    proxy = DelayProxy().start()  # listening before the stacks choose free ports
    env = {
        **store_env,
        "LANGFANG_VAR_DIR": str(tmp / "var"),
        "LANGFANG_ACTIONS_URL": f"http://127.0.0.1:{proxy.port}/webhook",
    }
    first = Stack(env=env, log_dir=tmp / "logs-a")
    second = None
    try:
        first.start_actions()  # one action server for both
        proxy.upstream_port = first.actions_port
        second = Stack(
            rasa_port=free_port(avoid={first.rasa_port, first.actions_port}),
            actions_port=first.actions_port,
            env=env,
            log_dir=tmp / "logs-b",
        )
        # Loading a model takes a minute or more on a busy machine: load both at once.
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda s: s.start_rasa(), (first, second)))
        # Both processes answer from the same conversation store.
        assert chat(first.rasa_url, "warm", "你好").status == 200
        assert chat(second.rasa_url, "warm", "你好").status == 200

        proxy.delay_s = 0.6
        sender = f"scale{os.getpid()}"
        urls = [first.rasa_url, second.rasa_url]
        answers: list = [None] * len(QUESTIONS)
        barrier = threading.Barrier(len(QUESTIONS))

        def send(i: int) -> None:
            barrier.wait()
            time.sleep(0.1 * i)  # arrival order 0..4, all within the first turn
            answers[i] = chat(urls[i % 2], sender, QUESTIONS[i][0])

        with ThreadPoolExecutor(len(QUESTIONS)) as pool:
            list(pool.map(send, range(len(QUESTIONS))))
        proxy.delay_s = 0.0

        for (question, item), answer in zip(QUESTIONS, answers):
            assert answer.status == 200 and len(answer.texts) >= 1, (question, answer)
            assert f"第{item}项" in answer.texts[0], (question, answer.texts)
        assert max(a.seconds for a in answers) > 2.4  # they really queued

        events = tracker(second.rasa_url, second.api_token, f"web:{sender}")["events"]
        users = [e for e in events if e["event"] == "user"]
        assert [e["text"] for e in users] == [q for q, _ in QUESTIONS]  # arrival order
        # One at a time: each turn (user message -> bot reply -> listen) ends before
        # the next message is read.
        turns: list[list[dict]] = []
        for event in events:
            if event["event"] == "user":
                turns.append([event])
            elif turns:
                turns[-1].append(event)
        for turn in turns:
            kinds = [e["event"] for e in turn]
            assert kinds.count("bot") >= 1, kinds
            assert kinds[-1] == "action" and turn[-1]["name"] == "action_listen", kinds
        stamps = [e["timestamp"] for e in events]
        assert stamps == sorted(stamps)
        # The first process sees the same conversation.
        same = tracker(first.rasa_url, first.api_token, f"web:{sender}")["events"]
        assert [e["text"] for e in same if e["event"] == "user"] == [
            q for q, _ in QUESTIONS
        ]

        # Retention's SQL works on PostgreSQL too: two days from now, with a one-day
        # period, both conversations ("warm" and this one) are due.
        engine = stores.sql_engine(stores.tracker_db_url(_pg_settings(store_env)))
        later = time.time() + 2 * 86400
        assert retention.prune(engine, 1, now=later).conversations == 2
        assert retention.prune(engine, 1, now=later).events == 0
        engine.dispose()
    finally:
        if second is not None:
            second.stop()
        first.stop()
        proxy.stop()
