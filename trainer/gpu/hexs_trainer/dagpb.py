"""dag-pb nodes carrying UnixFS data: the encoding @ipld/dag-pb and ipfs-unixfs write, and a decoder.

Encoding follows the dag-pb spec's canonical form (links sorted by name bytes and written before
Data; a link writes Hash, Name, Tsize in that order, Name even when empty) so a node encoded here
has the same bytes, hence the same CID, as one from the JavaScript implementations.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .cid import Cid, CidError, decode_varint, encode_varint

UNIXFS_RAW, UNIXFS_DIRECTORY, UNIXFS_FILE = 0, 1, 2


class DagPbError(ValueError):
    """A block that is not a well-formed dag-pb node or UnixFS message."""


@dataclass(frozen=True)
class Link:
    cid: Cid
    name: str
    tsize: int


@dataclass
class UnixfsData:
    type: int
    data: bytes = b""
    filesize: int | None = None
    blocksizes: list[int] = field(default_factory=list)


def _field(number: int, wire: int) -> bytes:
    return encode_varint(number << 3 | wire)


def _bytes_field(number: int, value: bytes) -> bytes:
    return _field(number, 2) + encode_varint(len(value)) + value


def encode_unixfs(data: UnixfsData) -> bytes:
    out = _field(1, 0) + encode_varint(data.type)
    if data.data:
        out += _bytes_field(2, data.data)
    if data.filesize is not None:
        out += _field(3, 0) + encode_varint(data.filesize)
    for size in data.blocksizes:
        out += _field(4, 0) + encode_varint(size)
    return out


def encode_node(data: bytes, links: list[Link]) -> bytes:
    out = b""
    for link in sorted(links, key=lambda one: one.name.encode()):
        body = _bytes_field(1, link.cid.to_bytes()) + _bytes_field(2, link.name.encode()) + _field(3, 0) + encode_varint(link.tsize)
        out += _bytes_field(2, body)
    return out + _bytes_field(1, data)


def _fields(block: bytes):
    """Yields (number, wire type, value) of a protobuf message; value is int or bytes."""
    at = 0
    while at < len(block):
        key, at = decode_varint(block, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = decode_varint(block, at)
        elif wire == 2:
            length, at = decode_varint(block, at)
            if at + length > len(block):
                raise DagPbError("length-delimited field runs past the block")
            value, at = block[at : at + length], at + length
        else:
            raise DagPbError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def decode_node(block: bytes) -> tuple[bytes, list[Link]]:
    """A dag-pb node's Data and Links."""
    data = b""
    links: list[Link] = []
    try:
        for number, wire, value in _fields(block):
            if number == 1 and wire == 2:
                data = value
            elif number == 2 and wire == 2:
                cid = None
                name = ""
                tsize = 0
                for link_number, link_wire, link_value in _fields(value):
                    if link_number == 1 and link_wire == 2:
                        cid, _ = Cid.from_bytes(link_value)
                    elif link_number == 2 and link_wire == 2:
                        name = link_value.decode()
                    elif link_number == 3 and link_wire == 0:
                        tsize = link_value
                if cid is None:
                    raise DagPbError("a link has no Hash")
                links.append(Link(cid, name, tsize))
            else:
                raise DagPbError(f"unexpected field {number} in a dag-pb node")
    except (CidError, UnicodeDecodeError) as error:
        raise DagPbError(str(error)) from error
    return data, links


def decode_unixfs(data: bytes) -> UnixfsData:
    result = UnixfsData(type=-1)
    for number, wire, value in _fields(data):
        if number == 1 and wire == 0:
            result.type = value
        elif number == 2 and wire == 2:
            result.data = value
        elif number == 3 and wire == 0:
            result.filesize = value
        elif number == 4 and wire == 0:
            result.blocksizes.append(value)
        elif number == 4 and wire == 2:  # packed
            at = 0
            while at < len(value):
                size, at = decode_varint(value, at)
                result.blocksizes.append(size)
    if result.type < 0:
        raise DagPbError("UnixFS data has no Type")
    return result
