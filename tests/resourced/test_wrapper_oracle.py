"""heartbeat's own resource.d wrappers are the oracle for vigil's built-in
mapping of them (resourced/heartbeat_wrappers.h) and for how vigil reads
the IP resources' arguments (conf/ip_spec.h).

The wrappers of the installed heartbeat 3.0.6 (packaging/build-deps.sh
installs it) are copied into a temporary tree with their two hard-coded
paths (/etc/ha.d/resource.d/ for hto-mapfuncs, /usr/lib/ocf in
hto-mapfuncs) pointed into that tree, whose OCF root holds a recording stub
agent in place of the real one and resource-agents' own shell library. The
wrapper then runs exactly as heartbeat's ResourceManager ran it
(`WRAPPER ARG... ACTION`), without any heartbeat daemon. vigil's side runs
the same token through resourced's library (agent_tool) against the same
stub. Every OCF_RESKEY_* the agent sees and the action it is given must
match, except OCF_RESKEY_CRM_meta_*: pacemaker's meta attributes, which
vigil passes to every OCF agent (the action timeout) and a wrapper never did.

For IPaddr, IPaddr2 and IPv6addr, vigil does not run the agent (ipd holds
the address); there the wrapper's variables are compared with what
`vigilctl check-config` says ipd will use.
"""
import os
import pathlib
import re
import shutil
import subprocess

import pytest

BUILD = pathlib.Path(os.environ.get("VIGIL_BUILD_DIR",
                                    pathlib.Path(__file__).resolve().parents[2] / "build"))
AGENT_TOOL = os.environ.get("AGENT_TOOL", str(BUILD / "tests" / "resourced" / "agent_tool"))
VIGILCTL = os.environ.get("VIGILCTL", str(BUILD / "vigilctl" / "vigilctl"))
HB_RESOURCE_D = pathlib.Path("/etc/ha.d/resource.d")
REAL_OCF = pathlib.Path("/usr/lib/ocf")

# (token as written in haresources, action)
CASES = [
    ("Filesystem::/dev/drbd0::/data::ext4", "start"),
    ("Filesystem::/dev/drbd0::/data::ext4", "stop"),
    ("Filesystem::/dev/drbd0::/data::ext4", "status"),
    ("Filesystem::/dev/sdb1::/srv::ext4::noatime,nodiratime", "start"),
    ("Filesystem::/dev/sdb2::/mnt", "start"),
    ("Filesystem::/dev/sdb3::::/dropped-empty-field", "start"),
    ("MailTo::root@example.org", "start"),
    ("MailTo::me+drbdfailover@gmail.com::HeartbeatFailover_db-drbd-float", "stop"),
    ("apache", "start"),
    ("apache::/etc/apache2/apache2.conf", "status"),
    ("AudibleAlarm", "start"),
    ("AudibleAlarm::node1::node2", "start"),
    ("Delay", "start"),
    ("Delay::5", "start"),
    ("Delay::5::2", "stop"),
    ("IPsrcaddr::10.0.0.5", "start"),
    ("LVM::vg0", "start"),
    ("LinuxSCSI::0:0:1:0", "start"),
    ("Raid1::/etc/mdadm/mdadm.conf::/dev/md0", "start"),
    ("SendArp::10.0.0.5/eth0", "start"),
    ("SendArp::10.0.0.6", "start"),
    ("ServeRAID::1::2", "start"),
    ("ICP::c0h1::/dev/sdb1", "start"),
    ("WAS", "start"),
    ("WAS::9080", "start"),
    ("WAS::@FILE@", "start"),
    ("WinPopup", "start"),
    ("WinPopup::/etc/ha.d/hosts", "start"),
    ("Xinetd::tftp", "start"),
    ("db2::db2inst1", "start"),
    ("ids", "start"),
    ("ids::/opt/informix::ids1::onconfig.ids1", "start"),
    ("portblock::tcp::80,443::block", "start"),
    ("portblock::udp::53::unblock", "status"),
]

