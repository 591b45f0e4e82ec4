"""UnixFS folders packed as dag.ts packs them (IPIP-499 "unixfs-v1-2025": CIDv1, raw leaves of 1 MiB,
balanced DAG of at most 1 024 links per node, flat directories), and read back from a verified CAR.

Packing reads every file twice, as the dApp does: once to hash the leaves (the root CID is then
known before any byte is sent), once to write the CAR; no file is ever held in memory whole.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import BinaryIO

from .car import CarError, VerifiedCar, write_car
from .cid import DAG_PB, RAW, Cid
from .dagpb import (
    UNIXFS_DIRECTORY,
    UNIXFS_FILE,
    UNIXFS_RAW,
    DagPbError,
    Link,
    UnixfsData,
    decode_node,
    decode_unixfs,
    encode_node,
    encode_unixfs,
)

CHUNK_SIZE = 1024 * 1024
MAX_LINKS = 1024


class UnixfsError(ValueError):
    """Content that is not a UnixFS file or folder HEXS can read."""


@dataclass
class Node:
    cid: Cid
    size: int  # cumulative: this block and every block below it (the dag-pb Tsize)
    file_size: int
    block: bytes | None = None  # dag-pb nodes; raw leaves are read again from `source`
    source: tuple[str, int, int] | None = None  # (path, offset, length) of a raw leaf
    children: list[Node] = field(default_factory=list)


@dataclass
class PackedFolder:
    root: Cid
    top: Node

    def blocks(self):
        """Every block once, in pre-order (root first), as a gateway streams a DAG."""
        seen: set[Cid] = set()
        stack = [self.top]
        while stack:
            node = stack.pop()
            if node.cid in seen:
                continue
            seen.add(node.cid)
            if node.block is not None:
                yield node.cid, node.block
            else:
                path, offset, length = node.source  # type: ignore[misc]
                with open(path, "rb") as file:
                    file.seek(offset)
                    yield node.cid, file.read(length)
            stack.extend(reversed(node.children))

    def write_car(self, out: BinaryIO) -> int:
        return write_car(out, self.root, self.blocks())


def pack_path(path: str) -> PackedFolder:
    """Packs a file, or a folder with every file below it, as UnixFS."""
    top = _pack_directory(path) if os.path.isdir(path) else _pack_file(path)
    return PackedFolder(top.cid, top)


def _pack_file(path: str) -> Node:
    leaves: list[Node] = []
    with open(path, "rb") as file:
        offset = 0
        while True:
            chunk = file.read(CHUNK_SIZE)
            if not chunk and leaves:
                break
            leaves.append(Node(Cid.of(RAW, chunk), len(chunk), len(chunk), source=(path, offset, len(chunk))))
            offset += len(chunk)
            if len(chunk) < CHUNK_SIZE:
                break
    level = leaves
    while len(level) > 1:
        level = [_file_node(level[i : i + MAX_LINKS]) for i in range(0, len(level), MAX_LINKS)]
    return level[0]


def _file_node(children: list[Node]) -> Node:
    data = encode_unixfs(
        UnixfsData(UNIXFS_FILE, filesize=sum(c.file_size for c in children), blocksizes=[c.file_size for c in children])
    )
    return _pb_node(data, [("", child) for child in children])


def _pack_directory(path: str) -> Node:
    entries = []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        entries.append((name, _pack_directory(full) if os.path.isdir(full) else _pack_file(full)))
    return _pb_node(encode_unixfs(UnixfsData(UNIXFS_DIRECTORY)), entries)


def _pb_node(data: bytes, named: list[tuple[str, Node]]) -> Node:
    ordered = sorted(named, key=lambda entry: entry[0].encode())
    block = encode_node(data, [Link(child.cid, name, child.size) for name, child in ordered])
    return Node(
        Cid.of(DAG_PB, block),
        len(block) + sum(child.size for _, child in ordered),
        sum(child.file_size for _, child in ordered),
        block=block,
        children=[child for _, child in ordered],
    )


def unpack(car: VerifiedCar, root: Cid, out: str) -> list[str]:
    """Writes the file or folder `root` names to `out`; returns the relative paths of the files.

    Only blocks of the DAG under `root` are read, each checked when the CAR was indexed, so a CAR
    whose own root is something else, or that lacks a block, is refused."""
    if root not in car:
        raise CarError(f"the CAR does not hold the requested root {root}")
    written: list[str] = []
    _unpack(car, root, out, "", written)
    return written


def _unpack(car: VerifiedCar, cid: Cid, out: str, relative: str, written: list[str]) -> None:
    if cid.codec == RAW:
        return _write_file(car, cid, out, relative, written)
    try:
        data, links = decode_node(car.get(cid))
        unixfs = decode_unixfs(data)
    except DagPbError as error:
        raise UnixfsError(f"block {cid} is not UnixFS: {error}") from error
    if unixfs.type == UNIXFS_DIRECTORY:
        os.makedirs(out, exist_ok=True)
        for link in links:
            if not link.name or link.name in (".", "..") or "/" in link.name or "\0" in link.name:
                raise UnixfsError(f"folder {cid} holds an entry named {link.name!r}")
            _unpack(car, link.cid, os.path.join(out, link.name), f"{relative}/{link.name}".lstrip("/"), written)
    elif unixfs.type in (UNIXFS_FILE, UNIXFS_RAW):
        _write_file(car, cid, out, relative, written)
    else:
        raise UnixfsError(f"block {cid} is UnixFS type {unixfs.type}; HEXS reads files and flat folders only")


def _write_file(car: VerifiedCar, cid: Cid, out: str, relative: str, written: list[str]) -> None:
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "wb") as file:
        _write_content(car, cid, file)
    written.append(relative)


def _write_content(car: VerifiedCar, cid: Cid, file: BinaryIO) -> None:
    block = car.get(cid)
    if cid.codec == RAW:
        file.write(block)
        return
    try:
        data, links = decode_node(block)
        unixfs = decode_unixfs(data)
    except DagPbError as error:
        raise UnixfsError(f"block {cid} is not UnixFS: {error}") from error
    if unixfs.type not in (UNIXFS_FILE, UNIXFS_RAW):
        raise UnixfsError(f"block {cid} inside a file is UnixFS type {unixfs.type}")
    file.write(unixfs.data)
    for link in links:
        _write_content(car, link.cid, file)
