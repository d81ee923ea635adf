"""MailTo through vigil's built-in mapping of heartbeat's wrapper, run for
real: resource-agents' MailTo agent, with no heartbeat wrapper in
resource.d, sends its mail through a stub `mail` (issue 10). And a user's
own resource.d/MailTo beats the mapping.

Agents get a fixed PATH (resourced/agent_environment.h), whose first entry
/usr/local/sbin is empty on Debian: the stub is bind-mounted there inside a
private mount namespace (unshare -m), so nothing outside the test sees it.
Needs root (mount); runs resourced's library through agent_tool.
"""
import os
import pathlib
import subprocess

import pytest

BUILD = pathlib.Path(os.environ.get("VIGIL_BUILD_DIR",
                                    pathlib.Path(__file__).resolve().parents[2] / "build"))
AGENT_TOOL = os.environ.get("AGENT_TOOL", str(BUILD / "tests" / "resourced" / "agent_tool"))

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root for a mount namespace")

STUB_MAIL = """#!/bin/sh
# Records one mail: its arguments, then its body.
{ echo "args: $*"; cat; echo "--"; } >> "@RECORD@"
"""


def agent_tool(tmp, action, token, stub_dir):
    conf = tmp / "conf"
    (conf / "resource.d").mkdir(parents=True, exist_ok=True)
    (tmp / "init.d").mkdir(exist_ok=True)
    cmd = (f"mount --bind {stub_dir} /usr/local/sbin && exec {AGENT_TOOL} {action} '{token}' "
           f"--config-dir {conf} --node-name node1 --resource-d {conf / 'resource.d'} "
           f"--init-d {tmp / 'init.d'}")
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", cmd],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def stub(tmp_path):
    stub_dir = tmp_path / "stub-bin"
    stub_dir.mkdir()
    record = tmp_path / "mails"
    (stub_dir / "mail").write_text(STUB_MAIL.replace("@RECORD@", str(record)))
    (stub_dir / "mail").chmod(0o755)
    return stub_dir, record


def test_mailto_runs_resource_agents_mailto_with_the_wrappers_parameters(tmp_path, stub):
    stub_dir, record = stub
    token = f"MailTo::ops@example.org::Failover_{tmp_path.name}"
    started = agent_tool(tmp_path, "start", token, stub_dir)
    assert started.returncode == 0, started.stdout + started.stderr
    assert "agent: /usr/lib/ocf/resource.d/heartbeat/MailTo" in started.stdout
    status = agent_tool(tmp_path, "status", token, stub_dir)
    stopped = agent_tool(tmp_path, "stop", token, stub_dir)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "running: yes" in status.stdout, status.stdout + status.stderr
    mails = record.read_text().split("--\n")
    assert mails[0].startswith(f"args: -s Failover_{tmp_path.name} Takeover in progress")
    assert mails[0].splitlines()[0].endswith(" ops@example.org")
    assert mails[1].startswith(f"args: -s Failover_{tmp_path.name} Migrating resource away")


def test_a_users_own_resource_d_script_beats_the_built_in_mapping(tmp_path, stub):
    stub_dir, record = stub
    own = tmp_path / "conf" / "resource.d" / "MailTo"
    own.parent.mkdir(parents=True)
    marker = tmp_path / "own-script-ran"
    own.write_text(f'#!/bin/sh\necho "$*" >> {marker}\n')
    own.chmod(0o755)
    started = agent_tool(tmp_path, "start", "MailTo::ops@example.org", stub_dir)
    assert started.returncode == 0, started.stdout + started.stderr
    assert f"agent: {own}" in started.stdout
    assert marker.read_text().splitlines()[-1] == "ops@example.org start"
    assert not record.exists(), "the OCF MailTo agent ran although resource.d has a MailTo"
