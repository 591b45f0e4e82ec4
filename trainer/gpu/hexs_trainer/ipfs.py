"""IPFS for the job: inputs fetched as CARs from a trustless gateway and checked block by block;
outputs packed here (root known first) and imported through the Kubo RPC, whose answer must name
that root."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid

from .car import CarError, VerifiedCar
from .cid import Cid
from .unixfs import PackedFolder, UnixfsError, pack_path, unpack


class IpfsError(RuntimeError):
    """A gateway or RPC that failed, or answered something other than what was asked for."""


def fetch(gateway: str, root: Cid, out: str, timeout: float = 600) -> list[str]:
    """Fetches `root` as a CAR, checks every block and writes the file or folder to `out`."""
    url = f"{gateway}/ipfs/{root}?format=car&dag-scope=all"
    request = urllib.request.Request(url, headers={"Accept": "application/vnd.ipld.car"})
    with tempfile.NamedTemporaryFile(suffix=".car", delete=False) as car_file:
        try:
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    while chunk := response.read(1024 * 1024):
                        car_file.write(chunk)
            except urllib.error.HTTPError as error:
                raise IpfsError(f"the IPFS gateway answered HTTP {error.code} for {url}") from None
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                raise IpfsError(f"the IPFS gateway at {url} cannot be reached: {getattr(error, 'reason', error)}") from None
            car_file.close()
            try:
                return unpack(VerifiedCar(car_file.name), root, out)
            except CarError as error:
                raise IpfsError(f"{root} from {gateway}: {error}") from error
        finally:
            os.unlink(car_file.name)


def fetch_first(gateways: list[str], root: Cid, out: str, log=print, timeout: float = 600) -> list[str]:
    """Fetches `root` into `out` (which must not exist yet) from the first gateway that serves it
    whole and true: a gateway that fails or lies is named in `log` and the next one is tried. Each
    try unpacks into a folder of its own, renamed to `out` only once every block has checked out."""
    failures: list[str] = []
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    for gateway in gateways:
        attempt = tempfile.mkdtemp(prefix=".fetch-", dir=parent)
        try:
            written = fetch(gateway, root, os.path.join(attempt, "content"), timeout)
            os.rename(os.path.join(attempt, "content"), out)
            return written
        except (IpfsError, UnixfsError) as error:
            failures.append(str(error))
            log(f"{gateway} did not serve {root}: {error}")
        finally:
            shutil.rmtree(attempt, ignore_errors=True)
    if not gateways:
        raise IpfsError(f"no IPFS gateway to fetch {root} from")
    raise IpfsError(f"no gateway served {root} whole and true: {'; '.join(failures)}")


def upload(kubo_api: str, path: str, token: str | None = None, timeout: float = 1800) -> tuple[Cid, int]:
    """Packs `path` (a file or folder), imports it pinned, checks the node names the same root.

    Returns the root and the CAR's size."""
    packed: PackedFolder = pack_path(path)
    with tempfile.NamedTemporaryFile(suffix=".car") as car_file:
        size = packed.write_car(car_file)
        car_file.flush()
        answered = _dag_import(kubo_api, car_file.name, size, token, timeout)
    if str(packed.root) not in answered:
        raise IpfsError(f"the IPFS node imported {answered or 'no root'} instead of {packed.root}")
    return packed.root, size


def _dag_import(kubo_api: str, car_path: str, size: int, token: str | None, timeout: float) -> list[str]:
    boundary = uuid.uuid4().hex
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.car\"\r\n"
        "Content-Type: application/vnd.ipld.car\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        with open(car_path, "rb") as car:
            while chunk := car.read(1024 * 1024):
                yield chunk
        yield tail

    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + size + len(tail)),
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = f"{kubo_api}/api/v0/dag/import?pin-roots=true"
    request = urllib.request.Request(url, data=body(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            lines = [json.loads(line) for line in response.read().decode().splitlines() if line.strip()]
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")[:500]
        raise IpfsError(f"the IPFS node refused the upload: HTTP {error.code} {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise IpfsError(f"the IPFS node at {url} cannot be reached: {getattr(error, 'reason', error)}") from None
    roots = []
    for line in lines:
        root = line.get("Root")
        if root:
            if root.get("PinErrorMsg"):
                raise IpfsError(f"the IPFS node did not pin {root['Cid']['/']}: {root['PinErrorMsg']}")
            roots.append(root["Cid"]["/"])
    return roots
