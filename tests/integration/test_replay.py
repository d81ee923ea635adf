"""Replayed packets never change state (heartbeat-compat.md §5.8).

node1's real, correctly signed packets are captured on the wire, then sent
again from the client host: first while node1 still runs in the same
generation (every seq already seen), then after node1 restarted in a new
generation. node2 must keep its view exactly as it was, and log the old
generation as an attempted replay once, not once per packet.
"""
from __future__ import annotations

import struct
import time

from vigil_node import AUTH_SHA1, VigilNode, ha_cf


def udp_payloads(pcap_path, src_ip):
    """UDP payloads sent by `src_ip` in a classic pcap (Ethernet)."""
    data = open(pcap_path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off = 24
    src = bytes(int(x) for x in src_ip.split("."))
    out = []
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frame = data[off + 16: off + 16 + caplen]
        off += 16 + caplen
        if len(frame) < 42 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[9] != 17 or ip[12:16] != src:
            continue
        udp = ip[ihl:]
        length = struct.unpack(">H", udp[4:6])[0]
        out.append(udp[8:length])
    return out


def send_from_client(lab, dest, payloads):
    script = (
        "import socket,sys,binascii\n"
        "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
        "for line in sys.stdin.read().split():\n"
        "    s.sendto(binascii.unhexlify(line),(sys.argv[1],694))\n")
    hexes = "\n".join(p.hex() for p in payloads)
    lab.run("client", ["/usr/bin/python3", "-c", script, dest], input=hexes)


def test_replayed_packets_change_nothing_and_old_generations_are_logged_once(lab, tmp_path):
    names = ["node1", "node2"]
    nodes = {n: VigilNode(lab, n, tmp_path, ha_cf(names, ["bcast eth1"]), authkeys=AUTH_SHA1)
             for n in names}
    for n in nodes.values():
        n.start()
    nodes["node2"].wait_for_log(r"Status update for node node1: status active", 15)
    with lab.capture("node2", "eth1", "udp port 694") as cap:
        time.sleep(2)
    payloads = udp_payloads(cap.path, lab.hosts["node1"].addr)
    assert len(payloads) >= 10, f"captured only {len(payloads)} packets of node1"

    # Same generation: every seq was seen already, so each is a duplicate or
    # older than the window; nothing may change.
    before = nodes["node2"].log_size()
    send_from_client(lab, lab.hosts["node2"].addr, payloads)
    time.sleep(1)
    text = nodes["node2"].log(before)
    for line in ("Status update for node node1", "Heartbeat restart", "is dead",
                 "Link node1:eth1 up", "returning after partition"):
        assert line not in text, text

    # node1 restarts in a new generation (it stays away longer than the
    # continuation window), then the old generation's packets come back.
    nodes["node1"].kill9()
    time.sleep(1.0)
    nodes["node1"].start()
    nodes["node2"].wait_for_log(r"Heartbeat restart on node node1", 10, start=before)
    nodes["node2"].wait_for_log(r"Status update for node node1: status active", 10, start=before)
    before = nodes["node2"].log_size()
    for _ in range(3):
        send_from_client(lab, lab.hosts["node2"].addr, payloads)
    time.sleep(1)
    text = nodes["node2"].log(before)
    replays = text.count("attempted replay attack")
    print(f"{3 * len(payloads)} old-generation packets replayed -> "
          f"{replays} 'attempted replay attack' line(s)")
    assert replays == 1, text
    for line in ("Status update for node node1", "Heartbeat restart", "is dead"):
        assert line not in text, text
