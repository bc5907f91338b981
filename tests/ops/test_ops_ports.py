"""Ports: the stack never collides with a port that is taken.

A CI run once failed eleven tests because the port chosen for the action server had
been handed to the tests' own proxy before the server started. Ports the stack chooses
are chosen again when taken; a port the operator set is reported with what to do.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.stack import Stack, StackError, free_port, port_in_use


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port something listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_free_port_never_returns_a_port_to_avoid():
    promised = free_port()
    # The kernel often hands a just-closed port out again; `avoid` must win every time.
    assert all(free_port(avoid={promised}) != promised for _ in range(200))


def test_a_stack_chooses_two_different_ports():
    for _ in range(50):
        stack = Stack(model="unused.tar.gz")
        assert stack.rasa_port != stack.actions_port


def test_a_port_the_operator_set_is_reported_when_taken(busy_port):
    stack = Stack(actions_port=busy_port, model="unused.tar.gz")
    with pytest.raises(StackError) as error:
        stack.start_actions()
    message = str(error.value)
    assert f"Port {busy_port} is already in use" in message
    assert "make stop" in message and "LANGFANG_ACTIONS_PORT" in message
    assert stack.actions is None  # nothing was started


@pytest.mark.slow
def test_a_chosen_port_taken_before_start_is_chosen_again(
    busy_port, tmp_path: Path, kb_path: Path
):
    stack = Stack(
        model="unused.tar.gz",
        env={"LANGFANG_KB_PATH": str(kb_path), "LANGFANG_VAR_DIR": str(tmp_path / "var")},
        log_dir=tmp_path / "logs",
    )
    stack.actions_port = busy_port  # taken between choosing and starting
    try:
        stack.start_actions()
        assert stack.actions_port not in (busy_port, stack.rasa_port)
        assert port_in_use("127.0.0.1", stack.actions_port)  # the real action server
    finally:
        stack.stop()
