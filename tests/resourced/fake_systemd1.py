#!/usr/bin/python3
"""A stand-in for systemd's D-Bus API, for tests/resourced/test_systemd_unit_state.cpp.

Owns org.freedesktop.systemd1 on the bus at $DBUS_SYSTEM_BUS_ADDRESS and
answers what resourced's health check asks (resourced/systemd_unit_state.h):

  Manager.GetUnit(name)      the unit's object path; NoSuchUnit when
                             STATE_DIR/<name> does not exist; no answer at
                             all while that file says "stall"
  Unit Properties.GetAll     ActiveState and SubState from the file
                             ("ACTIVE SUB"), among other properties of
                             other types, as systemd sends many

The file is read at each call, so the test changes a unit's state by
rewriting it. Prints "ready" once the name is owned.
Usage: fake_systemd1.py STATE_DIR
"""
import os
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

SYSTEMD = "org.freedesktop.systemd1"
UNIT_ROOT = "/org/freedesktop/systemd1/unit"


def escape(name):
    # systemd's object-path label escaping: [A-Za-z0-9] kept, the rest _XX.
    return "".join(c if c.isascii() and c.isalnum() else "_%02x" % ord(c) for c in name)


class Systemd(dbus.service.Object):
    def __init__(self, bus, state_dir):
        super().__init__(bus, "/org/freedesktop/systemd1")
        self.state_dir = state_dir

    def state_of(self, unit):
        with open(os.path.join(self.state_dir, unit)) as f:
            return f.read().split()

    @dbus.service.method("org.freedesktop.systemd1.Manager", in_signature="s",
                         out_signature="o", async_callbacks=("reply", "error"))
    def GetUnit(self, name, reply, error):
        try:
            state = self.state_of(name)
        except FileNotFoundError:
            error(dbus.DBusException("Unit %s not loaded." % name,
                                     name="org.freedesktop.systemd1.NoSuchUnit"))
            return
        if state == ["stall"]:
            return  # never answered: the caller's timeout must act
        reply(dbus.ObjectPath(UNIT_ROOT + "/" + escape(name)))


class Units(dbus.service.FallbackObject):
    def __init__(self, bus, state_dir):
        super().__init__(bus, UNIT_ROOT)
        self.state_dir = state_dir

    @dbus.service.method("org.freedesktop.DBus.Properties", in_signature="s",
                         out_signature="a{sv}", rel_path_keyword="rel")
    def GetAll(self, interface, rel):
        names = {escape(n): n for n in os.listdir(self.state_dir)}
        unit = names.get(rel.lstrip("/"))
        if unit is None or interface != "org.freedesktop.systemd1.Unit":
            raise dbus.DBusException("no such object or interface",
                                     name="org.freedesktop.DBus.Error.UnknownObject")
        with open(os.path.join(self.state_dir, unit)) as f:
            active, sub = f.read().split()
        return dbus.Dictionary({
            "Id": dbus.String(unit),
            "Names": dbus.Array([dbus.String(unit)], signature="s"),
            "LoadState": dbus.String("loaded"),
            "ActiveState": dbus.String(active),
            "ActiveEnterTimestamp": dbus.UInt64(1234567),
            "SubState": dbus.String(sub),
            "CanStart": dbus.Boolean(True),
        }, signature="sv")


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
    keep = [Systemd(bus, sys.argv[1]), Units(bus, sys.argv[1])]
    bus.request_name(SYSTEMD, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    print("ready", flush=True)
    GLib.MainLoop().run()
    del keep


if __name__ == "__main__":
    main()
