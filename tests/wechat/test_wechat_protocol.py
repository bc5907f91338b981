"""The WeChat channel's protocol functions, without a server: signatures, AES, XML,
replies, caches, configuration. The HTTP behaviour is in test_wechat_http.py."""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time
import types

import pytest
from wechatpy.crypto.base import WeChatCipher

from bot import settings
from bot.channels.wechat import (
    Refused,
    WeChatConfig,
    WeChatConfigError,
    verify_handshake,
    verify_post,
)
from bot.channels.wechat_cache import OnceCache, ReplayGuard, TtlMap
from bot.channels.wechat_crypto import (
    CryptoError,
    MessageCrypto,
    check_signature,
    signature,
)
from bot.channels.wechat_replies import (
    MENU,
    compose,
    menu_definition,
    menu_text,
)
from bot.channels.wechat_xml import (
    XmlError,
    cdata,
    incoming,
    parse_xml,
    render_text_reply,
    truncate_utf8,
)
from bot.wechat_simulator import decode_reply, message_xml, sign_request

# GUIDE §3 known-answer vectors: (token, timestamp, nonce, signature).
HANDSHAKE_VECTORS = [
    ("AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696"),
    ("AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78"),
    ("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"),
]

# Tencent's published WXBizMsgCrypt sample (公众号 safe mode): decrypt vector.
TENCENT = {
    "token": "spamtest",
    "key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "app_id": "wx2c2769f8efd9abc2",
    "timestamp": "1409735669",
    "nonce": "1320562132",
    "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
    "encrypt": (
        "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QL"
        "vbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C"
        "41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhR"
        "jpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/H"
        "TnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCum"
        "EPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
    ),
}

# wechatpy's tests/test_crypto.py encrypt vector (same algorithm, fixed random prefix).
WECHATPY = {
    "token": "123456",
    "key": "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
    "app_id": "wx49f0ab532d5d035a",
    "timestamp": "1411525903",
    "nonce": "461056294",
    "reply": (
        "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n"
        "<Content><![CDATA[test]]></Content>\n"
        "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n"
        "<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n"
        "<CreateTime>1411525903</CreateTime>\n</xml>"
    ),
    "encrypt": (
        "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHr"
        "luLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstt"
        "tyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p"
        "9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MI"
        "kdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3"
    ),
    "msg_signature": "407518b7649e86ef23978113f92d27afa9296533",
}

SAFE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAFE_APP_ID = "wx49f0ab532d5d035a"


def conf(**overrides: object) -> types.SimpleNamespace:
    """A settings namespace with no environment overrides (credentials decide)."""
    values = {
        "WECHAT_TOKEN": "",
        "WECHAT_APP_ID": "",
        "WECHAT_APP_SECRET": "",
        "WECHAT_ENCODING_AES_KEY": "",
        "WECHAT_MODE": "",
        "WECHAT_API_BASE": "",
        "WECHAT_API_BASE_DEFAULT": settings.WECHAT_API_BASE_DEFAULT,
        "WECHAT_REPLY_BUDGET_S": 4.0,
        "WECHAT_TIMESTAMP_WINDOW_S": 300,
        "WECHAT_MAX_BODY_BYTES": 65536,
        "WECHAT_MAX_REPLY_BYTES": 2000,
    }
    values.update(overrides)
    return types.SimpleNamespace(**values)


def safe_config() -> WeChatConfig:
    creds = {
        "token": "test",
        "mode": "safe",
        "app_id": SAFE_APP_ID,
        "encoding_aes_key": SAFE_KEY,
    }
    return WeChatConfig.from_sources(creds, conf())


# --- signatures ----------------------------------------------------------------------
@pytest.mark.parametrize("token,timestamp,nonce,expected", HANDSHAKE_VECTORS)
def test_signature_known_answer_vectors(token, timestamp, nonce, expected):
    assert signature(token, timestamp, nonce) == expected
    assert check_signature(token, expected, timestamp, nonce)
    assert check_signature(token, expected.upper(), timestamp, nonce)
    assert not check_signature(token, expected[:-1] + "0", timestamp, nonce)
    assert not check_signature(token + "x", expected, timestamp, nonce)


def test_empty_token_or_signature_never_verifies():
    assert not check_signature("", signature("", "1", "2"), "1", "2")
    assert not check_signature("AAAAA", "", "1", "2")
    assert not check_signature("AAAAA", None, "1", "2")


@pytest.mark.parametrize("token,timestamp,nonce,expected", HANDSHAKE_VECTORS)
def test_handshake_returns_echostr_only_for_valid_signature(
    token, timestamp, nonce, expected
):
    config = WeChatConfig(token=token)
    query = {
        "signature": expected,
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": "e1",
    }
    assert verify_handshake(config, query) == "e1"
    with pytest.raises(Refused) as refused:
        verify_handshake(config, {**query, "nonce": nonce + "1"})
    assert refused.value.status == 403


