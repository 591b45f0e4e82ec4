"""CIDs as HEXS writes them: CIDv1, sha2-256, dag-pb or raw, base32 text (and CIDv0 read)."""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

DAG_PB = 0x70
RAW = 0x55
SHA2_256 = 0x12


class CidError(ValueError):
    """A CID that does not parse, or one HEXS cannot check (not sha2-256)."""


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_varint(data: bytes | memoryview, at: int = 0) -> tuple[int, int]:
    """The varint at `at` and the offset after it."""
    value = 0
    shift = 0
    while True:
        if at >= len(data):
            raise CidError("truncated varint")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise CidError("varint longer than 9 bytes")


@dataclass(frozen=True)
class Cid:
    codec: int
    digest: bytes
    version: int = 1

    @staticmethod
    def of(codec: int, block: bytes) -> Cid:
        return Cid(codec, hashlib.sha256(block).digest())

    def to_bytes(self) -> bytes:
        multihash = bytes([SHA2_256, len(self.digest)]) + self.digest
        if self.version == 0:
            return multihash
        return encode_varint(1) + encode_varint(self.codec) + multihash

    def __str__(self) -> str:
        if self.version == 0:
            return _base58btc(self.to_bytes())
        return "b" + base64.b32encode(self.to_bytes()).decode().lower().rstrip("=")

    def matches(self, block: bytes) -> bool:
        return hashlib.sha256(block).digest() == self.digest

    @staticmethod
    def from_bytes(data: bytes | memoryview, at: int = 0) -> tuple[Cid, int]:
        """The CID at `at` in binary form and the offset after it."""
        if len(data) >= at + 2 and data[at] == SHA2_256 and data[at + 1] == 32:
            end = at + 34
            if end > len(data):
                raise CidError("truncated CIDv0")
            return Cid(DAG_PB, bytes(data[at + 2 : end]), version=0), end
        version, at = decode_varint(data, at)
        if version != 1:
            raise CidError(f"unsupported CID version {version}")
        codec, at = decode_varint(data, at)
        hash_code, at = decode_varint(data, at)
        length, at = decode_varint(data, at)
        if hash_code != SHA2_256 or length != 32:
            raise CidError(f"unsupported multihash 0x{hash_code:x} of {length} bytes (only sha2-256 is checked)")
        if at + length > len(data):
            raise CidError("truncated CID digest")
        return Cid(codec, bytes(data[at : at + length])), at + length

    @staticmethod
    def parse(text: str) -> Cid:
        try:
            if text.startswith("Qm"):
                raw = _unbase58btc(text)
            elif text.startswith("b"):
                body = text[1:].upper()
                raw = base64.b32decode(body + "=" * (-len(body) % 8))
            else:
                raise CidError(f"CID {text[:80]!r} is neither base32 CIDv1 nor base58 CIDv0")
            cid, end = Cid.from_bytes(raw)
        except (ValueError, IndexError) as error:
            raise CidError(f"invalid CID {text[:80]!r}: {error}") from error
        if end != len(raw):
            raise CidError(f"invalid CID {text[:80]!r}: trailing bytes")
        return cid


_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _ALPHABET[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _unbase58btc(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body
