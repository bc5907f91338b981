"""WeChat's request signatures and safe-mode (AES) message encryption.

Plain functions, no server: the channel, the simulator and the tests share them.

Why not wechatpy's `check_signature` / `WeChatCrypto` as they are (GUIDE §3): its
signature check compares with `!=` (timing leak) and accepts an empty token; its
decrypt trusts the padding byte and the length field, so a tampered `Encrypt` raises
IndexError / ValueError / UnicodeDecodeError from deep inside, which a web handler
turns into a 500 with a trace. Here every defect of the ciphertext becomes one
`CryptoError` with a short reason. The AES-256-CBC primitive itself is wechatpy's
(`WeChatCipher`, on `cryptography`), which is sound.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from wechatpy.crypto.base import WeChatCipher

BLOCK_SIZE = 32
"""WeChat pads to 32 bytes (PKCS#7 with a 32-byte block), not AES's 16."""

RANDOM_PREFIX_BYTES = 16
LENGTH_BYTES = 4


class CryptoError(ValueError):
    """The encrypted message cannot be trusted; the message says why (no secrets)."""


def signature(token: str, *parts: str) -> str:
    """WeChat's signature: sha1 of the token and the parts, sorted, concatenated.

    Args:
        token: the token configured on the WeChat admin page.
        parts: timestamp and nonce (plain signature), plus `Encrypt` for
            `msg_signature`.

    Returns:
        40 lowercase hex digits.
    """
    items = sorted([token, *parts])
    return hashlib.sha1("".join(items).encode("utf-8")).hexdigest()


def check_signature(token: str, given: str | None, *parts: str) -> bool:
    """True when `given` is the signature of the parts under `token`.

    Compared in constant time (hmac.compare_digest). An empty token never verifies:
    with an empty token anyone could compute the signature.
    """
    if not token or not given:
        return False
    expected = signature(token, *parts)
    return hmac.compare_digest(expected.encode("ascii"), given.strip().lower().encode())


def aes_key(encoding_aes_key: str) -> bytes:
    """Decodes the 43-character EncodingAESKey into the 32-byte AES key.

    Raises:
        ValueError: the key is not 43 base64 characters decoding to 32 bytes.
    """
    key = (encoding_aes_key or "").strip()
    if len(key) != 43:
        raise ValueError(f"EncodingAESKey must be 43 characters, got {len(key)}")
    try:
        raw = base64.b64decode(key + "=", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("EncodingAESKey is not valid base64") from exc
    if len(raw) != 32:  # pragma: no cover - 43 base64 chars always give 32 bytes
        raise ValueError("EncodingAESKey does not decode to 32 bytes")
    return raw


class MessageCrypto:
    """Encrypts and decrypts safe-mode message bodies for one account.

    Args:
        encoding_aes_key: the 43-character EncodingAESKey.
        app_id: the account's AppID; it is the last field of every plaintext and
            decryption refuses a message for another account.
    """

    def __init__(self, encoding_aes_key: str, app_id: str) -> None:
        if not app_id:
            raise ValueError("AppID is required for safe mode")
        self._key = aes_key(encoding_aes_key)
        self.app_id = app_id

    def __repr__(self) -> str:  # never show the key
        return f"MessageCrypto(app_id={self.app_id!r})"

    def encrypt(self, xml: str, random_prefix: bytes | None = None) -> str:
        """Returns base64(AES-CBC(16 random bytes + length + xml + AppID, padded)).

        Args:
            xml: the plaintext message.
            random_prefix: 16 bytes; random unless given (known-answer tests).
        """
        prefix = (
            os.urandom(RANDOM_PREFIX_BYTES) if random_prefix is None else random_prefix
        )
        if len(prefix) != RANDOM_PREFIX_BYTES:
            raise ValueError("random_prefix must be 16 bytes")
        body = xml.encode("utf-8")
        plain = (
            prefix + struct.pack(">I", len(body)) + body + self.app_id.encode("utf-8")
        )
        pad = BLOCK_SIZE - len(plain) % BLOCK_SIZE
        plain += bytes([pad]) * pad
        return base64.b64encode(WeChatCipher(self._key).encrypt(plain)).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        """Returns the XML inside a safe-mode `Encrypt` value.

        Raises:
            CryptoError: not base64, not whole AES blocks, bad padding, a length field
                that does not fit, text that is not UTF-8, or another AppID.
        """
        text = (encrypted or "").strip()
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError("Encrypt is not base64") from exc
        # Python accepts some wrong "=" padding; WeChat always sends canonical base64.
        if base64.b64encode(data).decode("ascii") != text:
            raise CryptoError("Encrypt is not canonical base64 (wrong padding)")
        if not data or len(data) % 16:
            raise CryptoError("Encrypt is not a whole number of AES blocks")
        plain = WeChatCipher(self._key).decrypt(data)
        pad = plain[-1]
        if not 1 <= pad <= BLOCK_SIZE or plain[-pad:] != bytes([pad]) * pad:
            raise CryptoError("bad padding")
        content = plain[RANDOM_PREFIX_BYTES:-pad]
        if len(content) < LENGTH_BYTES:
            raise CryptoError("message too short")
        (length,) = struct.unpack(">I", content[:LENGTH_BYTES])
        if length > len(content) - LENGTH_BYTES:
            raise CryptoError("length field larger than the message")
        xml_bytes = content[LENGTH_BYTES : LENGTH_BYTES + length]
        app_id = content[LENGTH_BYTES + length :]
        if not hmac.compare_digest(app_id, self.app_id.encode("utf-8")):
            raise CryptoError("message is for another AppID")
        try:
            return xml_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CryptoError("message is not UTF-8") from exc
