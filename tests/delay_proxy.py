"""`DelayProxy`, the fake of slowness shared by the operations and WeChat tests.

A real TCP proxy on loopback between Rasa and the action server that holds each request
for `delay_s` before passing it on. Nothing in Rasa or the action server is patched;
Rasa simply sees a slow action server.
"""

from __future__ import annotations

import asyncio
import threading


class DelayProxy:
    """A loopback TCP proxy that holds each connection's request for `delay_s` seconds.

    The upstream connection is opened only when the request is let through, so the
    action server never sees an idle connection (it would time it out). Rasa opens one
    connection per action call; `requests` counts them.

    Args:
        upstream_port: the action server's port on 127.0.0.1. Start the proxy before the
            `Stack` (so the stack's free ports cannot be the proxy's) and set it once
            the stack runs; it is read at each connection.
    """

    def __init__(self, upstream_port: int = 0) -> None:
        self.upstream_port = upstream_port
        self.delay_s = 0.0
        self.requests = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> DelayProxy:
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._thread.start()
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            try:
                writer.close()
            except RuntimeError:  # the loop is stopping
                pass

    async def _handle(
        self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
    ) -> None:
        first = await client_r.read(65536)
        if not first:
            client_w.close()
            return
        self.requests += 1
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_w.close()
            return
        up_w.write(first)
        await asyncio.gather(self._pipe(client_r, up_w), self._pipe(up_r, client_w))
