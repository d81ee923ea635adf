#!/usr/bin/python3
"""Floods one node of a test lab with junk on the heartbeat port (bench only).

    flooder.py TARGET_ADDR PEER_ADDR SECONDS

Run ONLY inside a test namespace (tests/bench/flood.py spawns it on the
lab's `flooder` host): it first waits for one genuine broadcast heartbeat
from PEER_ADDR, then sends TARGET_ADDR:694, as fast as it can for SECONDS,
a rotation of random bytes, truncated copies of the genuine packet, and the
genuine packet with an altered signature (one hex digit of its trailer
changed). Prints `sent N` at the end.
"""
import os
import random
import socket
import sys
import time


def main():
    target, peer, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rx.bind(("", 694))
    rx.settimeout(10)
    while True:
        data, (src, _) = rx.recvfrom(65536)
        if src == peer and data.startswith(b"###\n") and b"t=status" in data:
            break
    rx.close()
    genuine = data.rstrip(b"\0")
    # The trailer is the last netstring: "NN:1 <hex>,". Alter one hex digit.
    forged = bytearray(genuine)
    pos = len(forged) - 2
    forged[pos] = ord("0") if forged[pos] != ord("0") else ord("1")
    forged = bytes(forged)
    rng = random.Random(int.from_bytes(os.urandom(8), "little"))
    junk = [os.urandom(rng.randint(1, 1400)) for _ in range(64)]
    truncated = [genuine[:rng.randint(1, len(genuine) - 1)] for _ in range(64)]
    rotation = []
    for i in range(64):
        rotation += [junk[i], truncated[i], forged]
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.setblocking(False)
    dest = (target, 694)
    sent = 0
    end = time.monotonic() + seconds
    n = len(rotation)
    while time.monotonic() < end:
        for _ in range(256):
            try:
                tx.sendto(rotation[sent % n], dest)
                sent += 1
            except BlockingIOError:
                pass
    print(f"sent {sent}", flush=True)


if __name__ == "__main__":
    main()
