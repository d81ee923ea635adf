"""vigilctl end to end: exit codes, --help, --version, check-config output."""
import os
import pathlib
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
VIGILCTL = os.environ.get("VIGILCTL", str(HERE.parents[1] / "build" / "vigilctl" / "vigilctl"))
SEED = HERE.parents[1] / "packaging" / "examples" / "seed"


def vigilctl(*args):
    return subprocess.run([VIGILCTL, *args], capture_output=True, text=True, timeout=30)


def seed_dir(tmp_path, authkeys_mode=0o600):
    conf = tmp_path / "conf"
    conf.mkdir()
    for name in ("ha.cf", "haresources", "authkeys"):
        (conf / name).write_text((SEED / name).read_text())
    os.chmod(conf / "authkeys", authkeys_mode)
    return conf


def test_version_prints_name_and_version():
    p = vigilctl("--version")
    assert p.returncode == 0
    assert p.stdout == "vigilctl (vigil) 0.1.0\n"


def test_help_lists_check_config_and_shared_flags():
    p = vigilctl("--help")
    assert p.returncode == 0
    for word in ("check-config", "--config-dir", "--node-name", "--runtime-dir", "--version"):
        assert word in p.stdout


def test_no_command_is_a_usage_error():
    p = vigilctl()
    assert p.returncode == 2
    assert "usage: vigilctl" in p.stderr


def test_unknown_command_is_a_usage_error():
    p = vigilctl("frobnicate")
    assert p.returncode == 2
    assert "unknown command [frobnicate]" in p.stderr


def test_flag_without_value_is_a_usage_error():
    p = vigilctl("check-config", "--config-dir")
    assert p.returncode == 2
    assert "--config-dir: missing value" in p.stderr


def test_check_config_on_the_seed_exits_0_and_prints_the_configuration(tmp_path):
    conf = seed_dir(tmp_path)
    p = vigilctl("check-config", "--config-dir", str(conf), "--node-name", "node1.example.com")
    assert p.returncode == 0, p.stderr
    assert "\nnode1.example.com 192.168.1.5 httpd\n" in p.stdout
    assert "\nkeepalive 2000ms\n" in p.stdout
    assert "crc authenticates nothing" in p.stderr


def test_check_config_accepts_flag_equals_value(tmp_path):
    conf = seed_dir(tmp_path)
    p = vigilctl("check-config", f"--config-dir={conf}", "--node-name=NODE2.example.com")
    assert p.returncode == 0, p.stderr
    assert "# local node: node2.example.com\n" in p.stdout


def test_check_config_with_authkeys_0644_exits_1_naming_file_and_mode(tmp_path):
    conf = seed_dir(tmp_path, 0o644)
    p = vigilctl("check-config", "--config-dir", str(conf), "--node-name", "node1.example.com")
    assert p.returncode == 1
    assert p.stdout == ""
    keyfile = str(conf / "authkeys")
    assert f"Bad permissions on keyfile [{keyfile}], 600 recommended." in p.stderr
    assert "mode 0644" in p.stderr
    assert p.stderr.startswith(f"ERROR: {keyfile}: ") or f"\nERROR: {keyfile}: " in p.stderr


def test_check_config_for_a_node_not_listed_exits_1(tmp_path):
    conf = seed_dir(tmp_path)
    p = vigilctl("check-config", "--config-dir", str(conf), "--node-name", "node3")
    assert p.returncode == 1
    assert "Current node [node3] not in configuration!" in p.stderr


def test_check_config_rejects_extra_arguments(tmp_path):
    conf = seed_dir(tmp_path)
    p = vigilctl("check-config", "extra", "--config-dir", str(conf))
    assert p.returncode == 2


def test_check_config_with_missing_directory_reports_every_file(tmp_path):
    p = vigilctl("check-config", "--config-dir", str(tmp_path / "nope"), "--node-name", "a")
    assert p.returncode == 1
    for name in ("ha.cf", "haresources", "authkeys"):
        assert str(tmp_path / "nope" / name) in p.stderr
