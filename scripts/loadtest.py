#!/usr/bin/env python
"""Load test: simulated citizens chatting at the same time, over loopback only.

    make loadtest                       # 200 citizens x 10 messages, 50 at a time,
                                        # through the chat (REST) and WeChat channels
    .venv/bin/python scripts/loadtest.py --citizens 20 --messages 3 --channels chat

It starts its own assistant (`bot.stack.Stack`, free ports, a temporary tracker
database, WeChat configured with a random token) and a fake of WeChat's API server on
loopback (answers that miss WeChat's 5 s window are sent later through the
customer-service API; the fake receives them). Each citizen asks about a different
list item, then follows up about it ("电话多少") and waits for each answer before the
next question, as a person would.

Citizens take `--think` seconds on average (10 s: reading the answer, typing on a
phone) before their next question; `--think 0` makes it a stress test in which 50
citizens fire their next question the moment an answer arrives (throughput is then
what the machine can do, and latency is 50 / throughput).

Checks, per message: exactly one reply (none = lost, two = duplicated); explicit
questions are answered about the citizen's own item (「第N项」), and no reply names
another item instead (a crossed conversation); the busy reply, HTTP errors and
time-outs count as errors. Reports throughput, latency p50/p95/p99, errors, and peak
memory (RSS) of Rasa and the action server. Bounded: citizens x messages messages, each
waiting at most --timeout s, the whole run at most --max-seconds. Figures are printed,
never asserted; the exit code is 1 when a message was lost, duplicated or wrong.

Targets on the 2-core machine: 0 lost, 0 duplicated, 0 errors, WeChat p99 < 4.5 s,
chat/REST p95 < 1.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import secrets
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUSY = "系统繁忙"
ITEM_RE = re.compile(r"第(\d+)项")
SCRIPT = [
    "{name}找哪个部门",
    "电话多少",
    "谁可以享受",
    "标准是什么",
    "{name}打什么电话",
    "哪个部门负责",
    "{name}谁能享受",
    "资金谁出",
    "{name}是什么",
    "谢谢",
]
"""A citizen's questions; "{name}" is their item's name (explicit questions)."""


# --- fake WeChat API (outside the machine in production) ---------------------------
class FakeWeChatApi:
    """A fake of WeChat's API server on loopback: tokens, customer-service sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, str, str]] = []  # (monotonic time, openid, text)
        self.lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _json(self, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if urlsplit(self.path).path == "/cgi-bin/token":
                    self._json({"access_token": "fake-token", "expires_in": 7200})
                else:
                    self._json({"errcode": 404, "errmsg": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                data = json.loads(self.rfile.read(length) or b"{}")
                token = parse_qs(urlsplit(self.path).query).get("access_token", [""])[0]
                if token != "fake-token":
                    self._json({"errcode": 40001, "errmsg": "invalid credential"})
                    return
                with api.lock:
                    api.sent.append(
                        (
                            time.monotonic(),
                            data.get("touser", ""),
                            (data.get("text") or {}).get("content", ""),
                        )
                    )
                self._json({"errcode": 0, "errmsg": "ok"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeWeChatApi":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def take(self, open_id: str) -> list[tuple[float, str]]:
        """Removes and returns the messages sent to one citizen so far."""
        with self.lock:
            mine = [(t, text) for t, oid, text in self.sent if oid == open_id]
            self.sent = [s for s in self.sent if s[1] != open_id]
        return mine


# --- results -----------------------------------------------------------------------
@dataclass
class ChannelResult:
    channel: str
    sent: int = 0
    answered: int = 0
    lost: int = 0
    duplicated: int = 0
    errors: int = 0
    busy: int = 0
    wrong: int = 0
    crossed: int = 0
    late: int = 0
    named_own_item: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if len(self.problems) < 10:
            self.problems.append(text)

    @property
    def ok(self) -> bool:
        return not (
            self.lost or self.duplicated or self.errors or self.wrong or self.crossed
        )


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def judge(
    result: ChannelResult, item_id: int, explicit: bool, texts: list[str], where: str
) -> None:
    """Checks one reply against the citizen's item; counts what is wrong."""
    joined = "\n".join(texts)
    named = {int(n) for n in ITEM_RE.findall(joined)}
    if BUSY in joined:
        result.busy += 1
        result.errors += 1
        result.note(f"{where}: busy reply")
        return
    if item_id in named:
        result.named_own_item += 1
    elif named:
        result.crossed += 1
        result.note(f"{where}: names {sorted(named)}, not {item_id}: {joined[:60]!r}")
    elif explicit:
        result.wrong += 1
        result.note(f"{where}: does not name item {item_id}: {joined[:60]!r}")


# --- one citizen per channel -----------------------------------------------------
async def pause(think: float) -> None:
    """A person's reading and typing time: uniform between half and 1.5 x `think`."""
    if think > 0:
        await asyncio.sleep(think * random.uniform(0.5, 1.5))


async def post(
    session: Any, url: str, timeout: float, result: ChannelResult, tag: str, **request
) -> tuple[str, float, float] | None:
    """One timed POST: (body, start, seconds taken), or None once a transport error or
    a non-200 answer has been counted against `result` under `tag`."""
    import aiohttp

    started = time.monotonic()
    try:
        async with session.post(
            url, timeout=aiohttp.ClientTimeout(total=timeout), **request
        ) as resp:
            body = await resp.text()
            status = resp.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        result.errors += 1
        result.lost += 1
        result.note(f"{tag}: {type(exc).__name__}")
        return None
    elapsed = time.monotonic() - started
    if status != 200:
        result.errors += 1
        result.note(f"{tag}: HTTP {status}")
        return None
    return body, started, elapsed


async def chat_citizen(
    session: Any,
    url: str,
    cid: str,
    item: Any,
    messages: int,
    think: float,
    timeout: float,
    result: ChannelResult,
) -> None:
    for k, template in enumerate(SCRIPT[:messages]):
        text = template.format(name=item.name)
        result.sent += 1
        sent = await post(
            session, url, timeout, result, f"{cid}#{k}",
            json={"sender": cid, "message": text},
        )
        if sent is None:
            continue
        body, _, elapsed = sent
        texts = [m.get("text") or "" for m in json.loads(body)]
        if not texts:
            result.lost += 1
            result.note(f"{cid}#{k}: empty reply")
            continue
        result.answered += 1
        result.latencies.append(elapsed)
        judge(result, item.id, "{name}" in template, texts, f"{cid}#{k}")
        await pause(think)


async def wechat_citizen(
    session: Any,
    url: str,
    config: Any,
    api: FakeWeChatApi,
    oid: str,
    item: Any,
    messages: int,
    think: float,
    timeout: float,
    result: ChannelResult,
) -> None:
    from bot import wechat_simulator as sim

    for k, template in enumerate(SCRIPT[:messages]):
        text = template.format(name=item.name)
        result.sent += 1
        xml = sim.message_xml(text, from_user=oid)
        query, body = sim.sign_request(config, xml)
        sent = await post(
            session, url, timeout, result, f"{oid}#{k}",
            params=query, data=body,
            headers={"Content-Type": "text/xml; charset=utf-8"},
        )
        if sent is None:
            continue
        reply_body, started, elapsed = sent
        reply = sim.decode_reply(config, reply_body)
        texts = [reply["content"]] if reply["kind"] == "text" else []
        if not texts:  # "success": the answer comes through the customer-service API
            deadline = started + timeout
            late: list[tuple[float, str]] = []
            while time.monotonic() < deadline and not late:
                await asyncio.sleep(0.05)
                late = api.take(oid)
            if not late:
                result.lost += 1
                result.note(f"{oid}#{k}: no reply within {timeout:.0f} s")
                continue
            result.late += 1
            elapsed = late[0][0] - started
            texts = [late[0][1]]
            if len(late) > 1:
                result.duplicated += len(late) - 1
        result.answered += 1
        result.latencies.append(elapsed)
        judge(result, item.id, "{name}" in template, texts, f"{oid}#{k}")
        await pause(think)
    await asyncio.sleep(0.5)  # anything arriving now was not asked for
    extra = api.take(oid)
    if extra:
        result.duplicated += len(extra)
        result.note(f"{oid}: {len(extra)} unrequested late message(s)")


async def run_channel(
    channel: str,
    rasa_url: str,
    items: list[Any],
    citizens: int,
    messages: int,
    concurrency: int,
    think: float,
    timeout: float,
    wechat_config: Any = None,
    api: FakeWeChatApi | None = None,
    tag: str = "",
) -> ChannelResult:
    """Runs `citizens` simulated citizens, `concurrency` at a time, on one channel."""
    import aiohttp

    result = ChannelResult(channel)
    gate = asyncio.Semaphore(concurrency)
    tag = tag or secrets.token_hex(3)
    connector = aiohttp.TCPConnector(limit=concurrency + 10)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(n: int) -> None:
            item = items[n % len(items)]
            async with gate:
                # Citizens start at different moments, not all in the same second.
                await asyncio.sleep(random.uniform(0, think))
                if channel == "wechat":
                    await wechat_citizen(
                        session,
                        f"{rasa_url}/webhooks/wechat/webhook",
                        wechat_config,
                        api,
                        f"o-load-{tag}-{n:04d}",
                        item,
                        messages,
                        think,
                        timeout,
                        result,
                    )
                else:
                    await chat_citizen(
                        session,
                        f"{rasa_url}/webhooks/{channel}/webhook",
                        f"load{tag}{n:04d}",
                        item,
                        messages,
                        think,
                        timeout,
                        result,
                    )

        started = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(citizens)))
        result.seconds = time.monotonic() - started
    return result


# --- memory ------------------------------------------------------------------------
def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM), in MB; NaN if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def format_result(r: ChannelResult) -> str:
    lat = r.latencies
    rate = r.answered / r.seconds if r.seconds else 0.0
    lines = [
        f"[{r.channel}] {r.sent} messages in {r.seconds:.1f} s = {rate:.1f} msg/s",
        f"  replies {r.answered}, lost {r.lost}, duplicated {r.duplicated},"
        f" errors {r.errors} (busy {r.busy}), wrong item {r.wrong},"
        f" crossed {r.crossed}",
        f"  latency p50 {percentile(lat, 50):.2f} s, p95 {percentile(lat, 95):.2f} s,"
        f" p99 {percentile(lat, 99):.2f} s, max {max(lat, default=float('nan')):.2f} s",
        f"  replies naming the citizen's own item: {r.named_own_item}/{r.answered}"
        + (f"; late (customer-service API): {r.late}" if r.channel == "wechat" else ""),
    ]
    lines += [f"  ! {p}" for p in r.problems]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/loadtest.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument(
        "--messages", type=int, default=10, choices=range(1, len(SCRIPT) + 1)
    )
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--channels", default="chat,wechat", help="comma-separated: chat, wechat"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=10.0,
        help="mean seconds a citizen takes to read an answer and type the"
        " next question (uniform ±50%%); 0 = a stress test",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="per message")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=1800.0,
        help="stop the whole run after this long",
    )
    parser.add_argument(
        "--model", help="model archive (default models/langfang.tar.gz)"
    )
    args = parser.parse_args(argv)
    if not (1 <= args.citizens <= 1000 and 1 <= args.concurrency <= 200):
        parser.error("citizens must be 1..1000 and concurrency 1..200")
    channels = [c.strip() for c in args.channels.split(",") if c.strip()]
    if not set(channels) <= {"chat", "wechat"}:
        parser.error("channels are chat, wechat")
    return asyncio.run(_main(args, channels))