IP_CASES = [
    "IPaddr::10.0.30.15//8/eth0:10", "IPaddr::85.13.220.237/29/eth0:1", "IPaddr::10.0.0.5",
    "IPaddr::10.0.0.6/24", "IPaddr::10.0.0.7/24/eth1", "IPaddr::10.0.0.8/24/eth1/10.0.0.255",
    "IPaddr::10.0.1.5/255.255.255.0/10.0.1.255", "IPaddr::10.0.0.9//24/eth1",
    "IPaddr::10.0.0.11/24/10.0.0.255/eth9", "IPaddr::10.0.0.12/24/eth1/",
    "IPaddr::10.0.0.13/24/eth1/10.0.0.255/extra", "IPaddr::10.0.0.14///24",
    "IPaddr2::10.0.1.7/24/eth0:vip", "IPaddr2::10.0.1.8/255.255.0.0//eth0/10.0.255.255",
    "IPaddr2::202.102.154.41/24/eth0/202.102.154.255", "IPaddr2::10.0.1.9/24/eth0:web/10.0.1.255",
    "IPv6addr::2001:db8::10/64/eth0", "IPv6addr::2001:db8::11//eth0",
    "IPv6addr::2001:db8::12/64//eth1", "IPv6addr::2001:db8::13",
    "IPv6addr::fe80::1/64/eth0/extra",
]

# One record per action: vigil checks the status before a start, as
# heartbeat's ResourceManager did, so the agent may run more than once.
STUB = """#!/bin/sh
# Records what an OCF agent is given; not running until started.
{ echo "action=$1"; env | grep '^OCF_RESKEY_' | grep -v '^OCF_RESKEY_CRM_meta_'; } \\
  | sort > "@RECORD@.$1"
[ "$1" = monitor ] && exit 7
exit 0
"""
OCF_ACTION = {"start": "start", "stop": "stop", "status": "monitor"}


def split_token(token):
    name, _, rest = token.partition("::")
    # ResourceManager: "::" -> blank, expanded unquoted: empty fields vanish.
    return name, [a for a in rest.split("::") if a] if rest else []


def make_ocf_root(root, agent_type, record):
    agents = root / "resource.d" / "heartbeat"
    agents.mkdir(parents=True)
    os.symlink(REAL_OCF / "lib", root / "lib")
    os.symlink(REAL_OCF / "resource.d" / "heartbeat" / ".ocf-shellfuncs", agents / ".ocf-shellfuncs")
    stub = agents / agent_type
    stub.write_text(STUB.replace("@RECORD@", str(record)))
    stub.chmod(0o755)
    return root


def run_heartbeat_wrapper(tmp, name, args, action, agent_type):
    assert (HB_RESOURCE_D / name).exists(), \
        "heartbeat 3.0.6 is not installed: the oracle is missing (packaging/build-deps.sh)"
    record = tmp / "heartbeat.record"
    ocf = make_ocf_root(tmp / "hb-ocf", agent_type, record)
    rd = tmp / "hb-resource.d"
    rd.mkdir()
    mapfuncs = (HB_RESOURCE_D / "hto-mapfuncs").read_text().replace("/usr/lib/ocf", str(ocf))
    (rd / "hto-mapfuncs").write_text(mapfuncs)
    wrapper = (HB_RESOURCE_D / name).read_text().replace("/etc/ha.d/resource.d/", str(rd) + "/")
    (rd / name).write_text(wrapper)
    (rd / name).chmod(0o755)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HA_LOGFACILITY": "none",
           "HA_LOGFILE": str(tmp / "ha-log"), "HA_DEBUGLOG": str(tmp / "ha-debug")}
    subprocess.run([str(rd / name), *args, action], env=env, capture_output=True, text=True,
                   timeout=30, cwd=tmp)
    done = record.with_name(record.name + "." + OCF_ACTION[action])
    return done.read_text() if done.exists() else None


