"""ipd's library against a real kernel, through vip_tool, in network
namespaces (tests/integration/netlab.py): node1 holds the VIPs on eth1
(192.0.2.1/24, 2001:db8::1/64); client (192.0.2.100) listens on the same
bridge."""
import signal
import time

import pytest

from netlab import wait_until
from ipd_daemon import IpdDaemon


def tool(lab, vip_tool, *args, check=True):
    return lab.run("node1", [vip_tool, *args], check=check)


def addr_lines(lab, family="-4"):
    return lab.run("node1", ["ip", family, "-o", "addr", "show", "dev", "eth1"]).stdout.splitlines()


def line_for(lab, address, family="-4"):
    for line in addr_lines(lab, family):
        if f" {address}/" in line:
            return line
    return None


def log_text(p):
    with open(p.log_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def test_ipaddr2_vip_is_added_with_prefix_broadcast_and_label(lab, vip_tool):
    out = tool(lab, vip_tool, "add", "IPaddr2::192.0.2.50/24/eth1:web", "--count", "1").stdout
    assert "added 192.0.2.50/24 on eth1" in out
    line = line_for(lab, "192.0.2.50")
    assert line is not None
    assert "inet 192.0.2.50/24 brd 192.0.2.255" in line
    assert " eth1:web" in line


def test_bare_ip_finds_eth1_by_subnet_and_takes_alias_label(lab, vip_tool):
    tool(lab, vip_tool, "add", "192.0.2.51", "--count", "1")
    line = line_for(lab, "192.0.2.51")
    assert line is not None
    assert "inet 192.0.2.51/24 brd 192.0.2.255" in line
    assert "eth1:0" in line


def test_vip_outside_every_subnet_is_refused_with_its_address(lab, vip_tool):
    r = tool(lab, vip_tool, "add", "203.0.113.9", check=False)
    assert r.returncode != 0
    assert "203.0.113.9" in r.stderr
    assert line_for(lab, "203.0.113.9") is None


def test_add_twice_succeeds_and_announces_again(lab, vip_tool):
    first = tool(lab, vip_tool, "add", "IPaddr2::192.0.2.52/24/eth1", "--count", "1").stdout
    second = tool(lab, vip_tool, "add", "IPaddr2::192.0.2.52/24/eth1", "--count", "1").stdout
    assert "added" in first
    assert "present 192.0.2.52/24 on eth1" in second
    assert "announced 2 frames, 0 failed" in second
    assert sum(" 192.0.2.52/" in l for l in addr_lines(lab)) == 1


def test_remove_is_idempotent(lab, vip_tool):
    tool(lab, vip_tool, "add", "IPaddr2::192.0.2.53/24/eth1", "--count", "1")
    assert "removed" in tool(lab, vip_tool, "remove", "IPaddr2::192.0.2.53/24/eth1").stdout
    assert line_for(lab, "192.0.2.53") is None
    assert "absent" in tool(lab, vip_tool, "remove", "IPaddr2::192.0.2.53/24/eth1").stdout


def test_removing_a_vip_that_became_primary_keeps_the_hosts_own_address(lab, vip_tool):
    # 198.18.0.0/24 is empty on eth1: the VIP becomes that subnet's primary.
    lab.run("node1", ["ip", "addr", "flush", "dev", "eth1", "to", "198.18.0.0/24"], check=False)
    tool(lab, vip_tool, "add", "IPaddr2::198.18.0.5/24/eth1", "--count", "0")
    lab.run("node1", ["ip", "addr", "add", "198.18.0.6/24", "dev", "eth1"])
    tool(lab, vip_tool, "remove", "IPaddr2::198.18.0.5/24/eth1")
    assert line_for(lab, "198.18.0.5") is None
    assert line_for(lab, "198.18.0.6") is not None


def test_gratuitous_arps_reach_the_segment_as_requests_and_replies(lab, vip_tool):
    with lab.capture("client", "eth1", "arp") as cap:
        out = tool(lab, vip_tool, "add", "IPaddr2::192.0.2.54/24/eth1").stdout
        assert "announced 10 frames, 0 failed" in out  # IPaddr2: 5 rounds
    packets = [p for p in cap.packets() if "192.0.2.54" in p]
    requests = [p for p in packets if "Request who-has 192.0.2.54" in p and "tell 192.0.2.54" in p]
    replies = [p for p in packets if "Reply 192.0.2.54 is-at" in p]
    assert len(requests) == 5, packets
    assert len(replies) == 5, packets


def test_ipaddr_default_is_ten_rounds_half_a_second_apart(lab, vip_tool):
    with lab.capture("client", "eth1", "arp") as cap:
        start = time.monotonic()
        tool(lab, vip_tool, "add", "192.0.2.55")
        elapsed = time.monotonic() - start
    packets = [p for p in cap.packets() if "192.0.2.55" in p]
    assert len(packets) == 20, packets
    assert 4.5 <= elapsed < 8.0


def test_client_arp_cache_learns_the_vip_mac(lab, vip_tool):
    mac = lab.run("node1", ["cat", "/sys/class/net/eth1/address"]).stdout.strip()
    # A stale entry from a previous owner, which the announcement must replace.
    lab.run("client", ["ip", "neigh", "replace", "192.0.2.56", "lladdr", "02:00:00:00:00:99",
                       "dev", "eth1", "nud", "stale"])
    tool(lab, vip_tool, "add", "IPaddr2::192.0.2.56/24/eth1", "--count", "2")
    neigh = lab.run("client", ["ip", "neigh", "show", "192.0.2.56"]).stdout
    assert mac in neigh


def test_address_deleted_by_hand_is_reported_by_the_watcher(lab, vip_tool):
    p = lab.spawn("node1", [vip_tool, "add", "IPaddr2::192.0.2.57/24/eth1", "--count", "1", "--hold"])
    wait_until(lambda: "holding" in log_text(p), timeout=10, what="vip_tool to hold")
    lab.run("node1", ["ip", "addr", "del", "192.0.2.57/24", "dev", "eth1"])
    wait_until(lambda: "event vip-removed 192.0.2.57 eth1" in log_text(p), timeout=5,
               what="the removal event")


def test_link_down_and_up_are_reported_by_the_watcher(lab, vip_tool):
    p = lab.spawn("node1", [vip_tool, "watch", "IPaddr2::192.0.2.58/24/eth1"])
    wait_until(lambda: "watching" in log_text(p), timeout=10, what="vip_tool to watch")
    lab.link_down("node1", "eth1")
    wait_until(lambda: "event link-down eth1" in log_text(p), timeout=5, what="link-down")
    lab.link_up("node1", "eth1")
    wait_until(lambda: "event link-up eth1" in log_text(p), timeout=5, what="link-up")


def test_link_coming_back_up_reannounces_the_vips_held_on_it(lab, vip_tool):
    p = lab.spawn("node1", [vip_tool, "add", "IPaddr2::192.0.2.61/24/eth1", "--count", "1", "--hold"])
    wait_until(lambda: "holding" in log_text(p), timeout=10, what="vip_tool to hold")
    lab.link_down("node1", "eth1")
    wait_until(lambda: "event link-down eth1" in log_text(p), timeout=5, what="link-down")
    with lab.capture("client", "eth1", "arp") as cap:
        lab.link_up("node1", "eth1")
        wait_until(lambda: "event link-up eth1" in log_text(p), timeout=5, what="link-up")
        wait_until(lambda: any("Reply 192.0.2.61 is-at" in l for l in cap.packets()),
                   timeout=5, what="the ARP reply after link up")
    assert any("Request who-has 192.0.2.61" in l for l in cap.packets())


def test_vip_survives_kill_9_and_is_listed_after_restart(lab, vip_tool):
    p = lab.spawn("node1", [vip_tool, "add", "IPaddr2::192.0.2.59/24/eth1:db", "--hold"])
    wait_until(lambda: "holding" in log_text(p), timeout=10, what="vip_tool to hold")
    lab.stop(p, sig=signal.SIGKILL)
    assert p.returncode == -signal.SIGKILL
    listed = tool(lab, vip_tool, "list").stdout
    assert "eth1 192.0.2.59/24 brd 192.0.2.255 label eth1:db" in listed
    again = tool(lab, vip_tool, "add", "IPaddr2::192.0.2.59/24/eth1:db", "--count", "1").stdout
    assert "present" in again


def test_ipd_keeps_only_net_admin_and_net_raw_and_leaves_vips_after_kill_9(lab, vip_tool, ipd):
    tool(lab, vip_tool, "add", "IPaddr2::192.0.2.60/24/eth1", "--count", "0")
    d = IpdDaemon(lab, ipd)
    try:
        p = d.start()
        status = open(f"/proc/{p.pid}/status", encoding="ascii").read()
        fields = dict(l.split(":", 1) for l in status.splitlines() if ":" in l)
        assert fields["CapEff"].strip() == "0000000000003000"
        assert fields["CapPrm"].strip() == "0000000000003000"
        assert fields["CapBnd"].strip() == "0000000000003000"
        assert fields["NoNewPrivs"].strip() == "1"
        assert "192.0.2.60/24" in d.log()
        d.kill9()
        assert line_for(lab, "192.0.2.60") is not None
        d.start()
        assert "192.0.2.60/24" in d.log()
        assert line_for(lab, "192.0.2.60") is not None
    finally:
        d.close()


def test_ipd_version_and_help(lab, ipd):
    assert lab.run("node1", [ipd, "--version"]).stdout == "ipd (vigil) 0.1.0\n"
    assert "--config-dir" in lab.run("node1", [ipd, "--help"]).stdout


@pytest.mark.lab(hosts=("node1",), client=True, ipv6=True)
def test_ipv6_vip_is_usable_at_once_and_announced_by_unsolicited_na(lab, vip_tool):
    with lab.capture("client", "eth1", "icmp6 and ip6[40] == 136") as cap:
        tool(lab, vip_tool, "add", "IPv6addr::2001:db8::50/64/eth1")
        line = line_for(lab, "2001:db8::50", "-6")
        assert line is not None
        assert "tentative" not in line
        assert "nodad" in line
    nas = [p for p in cap.packets(["-v"]) if "2001:db8::50" in p]
    adverts = [p for p in nas if "neighbor advertisement" in p and "tgt is 2001:db8::50" in p]
    assert len(adverts) == 5, nas
    verbose = "\n".join(cap.packets(["-v"]))
    assert "ff02::1" in verbose
    assert "hlim 255" in verbose
    assert "Flags [override]" in verbose
    # Reachable at once: the client's TCP SYN to a closed port draws a RST
    # sent from the VIP (a tentative address would not answer).
    probe = ("import socket,sys\n"
             "s=socket.socket(socket.AF_INET6,socket.SOCK_STREAM);s.settimeout(3)\n"
             "try: s.connect(('2001:db8::50',9))\n"
             "except ConnectionRefusedError: sys.exit(0)\n"
             "sys.exit(1)\n")
    lab.run("client", ["/usr/bin/python3", "-c", probe])


@pytest.mark.lab(hosts=("node1",), client=False, ipv6=True)
def test_ipv6_add_and_remove_are_idempotent(lab, vip_tool):
    spec = "IPv6addr::2001:db8::51"
    assert "added 2001:db8::51/64 on eth1" in tool(lab, vip_tool, "add", spec, "--count", "0").stdout
    assert "present" in tool(lab, vip_tool, "add", spec, "--count", "0").stdout
    assert "removed" in tool(lab, vip_tool, "remove", spec).stdout
    assert line_for(lab, "2001:db8::51", "-6") is None
    assert "absent" in tool(lab, vip_tool, "remove", spec).stdout