async def _main(args: argparse.Namespace, channels: list[str]) -> int:
    from bot.channels.wechat import WeChatConfig
    from bot.stack import Stack, StackError
    from kb.query import KnowledgeBase

    items = KnowledgeBase.open().items()
    tmp = Path(tempfile.mkdtemp(prefix="langfang-load-"))
    api = FakeWeChatApi().start()
    token = "load" + secrets.token_hex(8)
    env = {
        "LANGFANG_VAR_DIR": str(tmp / "var"),
        "LANGFANG_WECHAT_TOKEN": token,
        "LANGFANG_WECHAT_MODE": "plain",
        "LANGFANG_WECHAT_APP_ID": "wxloadtest",
        "LANGFANG_WECHAT_APP_SECRET": secrets.token_hex(16),
        "LANGFANG_WECHAT_API_BASE": api.url,
    }
    config = WeChatConfig(token=token, app_id="wxloadtest", mode="plain")
    stack = Stack(env=env, log_dir=tmp / "logs", model=args.model, api_token=None)
    print(f"Starting the assistant (logs in {tmp / 'logs'})...", flush=True)
    try:
        await asyncio.to_thread(stack.start)
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    results: list[ChannelResult] = []
    try:
        print(
            f"{args.citizens} citizens x {args.messages} messages,"
            f" {args.concurrency} at a time, think time {args.think:.1f} s,"
            f" per channel: {', '.join(channels)}",
            flush=True,
        )
        for channel in channels:
            try:
                result = await asyncio.wait_for(
                    run_channel(
                        channel,
                        stack.rasa_url,
                        items,
                        args.citizens,
                        args.messages,
                        args.concurrency,
                        args.think,
                        args.timeout,
                        config,
                        api,
                    ),
                    timeout=args.max_seconds,
                )
            except asyncio.TimeoutError:
                print(
                    f"[{channel}] stopped after --max-seconds {args.max_seconds:.0f} s"
                )
                return 1
            results.append(result)
            print(format_result(result), flush=True)
        rasa_mb = peak_rss_mb(stack.rasa.pid)
        actions_mb = peak_rss_mb(stack.actions.pid)
        print(
            f"peak memory (RSS): Rasa {rasa_mb:.0f} MB,"
            f" action server {actions_mb:.0f} MB"
        )
    finally:
        await asyncio.to_thread(stack.stop)
        api.stop()
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