def run_vigil_mapping(tmp, token, action, agent_type):
    record = tmp / "vigil.record"
    ocf = make_ocf_root(tmp / "vigil-ocf", agent_type, record)
    (tmp / "vigil-conf").mkdir()
    (tmp / "vigil-resource.d").mkdir()
    (tmp / "vigil-init.d").mkdir()
    p = subprocess.run([AGENT_TOOL, action, token, "--config-dir", str(tmp / "vigil-conf"),
                        "--node-name", "node1", "--resource-d", str(tmp / "vigil-resource.d"),
                        "--init-d", str(tmp / "vigil-init.d"), "--ocf-root", str(ocf)],
                       capture_output=True, text=True, timeout=30)
    done = record.with_name(record.name + "." + OCF_ACTION[action])
    assert done.exists(), p.stdout + p.stderr
    return done.read_text()


@pytest.mark.parametrize("token,action", CASES, ids=[f"{t} {a}" for t, a in CASES])
def test_vigil_mapping_matches_heartbeats_wrapper(token, action, tmp_path):
    if "@FILE@" in token:
        conf = tmp_path / "was.conf"
        conf.write_text("# a WAS configuration file\n")
        token = token.replace("@FILE@", str(conf))
    name, args = split_token(token)
    heartbeat = run_heartbeat_wrapper(tmp_path, name, args, action, name)
    assert heartbeat is not None, f"heartbeat's {name} wrapper did not reach the agent"
    vigil = run_vigil_mapping(tmp_path, token, action, name)
    assert vigil == heartbeat
    assert f"action={OCF_ACTION[action]}\n" in vigil


def prefix_of(mask):
    if "." not in mask:
        return mask
    return str(sum(bin(int(part)).count("1") for part in mask.split(".")))


def wrapper_ip_view(record, kind):
    """What the wrapper handed its agent, as the agent reads it: the netmask
    as a prefix (findif converts dotted ones), IPaddr's nic without its
    label (ip_validate_all cuts it), an empty value as not given."""
    values = dict(line.split("=", 1) for line in record.splitlines())
    view = {}
    ip_key = "ipv6addr" if kind == "IPv6addr" else "ip"
    view["ip"] = values[f"OCF_RESKEY_{ip_key}"]
    for key in ("cidr_netmask", "nic", "broadcast"):
        value = values.get(f"OCF_RESKEY_{key}", "")
        if value:
            view[key] = value
    if "cidr_netmask" in view:
        view["cidr_netmask"] = prefix_of(view["cidr_netmask"])
    if kind == "IPaddr" and "nic" in view:
        view["nic"] = view["nic"].split(":")[0]
    return view


def vigil_ip_view(line):
    """The same from check-config's `TOKEN -> ipd KIND ip=... ...` line;
    IPaddr2's label=NIC:LABEL is the wrapper's nic=NIC:LABEL."""
    fields = dict(re.findall(r"(\w+)=(\([^)]*\)|\S+)", line.split(" -> ", 1)[1]))
    view = {"ip": fields.pop("ip", None) or fields.pop("ipv6addr")}
    for key in ("cidr_netmask", "nic", "broadcast"):
        if key in fields and not fields[key].startswith("("):
            view[key] = fields[key]
    label = fields.get("label", "(")
    if not label.startswith("("):
        view["nic"] = label
    return view


@pytest.mark.parametrize("token", IP_CASES)
def test_ip_arguments_read_as_heartbeats_wrapper_reads_them(token, tmp_path):
    name, args = split_token(token)
    if name == "IPv6addr":
        args = [token.split("::", 1)[1]]
    heartbeat = run_heartbeat_wrapper(tmp_path, name, args, "start", name)
    assert heartbeat is not None, f"heartbeat's {name} wrapper did not reach the agent"
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "ha.cf").write_text("bcast eth0\nnode node1\nauto_failback on\n")
    (conf / "haresources").write_text(f"node1 {token}\n")
    (conf / "authkeys").write_text("auth 1\n1 sha1 k\n")
    (conf / "authkeys").chmod(0o600)
    p = subprocess.run([VIGILCTL, "check-config", "--config-dir", str(conf), "--node-name", "node1"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    line = next(l for l in p.stdout.splitlines() if l.startswith(token + " -> "))
    assert vigil_ip_view(line) == wrapper_ip_view(heartbeat, name)
