import os

import pytest

from hexs_trainer.car import CarError, VerifiedCar, write_car
from hexs_trainer.cid import RAW, Cid
from hexs_trainer.unixfs import pack_path, unpack


def make_folder(root):
    os.makedirs(root / "sub")
    (root / "a.txt").write_bytes(b"hello")
    (root / "sub" / "b.bin").write_bytes(bytes(range(256)) * 5000)  # 1.28 MB: two leaves under a file node
    (root / "empty.txt").write_bytes(b"")
    return root


def car_of(folder, path):
    packed = pack_path(str(folder))
    with open(path, "wb") as out:
        packed.write_car(out)
    return packed.root


def test_packs_the_same_root_as_the_javascript_implementations(tmp_path):
    # The same three files packed by src/lib/ipfs/car.ts (and ipfs-unixfs-importer with the
    # unixfs-v1-2025 profile) give this root.
    packed = pack_path(str(make_folder(tmp_path / "folder")))
    assert str(packed.root) == "bafybeiei7hwbvcyrwycyeddnjyh75mcchogyjmenh3vyu3okjcydcfi4u4"


def test_round_trips_a_folder_through_a_verified_car(tmp_path):
    folder = make_folder(tmp_path / "folder")
    root = car_of(folder, tmp_path / "x.car")
    car = VerifiedCar(str(tmp_path / "x.car"))
    assert car.roots == [root]
    written = unpack(car, root, str(tmp_path / "out"))
    assert sorted(written) == ["a.txt", "empty.txt", "sub/b.bin"]
    for name in written:
        assert (tmp_path / "out" / name).read_bytes() == (folder / name).read_bytes()


def test_refuses_a_substituted_car_that_is_consistent_in_itself(tmp_path):
    # A gateway answers the request for the dataset with some other, well-formed CAR.
    requested = Cid.of(RAW, b"the dataset that was asked for")
    (tmp_path / "other.txt").write_bytes(b"some other content")
    car_of(tmp_path / "other.txt", tmp_path / "other.car")
    with pytest.raises(CarError, match="does not hold the requested root"):
        unpack(VerifiedCar(str(tmp_path / "other.car")), requested, str(tmp_path / "out"))


def test_refuses_a_block_whose_bytes_do_not_match_its_cid(tmp_path):
    folder = make_folder(tmp_path / "folder")
    car_of(folder, tmp_path / "x.car")
    data = bytearray((tmp_path / "x.car").read_bytes())
    data[len(data) // 2] ^= 1
    (tmp_path / "x.car").write_bytes(bytes(data))
    with pytest.raises(CarError, match="do not match the CID"):
        VerifiedCar(str(tmp_path / "x.car"))


def test_refuses_a_car_missing_a_block_of_the_dag(tmp_path):
    folder = make_folder(tmp_path / "folder")
    packed = pack_path(str(folder))
    blocks = [(cid, block) for cid, block in packed.blocks() if block != b"hello"]
    with open(tmp_path / "x.car", "wb") as out:
        write_car(out, packed.root, blocks)
    with pytest.raises(CarError, match="is not in the CAR"):
        unpack(VerifiedCar(str(tmp_path / "x.car")), packed.root, str(tmp_path / "out"))


def test_refuses_a_truncated_car(tmp_path):
    folder = make_folder(tmp_path / "folder")
    car_of(folder, tmp_path / "x.car")
    data = (tmp_path / "x.car").read_bytes()
    (tmp_path / "x.car").write_bytes(data[: len(data) - 100])
    with pytest.raises(CarError, match="ends inside a block"):
        VerifiedCar(str(tmp_path / "x.car"))


def test_cids_parse_and_print_in_both_versions():
    v1 = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"  # the empty raw block
    assert str(Cid.parse(v1)) == v1
    v0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"  # the empty UnixFS directory
    assert str(Cid.parse(v0)) == v0
    assert Cid.parse(v1).matches(b"")

