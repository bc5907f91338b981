"""Start, watch and stop the assistant's processes: the action server and Rasa.

`python -m bot.stack run` is what `make run` calls. Tests, the evaluation and the load test
use `Stack` as a context manager so that they talk to the same processes a citizen would,
over real HTTP, on free ports of their own.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Collection
from pathlib import Path

from bot import settings

READY_TIMEOUT_S = 300
"""Rasa loads TensorFlow and the model before it answers; on a busy 2-core machine that
has been seen to take over a minute, so waiting less would report false failures."""


class StackError(RuntimeError):
    """A process could not be started; the message says what to do."""


def free_port(avoid: Collection[int] = ()) -> int:
    """Returns a TCP port on loopback that nothing listens on right now and not in `avoid`.

    The kernel may hand out a port again as soon as its socket closes, so a port in
    `avoid` (one already promised to another process) stays bound while we ask again.
    """
    held: list[socket.socket] = []
    try:
        while True:
            sock = socket.socket()
            held.append(sock)
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            if port not in avoid:
                return port
    finally:
        for sock in held:
            sock.close()


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host if host != "0.0.0.0" else "127.0.0.1", port)) == 0


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0


def latest_model(model_dir: Path = settings.MODEL_DIR) -> Path:
    model = model_dir / "langfang.tar.gz"
    if not model.exists():
        raise StackError(f"No trained model at {model}. Run `make setup` to train one.")
    return model


class Stack:
    """The action server and Rasa, started together and stopped together.

    Args:
        rasa_port: port for Rasa; None picks a free one.
        actions_port: port for the action server; None picks a free one.
        credentials: Rasa credentials file (input channels).
        endpoints: Rasa endpoints file (action server, tracker and lock stores).
        model: trained model archive; default `models/langfang.tar.gz`.
        env: extra environment variables for both processes (overrides settings).
        api_token: enables Rasa's HTTP API with this token; "auto" makes a random one
            (tests use it to read trackers); None leaves the API off.
        log_dir: where `rasa.log` and `actions.log` go.
    """

    def __init__(
        self,
        rasa_port: int | None = None,
        actions_port: int | None = None,
        credentials: str | Path = "bot/credentials.yml",
        endpoints: str | Path = "bot/endpoints.yml",
        model: str | Path | None = None,
        env: dict[str, str] | None = None,
        api_token: str | None = "auto",
        log_dir: str | Path | None = None,
    ) -> None:
        self.host = settings.RASA_HOST
        self.actions_host = settings.ACTIONS_HOST
        # A port we chose ourselves may be taken by the time a process starts (another
        # test's server, another program on a shared machine); start() then chooses
        # again. A port the operator chose is reported instead (see _check_port).
        self._choose_rasa_port = rasa_port is None
        self._choose_actions_port = actions_port is None
        self.actions_port = actions_port or free_port(avoid={rasa_port or 0})
        self.rasa_port = rasa_port or free_port(avoid={self.actions_port})
        self.credentials = settings.ROOT / credentials
        self.endpoints = settings.ROOT / endpoints
        self.model = Path(model) if model else latest_model()
        self.api_token = secrets.token_hex(16) if api_token == "auto" else api_token
        self.log_dir = Path(log_dir) if log_dir else settings.VAR_DIR / "logs"
        self.extra_env = dict(env or {})
        self.rasa: subprocess.Popen | None = None
        self.actions: subprocess.Popen | None = None

    # --- addresses ----------------------------------------------------------------
    @property
    def rasa_url(self) -> str:
        return f"http://{_client_host(self.host)}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{_client_host(self.actions_host)}:{self.actions_port}"

    # --- lifecycle ------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "PYTHONPATH": str(settings.ROOT),
                "SANIC_HOST": self.actions_host,
                "LANGFANG_ACTIONS_URL": f"{self.actions_url}/webhook",
                "LANGFANG_RASA_PORT": str(self.rasa_port),
                "LANGFANG_ACTIONS_PORT": str(self.actions_port),
                # TensorFlow's start-up chatter is not useful in our logs.
                "TF_CPP_MIN_LOG_LEVEL": "2",
            }
        )
        env.update(self.extra_env)
        return env

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        return subprocess.Popen(
            args,
            cwd=settings.ROOT,
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a terminal reaches us, not the children
        )

    def start_actions(self) -> None:
        """Starts the action server and waits until its /health answers."""
        if self._choose_actions_port:
            self.actions_port = _free_again(
                self.actions_host, self.actions_port, avoid={self.rasa_port}
            )
        _check_port(self.actions_host, self.actions_port, "action server")
        self.actions = self._spawn(
            "actions",
            # bot.action_server: rasa_sdk's app, opening the KB first, loopback,
            # short error bodies (see its docstring).
            [sys.executable, "-m", "bot.action_server", "--port", str(self.actions_port)],
        )
        self._wait(self.actions, f"{self.actions_url}/health", "actions")

    def start_rasa(self) -> None:
        """Starts Rasa with the model and waits until it answers (model loaded)."""
        if self._choose_rasa_port:
            self.rasa_port = _free_again(self.host, self.rasa_port, avoid={self.actions_port})
        _check_port(self.host, self.rasa_port, "Rasa")
        args = [
            # bot.rasa_server: Rasa's CLI with the stores from settings and the
            # action-server failsafe installed (see bot/failsafe.py).
            sys.executable, "-m", "bot.rasa_server", "run",
            "--model", str(self.model),
            "--credentials", str(self.credentials),
            "--endpoints", str(self.endpoints),
            "--interface", self.host,
            "--port", str(self.rasa_port),
        ]
        if self.api_token:
            args += ["--enable-api", "--auth-token", self.api_token]
        self.rasa = self._spawn("rasa", args)
        self._wait(self.rasa, f"{self.rasa_url}/", "rasa")

    def start(self) -> "Stack":
        try:
            self.start_actions()
            self.start_rasa()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self, proc: subprocess.Popen, url: str, name: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StackError(
                    f"The {name} process exited with code {proc.returncode} while starting."
                    f" Last lines of {self.log_dir / (name + '.log')}:\n{self.log_tail(name)}"
                )
            if _get(url) == 200:
                return
            time.sleep(0.3)
        raise StackError(
            f"The {name} process did not answer {url} within {READY_TIMEOUT_S} s."
            f" Last lines of its log:\n{self.log_tail(name)}"
        )

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop_actions(self) -> None:
        _terminate(self.actions)
        self.actions = None

    def stop_rasa(self) -> None:
        _terminate(self.rasa)
        self.rasa = None

    def stop(self) -> None:
        self.stop_rasa()
        self.stop_actions()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _client_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def _free_again(host: str, port: int, avoid: Collection[int]) -> int:
    """`port` if nothing listens on it yet, else another free port."""
    while port_in_use(host, port):
        port = free_port(avoid=avoid)
    return port


def _check_port(host: str, port: int, what: str) -> None:
    if port_in_use(host, port):
        raise StackError(
            f"Port {port} is already in use, so the {what} cannot listen there. Is the"
            f" assistant already running? Stop it (Ctrl-C in its terminal, or"
            f" `make stop`), or choose other ports with LANGFANG_RASA_PORT /"
            f" LANGFANG_ACTIONS_PORT."
        )


def _terminate(proc: subprocess.Popen | None, grace_s: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


# --- command line ------------------------------------------------------------------
PID_FILE = settings.VAR_DIR / "stack.pid"


def _running_pid() -> int | None:
    try:
        pid = int(PID_FILE.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


def run() -> int:
    """Runs the assistant in the foreground until Ctrl-C (or SIGTERM)."""
    pid = _running_pid()
    if pid:
        print(
            f"The assistant is already running (process {pid}) at"
            f" http://{_client_host(settings.RASA_HOST)}:{settings.RASA_PORT}."
            " Stop it with `make stop` or Ctrl-C in its terminal."
        )
        return 1
    token = os.environ.get("LANGFANG_RASA_API_TOKEN") or None
    stack = Stack(settings.RASA_PORT, settings.ACTIONS_PORT, api_token=token)
    print("Starting the action server and Rasa (loading the model takes a little while)...")
    try:
        stack.start()
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    PID_FILE.write_text(str(os.getpid()))
    print(
        f"\nThe assistant is running.\n"
        f"  Web chat page:   {stack.rasa_url}/webhooks/chat/\n"
        f"  Chat over HTTP:  POST {stack.rasa_url}/webhooks/chat/webhook"
        ' {"sender": "me", "message": "低保找哪个部门"}\n'
        f"  WeChat webhook:  {stack.rasa_url}/webhooks/wechat/webhook"
        " (try it: make simulate)\n"
        f"  Action server:   {stack.actions_url}\n"
        f"  Logs:            {stack.log_dir}/\n"
        f"Stop it with Ctrl-C (or `make stop` from another terminal)."
    )
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        while not stopping:
            for name, proc in (("rasa", stack.rasa), ("actions", stack.actions)):
                if proc is not None and proc.poll() is not None:
                    print(f"error: the {name} process exited; see {stack.log_dir}/{name}.log")
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopping...")
        stack.stop()
        PID_FILE.unlink(missing_ok=True)
    return 0


def stop() -> int:
    pid = _running_pid()
    if not pid:
        print("The assistant is not running.")
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(60):
        if _running_pid() is None:
            break
        time.sleep(0.5)
    print(f"Stopped the assistant (process {pid}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.stack", description=__doc__)
    parser.add_argument("command", choices=["run", "stop"])
    args = parser.parse_args(argv)
    return run() if args.command == "run" else stop()


if __name__ == "__main__":
    sys.exit(main())
