"""Plays WeChat's server: signs (in safe mode encrypts) a message, posts it, prints the
reply.

    python -m bot.wechat_simulator "低保找哪个部门"
    python -m bot.wechat_simulator --safe "老人免费体检"
    python -m bot.wechat_simulator --event subscribe
    python -m bot.wechat_simulator --event CLICK --key HOTLINE
    python -m bot.wechat_simulator --voice "法律援助打什么电话"

It reads the same configuration as the channel (bot/credentials.yml, overridden by the
LANGFANG_WECHAT_* environment variables), so against `make run` it works with nothing
set. `make simulate Q="..."` runs it. The functions are also what the tests use to
talk to the channel the way WeChat does.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from bot import settings
from bot.channels.wechat import WeChatConfig, WeChatConfigError
from bot.channels.wechat_crypto import MessageCrypto, check_signature, signature
from bot.channels.wechat_xml import XmlError, field_text, parse_xml, render_incoming

CHANNEL_KEY = "bot.channels.wechat.WeChatInput"
DEFAULT_CREDENTIALS = settings.ROOT / "bot" / "credentials.yml"
DEFAULT_URL = f"http://127.0.0.1:{settings.RASA_PORT}/webhooks/wechat/webhook"


def load_config(credentials: Path = DEFAULT_CREDENTIALS) -> WeChatConfig:
    """The channel's configuration, read the way the channel reads it."""
    section: Any = None
    if credentials.exists():
        data = yaml.safe_load(credentials.read_text(encoding="utf-8")) or {}
        section = data.get(CHANNEL_KEY)
    return WeChatConfig.from_sources(section)


def message_xml(
    text: str = "",
    *,
    kind: str = "text",
    from_user: str = "o-simulator-citizen",
    to_user: str = "gh_simulator",
    msg_id: int | None = None,
    event_key: str = "",
    create_time: int | None = None,
) -> str:
    """A message as WeChat sends it: text, voice (text as Recognition) or an event.

    Args:
        text: the citizen's text (text and voice messages).
        kind: "text", "voice", "image", or an event name ("subscribe", "CLICK", ...).
        from_user: the citizen's OpenID.
        to_user: the account's original id.
        msg_id: MsgId for messages; random when None.
        event_key: EventKey for CLICK events.
        create_time: CreateTime; now when None.
    """
    mid = msg_id if msg_id is not None else secrets.randbits(63)
    if kind == "text":
        fields: dict[str, Any] = {"Content": text, "MsgId": mid}
        return render_incoming(from_user, to_user, "text", create_time, **fields)
    if kind == "voice":
        fields = {"MediaId": "simulated-media", "Format": "amr"}
        if text:
            fields["Recognition"] = text
        fields["MsgId"] = mid
        return render_incoming(from_user, to_user, "voice", create_time, **fields)
    if kind == "image":
        fields = {
            "PicUrl": "http://example.invalid/p.jpg",
            "MediaId": "m",
            "MsgId": mid,
        }
        return render_incoming(from_user, to_user, "image", create_time, **fields)
    fields = {"Event": kind}
    if event_key:
        fields["EventKey"] = event_key
    return render_incoming(from_user, to_user, "event", create_time, **fields)