# --- AES ------------------------------------------------------------------------------
def test_decrypt_tencent_published_vector():
    t = TENCENT
    assert check_signature(
        t["token"], t["msg_signature"], t["timestamp"], t["nonce"], t["encrypt"]
    )
    xml = MessageCrypto(t["key"], t["app_id"]).decrypt(t["encrypt"])
    doc = parse_xml(xml)
    assert doc["Content"] == "abcdteT"
    assert doc["MsgId"] == "6054768590064713728"


def test_encrypt_wechatpy_published_vector():
    w = WECHATPY
    crypto = MessageCrypto(w["key"], w["app_id"])
    encrypted = crypto.encrypt(w["reply"], random_prefix=b"1234567890123456")
    assert encrypted == w["encrypt"]
    assert (
        signature(w["token"], w["timestamp"], w["nonce"], encrypted)
        == w["msg_signature"]
    )
    assert crypto.decrypt(encrypted) == w["reply"]


def _raw_encrypt(plain: bytes, key: str = SAFE_KEY) -> str:
    raw_key = base64.b64decode(key + "=")
    return base64.b64encode(WeChatCipher(raw_key).encrypt(plain)).decode()


def _frame(
    xml: bytes, app_id: bytes, pad: int | None = None, length: int | None = None
) -> bytes:
    body = (
        os.urandom(16)
        + struct.pack(">I", len(xml) if length is None else length)
        + xml
        + app_id
    )
    n = 32 - len(body) % 32 if pad is None else pad
    return body + bytes([n]) * n


@pytest.mark.parametrize(
    "encrypted,reason",
    [
        ("not base64 at all!!", "base64"),
        (_raw_encrypt(b"B" * 64).rstrip("=") + "=", "base64"),  # wrong "=" padding
        ("", "AES blocks"),
        (base64.b64encode(b"x" * 20).decode(), "AES blocks"),
        (
            _raw_encrypt(_frame(b"<xml/>", SAFE_APP_ID.encode())[:-1] + b"\x00"),
            "padding",
        ),
        (_raw_encrypt(b"A" * 31 + b"\x21"), "padding"),  # pad 33 > 32
        (_raw_encrypt(_frame(b"<xml/>", SAFE_APP_ID.encode(), length=10**6)), "length"),
        (_raw_encrypt(_frame(b"<xml/>", b"wx0000000000000000")), "AppID"),
        (_raw_encrypt(_frame(b"\xff\xfe<xml/>", SAFE_APP_ID.encode())), "UTF-8"),
    ],
)
def test_bad_ciphertext_is_one_crypto_error(encrypted, reason):
    with pytest.raises(CryptoError, match=reason):
        MessageCrypto(SAFE_KEY, SAFE_APP_ID).decrypt(encrypted)


def test_safe_round_trip_through_simulator_helpers():
    config = safe_config()
    xml = message_xml("你好", from_user="o-user", msg_id=1)
    query, body = sign_request(config, xml, safe=True)
    crypto = MessageCrypto(SAFE_KEY, SAFE_APP_ID)
    verified = verify_post(config, crypto, ReplayGuard(), query, body)
    assert verified.encrypted and verified.doc["Content"] == "你好"


def test_compatible_mode_takes_both_and_plain_mode_refuses_ciphertext():
    creds = {
        "token": "test",
        "mode": "compatible",
        "app_id": SAFE_APP_ID,
        "encoding_aes_key": SAFE_KEY,
    }
    config = WeChatConfig.from_sources(creds, conf())
    crypto = MessageCrypto(SAFE_KEY, SAFE_APP_ID)
    for safe in (False, True):
        xml = message_xml("你好", msg_id=10 + safe)
        query, body = sign_request(config, xml, safe=safe)
        verified = verify_post(config, crypto, ReplayGuard(), query, body)
        assert (verified.encrypted, verified.doc["Content"]) == (safe, "你好")
    plain = WeChatConfig(token="test")
    query, body = sign_request(config, message_xml("你好", msg_id=12), safe=True)
    with pytest.raises(Refused) as refused:
        verify_post(plain, None, ReplayGuard(), query, body)
    assert refused.value.status == 400


