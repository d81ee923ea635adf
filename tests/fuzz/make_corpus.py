#!/usr/bin/python3
"""Rebuild the checked-in seed corpora of the fuzz targets (corpus/).

    make_corpus.py BUILD_FUZZ_DIR

corpus/wire: every distinct UDP payload of the real captures
  (tests/wire/captures/*.pcap: sha1, crc and md5, classic and netstring).
corpus/conf: the golden configurations of tests/conf (good and bad), each
  ha.cf / haresources / authkeys prefixed with the byte that picks its parser
  in fuzz_conf.
corpus/ipc: one encoded valid message of every type of every vocabulary
  (write_ipc_seeds, built with -Dfuzz=true).
corpus/control: control-socket conversations (status, standby and
  takeover of every class, a reply sent the wrong way), each datagram
  length-prefixed as fuzz_control reads it (write_ipc_seeds too).
Seeds are named by the SHA-1 of their content, as libFuzzer names inputs.
"""
import hashlib
import pathlib
import shutil
import struct
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
TESTS = HERE.parent


def udp_payloads(pcap):
    """UDP payloads of an Ethernet/IPv4 pcap (the captures' only shape)."""
    data = pcap.read_bytes()
    endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    pos = 24
    while pos + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[pos:pos + 16])
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        if len(frame) < 14 or frame[12:14] != b"\x08\x00":
            continue
        ihl = (frame[14] & 0x0F) * 4
        if frame[14 + 9] != 17:
            continue
        udp = frame[14 + ihl:]
        yield udp[8:]


def write(directory, content):
    name = hashlib.sha1(content).hexdigest()
    (directory / name).write_bytes(content)


def fresh(directory):
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = pathlib.Path(argv[1])
    wire = fresh(HERE / "corpus" / "wire")
    for pcap in sorted((TESTS / "wire" / "captures").glob("*.pcap")):
        for payload in udp_payloads(pcap):
            write(wire, payload)
    conf = fresh(HERE / "corpus" / "conf")
    selector = {"ha.cf": b"\x00", "haresources": b"\x05", "authkeys": b"\x02"}
    for case in sorted((TESTS / "conf").glob("*/*")):
        for name, prefix in selector.items():
            f = case / name
            if f.is_file():
                write(conf, prefix + f.read_bytes())
    ipc = fresh(HERE / "corpus" / "ipc")
    control = fresh(HERE / "corpus" / "control")
    subprocess.run([str(build / "tests" / "fuzz" / "write_ipc_seeds"), str(ipc), str(control)],
                   check=True)
    for d in (ipc, control):
        for f in list(d.iterdir()):  # content names, like the others
            content = f.read_bytes()
            f.unlink()
            write(d, content)
    for d in (wire, conf, ipc, control):
        size = sum(f.stat().st_size for f in d.iterdir())
        print(f"{d.relative_to(HERE)}: {len(list(d.iterdir()))} seeds, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
