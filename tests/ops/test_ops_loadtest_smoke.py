"""A small run of the load test (`make loadtest` is the full one) against the shared
stack: 10 citizens x 3 messages, 5 at a time, through the chat and WeChat channels.
Checks correctness only (nothing lost, duplicated, wrong or crossed); timings are
printed, never asserted."""

from __future__ import annotations

import asyncio

import pytest

from tests.ops.helpers import load_script


@pytest.mark.slow
@pytest.mark.parametrize("channel", ["chat", "wechat"])
def test_loadtest_smoke(ops, kb, channel):
    loadtest = load_script("loadtest")
    result = asyncio.run(
        loadtest.run_channel(
            channel,
            ops.url,
            kb.items(),
            citizens=10,
            messages=3,
            concurrency=5,
            think=0.0,
            timeout=30.0,
            wechat_config=ops.wechat,
            api=ops.wechat_api,
            tag="smoke",
        )
    )
    print(loadtest.format_result(result))
    assert result.sent == 30
    assert result.answered == 30, result.problems
    assert (result.lost, result.duplicated, result.errors) == (0, 0, 0), result.problems
    assert (result.wrong, result.crossed) == (0, 0), result.problems