def test_safe_mode_refuses_plaintext_and_forged_msg_signature():
    config = safe_config()
    crypto = MessageCrypto(SAFE_KEY, SAFE_APP_ID)
    xml = message_xml("你好", msg_id=2)
    query, body = sign_request(config, xml, safe=False)
    with pytest.raises(Refused) as refused:
        verify_post(config, crypto, ReplayGuard(), query, body)
    assert refused.value.status == 403
    query, body = sign_request(config, xml, safe=True)
    query["msg_signature"] = "0" * 40
    with pytest.raises(Refused) as refused:
        verify_post(config, crypto, ReplayGuard(), query, body)
    assert refused.value.status == 403


# --- XML ------------------------------------------------------------------------------
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]><xml><Content>&lol9;</Content></xml>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>"
    "<MsgType>text</MsgType><Content>&xxe;</Content></xml>"
)


@pytest.mark.parametrize(
    "payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"]
)
def test_entity_payloads_refused_fast(payload):
    started = time.perf_counter()
    with pytest.raises(XmlError):
        parse_xml(payload)
    print(f"refused in {(time.perf_counter() - started) * 1e3:.3f} ms")


def test_entity_refused_by_xmltodict_itself():
    # Belt and braces: even without our DTD pre-check, xmltodict refuses entities.
    import xmltodict

    with pytest.raises(ValueError):
        xmltodict.parse(XXE, disable_entities=True)


def test_control_characters_stripped_before_parsing():
    doc = parse_xml("<xml><Content><![CDATA[低保\x1d找哪个\x00部门]]></Content></xml>")
    assert doc["Content"] == "低保找哪个部门"


@pytest.mark.parametrize(
    "body", ["", "<xml>", "<foo><a>1</a></foo>", "not xml", b"<xml>\xff</xml>"]
)
def test_malformed_xml_is_xml_error(body):
    with pytest.raises(XmlError):
        parse_xml(body)


def test_incoming_fields_and_dedup_keys():
    text = incoming(parse_xml(message_xml("你好", from_user="o1", msg_id=42)))
    assert (text.msg_type, text.content, text.dedup_key) == ("text", "你好", "msg:42")
    voice = incoming(
        parse_xml(message_xml("", kind="voice", from_user="o1", msg_id=43))
    )
    assert voice.recognition is None
    event = incoming(
        parse_xml(message_xml(kind="subscribe", from_user="o1", create_time=7))
    )
    assert event.dedup_key == "evt:o1:7:subscribe:"
    with pytest.raises(XmlError):
        incoming(parse_xml("<xml><MsgType>text</MsgType></xml>"))


def test_cdata_end_marker_is_split():
    xml = render_text_reply("o1", "gh", "a]]>b<c>&")
    assert parse_xml(xml)["Content"] == "a]]>b<c>&"
    assert cdata("]]>") == "<![CDATA[]]]]><![CDATA[>]]>"


def test_truncation_on_character_boundary():
    text = "很" * 5000
    cut = truncate_utf8(text, 2000)
    assert len(cut.encode("utf-8")) <= 2000
    assert cut.endswith("…") and set(cut[:-1]) == {"很"}
    assert truncate_utf8("短", 2000) == "短"
    mixed = "a很" * 1000  # 1 + 3 bytes
    assert len(truncate_utf8(mixed, 1001).encode("utf-8")) <= 1001


# --- replies --------------------------------------------------------------------------
def test_compose_joins_messages_and_numbers_buttons():
    messages = [
        {"text": "找到两项服务："},
        {
            "text": "您问的是哪一项？",
            "buttons": [
                {"title": "最低生活保障", "payload": "1"},
                {"title": "特困人员救助供养", "payload": "2"},
            ],
        },
    ]
    text = compose(messages)
    assert text.startswith("找到两项服务：\n\n您问的是哪一项？")
    assert "1. 最低生活保障" in text and "2. 特困人员救助供养" in text
    assert "回复 1/2 选择" in text


def test_compose_does_not_repeat_choices_already_in_text():
    text = compose(
        [
            {
                "text": "1. 甲\n2. 乙\n回复 1/2",
                "buttons": [
                    {"title": "甲", "payload": "1"},
                    {"title": "乙", "payload": "2"},
                ],
            }
        ]
    )
    assert text == "1. 甲\n2. 乙\n回复 1/2"


def test_compose_limits_bytes_and_empty_is_empty():
    assert len(compose([{"text": "长" * 5000}], 2000).encode("utf-8")) <= 2000
    assert compose([]) == ""


def test_menu_definition_and_click_texts():
    assert [b["key"] for b in menu_definition()["button"]] == [m.key for m in MENU]
    assert menu_text("HOTLINE") == "热线电话是多少"
    assert menu_text("NOPE") is None
    assert all(not m.text.startswith("/") for m in MENU)


