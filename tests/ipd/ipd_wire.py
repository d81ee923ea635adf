"""heartbeatd's side of the ipd vocabulary, in Python, for the integration
tests: frames as common/ipc/frame_format.h lays them out, messages as
common/proto/ipd_messages.h encodes them (big-endian integers, strings as
a u16 length and the bytes)."""
from __future__ import annotations

import socket
import struct

MAGIC = 0x5647
VERSION = 1
HEADER = struct.Struct(">HBBHHI")

HELLO, LEASE, ADD_VIP, REMOVE_VIP, LIST_VIPS, RESULT, VIP_LIST, EVENT = range(1, 9)
OK, FAILED, REFUSED = 0, 1, 2
VIP_LOST, LINK_DOWN, LINK_UP = 1, 2, 3


def frame(msg_type: int, payload: bytes) -> bytes:
    return HEADER.pack(MAGIC, VERSION, 0, msg_type, 0, len(payload)) + payload


def _string(s: str) -> bytes:
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def hello(config_hash: str, lease_ms: int) -> bytes:
    return frame(HELLO, _string(config_hash) + struct.pack(">I", lease_ms))


def lease(lease_ms: int) -> bytes:
    return frame(LEASE, struct.pack(">I", lease_ms))


def add_vip(request_id: int, config_hash: str, group: int, position: int) -> bytes:
    return frame(ADD_VIP, struct.pack(">I", request_id) + _string(config_hash)
                 + struct.pack(">HH", group, position))


def remove_vip(request_id: int, config_hash: str, group: int, position: int) -> bytes:
    return frame(REMOVE_VIP, struct.pack(">I", request_id) + _string(config_hash)
                 + struct.pack(">HH", group, position))


def list_vips(request_id: int) -> bytes:
    return frame(LIST_VIPS, struct.pack(">I", request_id))


def decode(datagram: bytes) -> tuple:
    """("result", id, outcome, detail) | ("vip_list", id, [((g, p), present)])
    | ("event", kind, (g, p), interface)."""
    magic, version, flags, msg_type, reserved, length = HEADER.unpack_from(datagram)
    assert (magic, version, flags, reserved) == (MAGIC, VERSION, 0, 0), datagram
    body = datagram[HEADER.size:]
    assert len(body) == length, datagram
    if msg_type == RESULT:
        request_id, outcome, n = struct.unpack_from(">IBH", body)
        return ("result", request_id, outcome, body[7:7 + n].decode())
    if msg_type == VIP_LIST:
        request_id, n = struct.unpack_from(">IH", body)
        vips = []
        for i in range(n):
            g, p, present = struct.unpack_from(">HHB", body, 6 + 5 * i)
            vips.append(((g, p), bool(present)))
        return ("vip_list", request_id, vips)
    if msg_type == EVENT:
        kind, g, p, n = struct.unpack_from(">BHHH", body)
        return ("event", kind, (g, p), body[7:7 + n].decode())
    raise AssertionError(f"unexpected message type {msg_type}")


class Client:
    """One SOCK_SEQPACKET connection to ipd.sock."""

    def __init__(self, path: str, timeout: float = 5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.next_id = 1

    def send(self, datagram: bytes) -> None:
        self.sock.send(datagram)

    def recv(self) -> tuple | None:
        """The next message, or None when ipd closed the connection."""
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            return None
        return decode(data) if data else None

    def recv_kind(self, kind: str) -> tuple:
        while True:
            m = self.recv()
            assert m is not None, f"ipd closed the connection while we waited for {kind}"
            if m[0] == kind:
                return m

    def closed_by_peer(self) -> bool:
        """True when ipd closes the connection (answers are skipped)."""
        while True:
            try:
                m = self.recv()
            except socket.timeout:
                return False
            if m is None:
                return True

    def request(self, make, *args) -> tuple:
        request_id = self.next_id
        self.next_id += 1
        self.send(make(request_id, *args))
        kind = "vip_list" if make is list_vips else "result"
        m = self.recv_kind(kind)
        assert m[1] == request_id, m
        return m

    def close(self) -> None:
        self.sock.close()
