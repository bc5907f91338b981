"""WeChat's XML: parsing what its server sends, rendering what we answer.

Plain functions, no server. Parsing is defensive because the webhook faces the
internet: control characters (which WeChat does send, and which make expat fail) are
removed first, any DTD is refused before the parser sees it, and xmltodict ≥ 1.0.2
refuses entity declarations anyway (no XXE, no billion laughs).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DTD_MARKERS = (b"<!doctype", b"<!entity")


class XmlError(ValueError):
    """The body is not a WeChat message we can read; the message says why."""


def strip_control_chars(text: str) -> str:
    """Removes the control characters XML 1.0 forbids (tab, LF, CR stay)."""
    return _CONTROL_CHARS.sub("", text)


def parse_xml(body: bytes | str) -> dict[str, Any]:
    """Parses a WeChat XML document into the dict of its `<xml>` root.

    Raises:
        XmlError: not UTF-8, a DTD or entity declaration, not well-formed, or a root
            other than `<xml>`.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else body
    raw = _CONTROL_BYTES.sub(b"", raw)
    lowered = raw.lower()
    if any(marker in lowered for marker in _DTD_MARKERS):
        raise XmlError("DTDs and entity declarations are not accepted")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise XmlError("body is not UTF-8") from exc
    try:
        doc = xmltodict.parse(text, disable_entities=True)
    except (ExpatError, ValueError) as exc:
        raise XmlError(f"not well-formed XML ({type(exc).__name__})") from exc
    if not isinstance(doc, dict) or list(doc) != ["xml"]:
        raise XmlError("root element is not <xml>")
    root = doc["xml"]
    return root if isinstance(root, dict) else {}


def field_text(doc: dict[str, Any], name: str) -> str:
    """The text of a child element; "" when missing, empty, nested or repeated."""
    value = doc.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("#text")
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class Incoming:
    """A message or event from WeChat, reduced to what the channel uses."""

    to_user: str
    from_user: str
    create_time: str
    msg_type: str
    content: str = ""
    msg_id: str = ""
    event: str = ""
    event_key: str = ""
    recognition: str | None = None

    @property
    def dedup_key(self) -> str:
        """WeChat's retry identity: MsgId for messages, sender + time for events."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"evt:{self.from_user}:{self.create_time}:{self.event}:{self.event_key}"


def incoming(doc: dict[str, Any]) -> Incoming:
    """Reads the fields the channel needs from a parsed message.

    Raises:
        XmlError: no FromUserName (nobody to answer) or no ToUserName.
    """
    from_user = field_text(doc, "FromUserName")
    to_user = field_text(doc, "ToUserName")
    if not from_user or not to_user:
        raise XmlError("FromUserName or ToUserName missing")
    recognition = doc.get("Recognition")
    return Incoming(
        to_user=to_user,
        from_user=from_user,
        create_time=field_text(doc, "CreateTime"),
        msg_type=field_text(doc, "MsgType").lower(),
        content=field_text(doc, "Content"),
        msg_id=field_text(doc, "MsgId"),
        event=field_text(doc, "Event"),
        event_key=field_text(doc, "EventKey"),
        recognition=None if recognition is None else field_text(doc, "Recognition"),
    )


def cdata(text: str) -> str:
    """Wraps text in CDATA; a `]]>` inside is split so it cannot end the section."""
    safe = strip_control_chars(text).replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{safe}]]>"


def truncate_utf8(text: str, max_bytes: int, marker: str = "…") -> str:
    """Cuts text to at most max_bytes of UTF-8, on a character boundary.

    When something is cut, `marker` ends the text (within the limit), so the reader
    sees that the reply goes on.
    """
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    room = max_bytes - len(marker.encode("utf-8"))
    if room <= 0:
        return data[:max_bytes].decode("utf-8", errors="ignore")
    return data[:room].decode("utf-8", errors="ignore").rstrip() + marker


def render_text_reply(
    to_user: str, from_user: str, content: str, create_time: int | None = None
) -> str:
    """The passive reply XML for one text message."""
    created = int(time.time()) if create_time is None else create_time
    return (
        "<xml>"
        f"<ToUserName>{cdata(to_user)}</ToUserName>"
        f"<FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content>"
        "</xml>"
    )


def render_encrypted_envelope(
    encrypted: str, msg_signature: str, timestamp: str, nonce: str
) -> str:
    """The safe-mode reply: the encrypted reply plus its signature."""
    return (
        "<xml>"
        f"<Encrypt>{cdata(encrypted)}</Encrypt>"
        f"<MsgSignature>{cdata(msg_signature)}</MsgSignature>"
        f"<TimeStamp>{int(timestamp)}</TimeStamp>"
        f"<Nonce>{cdata(nonce)}</Nonce>"
        "</xml>"
    )


def render_incoming(
    from_user: str,
    to_user: str,
    msg_type: str,
    create_time: int | None = None,
    **fields: str | int,
) -> str:
    """A message as WeChat's server sends it (for the simulator and tests).

    Args:
        from_user: the citizen's OpenID.
        to_user: the account's original id (gh_...).
        msg_type: text, voice, event, image, ...
        create_time: seconds since the epoch; now by default.
        fields: further elements, e.g. Content="...", MsgId=123, Event="subscribe".
    """
    created = int(time.time()) if create_time is None else create_time
    parts = [
        f"<ToUserName>{cdata(to_user)}</ToUserName>",
        f"<FromUserName>{cdata(from_user)}</FromUserName>",
        f"<CreateTime>{created}</CreateTime>",
        f"<MsgType>{cdata(msg_type)}</MsgType>",
    ]
    for name, value in fields.items():
        inner = str(value) if isinstance(value, int) else cdata(value)
        parts.append(f"<{name}>{inner}</{name}>")
    return "<xml>" + "".join(parts) + "</xml>"