# --- caches ---------------------------------------------------------------------------
class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_replay_guard_window_and_nonce_reuse():
    wall, mono = FakeClock(1_700_000_000), FakeClock()
    guard = ReplayGuard(300, wall_clock=wall, clock=mono)
    now = str(int(wall.now))
    assert guard.check(now, "n1", "body-a") is None
    assert guard.check(now, "n1", "body-a") is None  # WeChat's retry: same body
    assert "already used" in guard.check(now, "n1", "body-b")
    assert "window" in guard.check(str(int(wall.now) - 301), "n2", "x")
    assert "window" in guard.check(str(int(wall.now) + 301), "n3", "x")
    assert "number" in guard.check("abc", "n4", "x")
    mono.now += 2 * 300 + 2  # forgotten only after the timestamp left the window
    wall.now += 2 * 300 + 2
    assert "window" in guard.check(now, "n1", "body-b")


def test_ttl_map_bounded_and_expiring():
    clock = FakeClock()
    m: TtlMap[int] = TtlMap(10, 3, clock)
    for i in range(5):
        m.put(i, i)
    assert len(m) == 3 and m.get(0) is None and m.get(4) == 4
    clock.now += 11
    assert len(m) == 0


def test_once_cache_runs_overlapping_copies_once():
    calls = []

    async def work() -> str:
        calls.append(1)
        await asyncio.sleep(0.05)
        return "answer"

    async def scenario() -> list[str]:
        cache: OnceCache[str] = OnceCache()

        async def copy() -> str:
            job, _ = cache.claim("msg:1", work)
            return await job.task

        return await asyncio.gather(copy(), copy(), copy())

    assert asyncio.run(scenario()) == ["answer"] * 3
    assert len(calls) == 1


def test_once_cache_forgets_one_citizens_answers():
    async def scenario() -> tuple[int, int]:
        cache: OnceCache[str] = OnceCache()

        async def work() -> str:
            return "answer"

        for key, owner in (("msg:1", "o-a"), ("msg:2", "o-a"), ("msg:3", "o-b")):
            job, _ = cache.claim(key, work, owner=owner)
            await job.task
        return cache.forget_owner("o-a"), len(cache)

    assert asyncio.run(scenario()) == (2, 1)


# --- configuration --------------------------------------------------------------------
def test_config_refuses_empty_token():
    with pytest.raises(WeChatConfigError, match="token"):
        WeChatConfig.from_sources({"token": ""}, conf())
    with pytest.raises(WeChatConfigError, match="token"):
        WeChatConfig.from_sources(None, conf())


@pytest.mark.parametrize(
    "creds,match",
    [
        ({"token": "t", "mode": "safe", "encoding_aes_key": SAFE_KEY}, "AppID"),
        ({"token": "t", "mode": "safe", "app_id": "wx1"}, "EncodingAESKey"),
        (
            {
                "token": "t",
                "mode": "compatible",
                "app_id": "wx1",
                "encoding_aes_key": "short",
            },
            "EncodingAESKey",
        ),
        ({"token": "t", "mode": "secret"}, "MODE"),
    ],
)
def test_config_refuses_incomplete_safe_mode(creds, match):
    with pytest.raises(WeChatConfigError, match=match):
        WeChatConfig.from_sources(creds, conf())


def test_environment_overrides_credentials():
    config = WeChatConfig.from_sources(
        {"token": "from-file", "mode": "plain"},
        conf(
            WECHAT_TOKEN="from-env",
            WECHAT_MODE="safe",
            WECHAT_APP_ID="wx1",
            WECHAT_ENCODING_AES_KEY=SAFE_KEY,
        ),
    )
    assert (config.token, config.mode, config.app_id) == ("from-env", "safe", "wx1")
    assert config.api_base == "https://api.weixin.qq.com"
    assert "from-env" not in repr(config) and SAFE_KEY not in repr(config)


def test_rasa_refuses_to_start_the_channel_without_token(tmp_path):
    """Rasa's own loader (what `rasa run --credentials` calls) raises our error."""
    from rasa.core.run import create_http_input_channels

    creds = tmp_path / "credentials.yml"
    creds.write_text(
        'bot.channels.wechat.WeChatInput:\n  token: ""\n', encoding="utf-8"
    )
    if settings.WECHAT_TOKEN:
        pytest.skip("LANGFANG_WECHAT_TOKEN is set in this environment")
    with pytest.raises(WeChatConfigError, match="needs a token"):
        create_http_input_channels(None, str(creds))


def test_decode_reply_checks_msg_signature():
    config = safe_config()
    query, body = sign_request(config, render_text_reply("o1", "gh", "好"), safe=True)
    envelope = body.decode()
    # The simulator's request envelope has no MsgSignature: a reply must carry one.
    with pytest.raises(ValueError):
        decode_reply(config, envelope)