def sign_request(
    config: WeChatConfig,
    xml: str,
    *,
    safe: bool = False,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> tuple[dict[str, str], bytes]:
    """Signs (and with safe=True encrypts) a message; returns (query, body).

    Raises:
        WeChatConfigError: safe=True without an AppID and EncodingAESKey.
    """
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or str(secrets.randbelow(10**10))
    query = {
        "signature": signature(config.token, stamp, nonce),
        "timestamp": stamp,
        "nonce": nonce,
        "openid": "o-simulator-citizen",
    }
    if not safe:
        return query, xml.encode("utf-8")
    if not (config.app_id and config.encoding_aes_key):
        raise WeChatConfigError(
            "--safe needs LANGFANG_WECHAT_APP_ID and LANGFANG_WECHAT_ENCODING_AES_KEY"
            " (the same values the channel runs with)."
        )
    encrypted = MessageCrypto(config.encoding_aes_key, config.app_id).encrypt(xml)
    query["encrypt_type"] = "aes"
    query["msg_signature"] = signature(config.token, stamp, nonce, encrypted)
    body = (
        "<xml><ToUserName><![CDATA[gh_simulator]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    return query, body.encode("utf-8")


def decode_reply(config: WeChatConfig, body: str) -> dict[str, str]:
    """Reads the channel's answer the way WeChat would.

    Returns:
        {"kind": "success"} or {"kind": "text", "content": ..., "encrypted": "yes"/"no",
        "to": ..., "from": ...}.

    Raises:
        ValueError: the reply is neither `success` nor a well-formed (correctly signed,
            decryptable) reply.
    """
    if body.strip() in ("success", ""):
        return {"kind": "success"}
    try:
        doc = parse_xml(body)
    except XmlError as exc:
        raise ValueError(f"reply is not XML: {exc}") from exc
    encrypted = "no"
    if "Encrypt" in doc:
        enc = field_text(doc, "Encrypt")
        stamp, nonce = field_text(doc, "TimeStamp"), field_text(doc, "Nonce")
        if not check_signature(
            config.token, field_text(doc, "MsgSignature"), stamp, nonce, enc
        ):
            raise ValueError("reply MsgSignature does not verify")
        doc = parse_xml(
            MessageCrypto(config.encoding_aes_key, config.app_id).decrypt(enc)
        )
        encrypted = "yes"
    return {
        "kind": field_text(doc, "MsgType"),
        "content": field_text(doc, "Content"),
        "to": field_text(doc, "ToUserName"),
        "from": field_text(doc, "FromUserName"),
        "encrypted": encrypted,
    }


def post(
    url: str, query: dict[str, str], body: bytes, timeout: float = 30.0
) -> tuple[int, str]:
    """POSTs body to url?query; returns (HTTP status, response text)."""
    request = urllib.request.Request(
        f"{url}?{urllib.parse.urlencode(query)}",
        data=body,
        headers={"Content-Type": "text/xml; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.wechat_simulator",
        description="Send one message to the WeChat channel as WeChat's server would.",
    )
    parser.add_argument("text", nargs="?", default="", help="what the citizen types")
    parser.add_argument(
        "--url", default=DEFAULT_URL, help=f"webhook (default {DEFAULT_URL})"
    )
    parser.add_argument("--safe", action="store_true", help="encrypt (safe mode)")
    parser.add_argument(
        "--voice",
        action="store_true",
        help="send the text as a voice message's Recognition",
    )
    parser.add_argument(
        "--event", help="send an event instead: subscribe, unsubscribe, CLICK"
    )
    parser.add_argument(
        "--key", default="", help="EventKey for --event CLICK (see docs/wechat.md)"
    )
    parser.add_argument(
        "--from-user", default="o-simulator-citizen", help="the citizen's OpenID"
    )
    parser.add_argument("--credentials", type=Path, default=DEFAULT_CREDENTIALS)
    args = parser.parse_args(argv)

    if not args.event and not args.text and not args.voice:
        parser.error(
            'give the text to send, e.g. "低保找哪个部门", or --event subscribe'
        )
    try:
        config = load_config(args.credentials)
        kind = args.event or ("voice" if args.voice else "text")
        xml = message_xml(
            args.text, kind=kind, from_user=args.from_user, event_key=args.key
        )
        safe = args.safe or config.mode == "safe"
        query, body = sign_request(config, xml, safe=safe)
    except WeChatConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        status, text = post(args.url, query, body)
    except (urllib.error.URLError, OSError) as exc:
        print(
            f"error: cannot reach {args.url} ({exc}). Is the assistant running?"
            " Start it with `make run` in another terminal.",
            file=sys.stderr,
        )
        return 1
    elapsed = time.monotonic() - started
    if status != 200:
        print(f"error: HTTP {status} from the channel: {text.strip()}", file=sys.stderr)
        return 1
    try:
        reply = decode_reply(config, text)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if reply["kind"] == "success":
        print(
            f"(success after {elapsed:.1f} s: no passive reply; a late answer would be"
            " sent through the customer-service API)"
        )
    else:
        mode = "encrypted" if reply["encrypted"] == "yes" else "plain"
        print(f"[{mode} reply after {elapsed:.1f} s]\n{reply['content']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
