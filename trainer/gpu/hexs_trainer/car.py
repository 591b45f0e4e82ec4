"""CARv1 files: written with the root first, read back with every block re-hashed against its CID.

A CAR is read from a file on disk (blocks are located, not loaded), so a base model of several
GB passes through with one copy on disk and little memory.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from .cid import DAG_PB, RAW, Cid, CidError, decode_varint, encode_varint

MAX_BLOCK_SIZE = 2 * 1024 * 1024
MAX_HEADER_SIZE = 1024 * 1024


class CarError(ValueError):
    """A CAR that is malformed, holds a block whose bytes do not match its CID, or lacks a block."""


def header_bytes(root: Cid) -> bytes:
    """The dag-cbor header {"roots": [root], "version": 1}, keys in canonical (length-first) order."""
    cid = b"\0" + root.to_bytes()
    body = b"\xa2" + b"\x65roots" + b"\x81" + b"\xd8\x2a" + _cbor_head(2, len(cid)) + cid + b"\x67version" + b"\x01"
    return encode_varint(len(body)) + body


def write_car(out: BinaryIO, root: Cid, blocks: Iterable[tuple[Cid, bytes]]) -> int:
    """Writes a CARv1 of `blocks` under `root`; returns its size in bytes."""
    size = out.write(header_bytes(root))
    for cid, block in blocks:
        prefix = cid.to_bytes()
        size += out.write(encode_varint(len(prefix) + len(block)) + prefix)
        size += out.write(block)
    return size


class VerifiedCar:
    """The blocks of a CAR file, each checked against its CID when the file is indexed."""

    def __init__(self, path: str):
        self.path = path
        self._index: dict[Cid, tuple[int, int]] = {}
        with open(path, "rb") as car:
            self.roots = _read_header(car)
            while True:
                start = car.tell()
                length = _read_varint(car, allow_end=True)
                if length is None:
                    break
                if length > MAX_BLOCK_SIZE + 128:
                    raise CarError(f"a block section of {length} bytes is over the {MAX_BLOCK_SIZE}-byte block limit")
                section = car.read(length)
                if len(section) != length:
                    raise CarError(f"the CAR ends inside a block section starting at byte {start}")
                try:
                    cid, at = Cid.from_bytes(section)
                except CidError as error:
                    raise CarError(f"block at byte {start}: {error}") from error
                if cid.codec not in (DAG_PB, RAW):
                    raise CarError(f"block {cid}: codec 0x{cid.codec:x} is not UnixFS (dag-pb or raw)")
                if not cid.matches(section[at:]):
                    raise CarError(f"block {cid}: its bytes do not match the CID")
                self._index[_key(cid)] = (car.tell() - length + at, length - at)

    def get(self, cid: Cid) -> bytes:
        where = self._index.get(_key(cid))
        if where is None:
            raise CarError(f"block {cid} is not in the CAR")
        with open(self.path, "rb") as car:
            car.seek(where[0])
            return car.read(where[1])

    def __contains__(self, cid: Cid) -> bool:
        return _key(cid) in self._index


def _key(cid: Cid) -> Cid:
    # CIDv0 and CIDv1 dag-pb name the same block.
    return Cid(cid.codec, cid.digest)


def _read_varint(stream: BinaryIO, allow_end: bool = False) -> int | None:
    raw = bytearray()
    while True:
        byte = stream.read(1)
        if not byte:
            if allow_end and not raw:
                return None
            raise CarError("the CAR ends inside a varint")
        raw += byte
        if not byte[0] & 0x80:
            return decode_varint(bytes(raw))[0]
        if len(raw) > 9:
            raise CarError("a varint is longer than 9 bytes")


def _read_header(stream: BinaryIO) -> list[Cid]:
    length = _read_varint(stream, allow_end=True)
    if length is None:
        raise CarError("empty CAR")
    if length > MAX_HEADER_SIZE:
        raise CarError(f"a header of {length} bytes is too large")
    raw = stream.read(length)
    if len(raw) != length:
        raise CarError("the CAR header is truncated")
    try:
        header, end = _decode_cbor(raw, 0)
    except (IndexError, ValueError, CidError) as error:
        raise CarError(f"the CAR header is not dag-cbor: {error}") from error
    if end != len(raw) or not isinstance(header, dict):
        raise CarError("the CAR header is not one dag-cbor map")
    if header.get("version") != 1:
        raise CarError(f"unsupported CAR version {header.get('version')!r} (CARv1 is read)")
    roots = header.get("roots")
    if not isinstance(roots, list) or not all(isinstance(root, Cid) for root in roots):
        raise CarError("the CAR header's roots are not a list of CIDs")
    return roots


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _decode_cbor(data: bytes, at: int):
    """The subset of dag-cbor a CAR header uses: maps, arrays, strings, bytes, integers, CIDs."""
    initial = data[at]
    at += 1
    major, info = initial >> 5, initial & 31
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError(f"unsupported CBOR additional info {info}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at : at + value]
        if len(raw) != value:
            raise ValueError("truncated CBOR string")
        return (raw if major == 2 else raw.decode()), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode_cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        result = {}
        for _ in range(value):
            key, at = _decode_cbor(data, at)
            result[key], at = _decode_cbor(data, at)
        return result, at
    if major == 6 and value == 42:
        raw, at = _decode_cbor(data, at)
        if not isinstance(raw, bytes) or not raw.startswith(b"\0"):
            raise ValueError("a CID tag does not hold 0x00-prefixed bytes")
        cid, end = Cid.from_bytes(raw[1:])
        if end != len(raw) - 1:
            raise ValueError("trailing bytes after a CID")
        return cid, at
    if major == 7 and value in (20, 21, 22):
        return {20: False, 21: True, 22: None}[value], at
    raise ValueError(f"unsupported CBOR major type {major}")
