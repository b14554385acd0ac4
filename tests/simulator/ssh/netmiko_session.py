#!/usr/bin/python3
"""Drives one simulated device with Debian's unmodified Netmiko, as a real automation would.

Usage: netmiko_session.py DEVICE_TYPE HOST PORT USERNAME PASSWORD SECRET HOSTNAME
Exits 0 when every step behaved as on the real platform, else 1 naming the step.
"""
import sys
import time

from netmiko import ConnectHandler

CONFIG_FETCH = {
    "cisco_ios": "show running-config",
    "arista_eos": "show running-config",
    "juniper_junos": "show configuration",
}
CONFIG_LINE = {
    "cisco_ios": "snmp-server location netmiko-lab",
    "arista_eos": "snmp-server location netmiko-lab",
    "juniper_junos": "set snmp location netmiko-lab",
}
READ_BACK = {
    "cisco_ios": ("show running-config", "snmp-server location netmiko-lab"),
    "arista_eos": ("show running-config", "snmp-server location netmiko-lab"),
    "juniper_junos": ("show configuration | display set", "set snmp location netmiko-lab"),
}


START = time.time()


def check(step, condition, detail=""):
    if not condition:
        print("FAILED at {}: {}".format(step, detail[-2000:] if detail else ""))
        sys.exit(1)
    print("ok {} ({:.1f} s)".format(step, time.time() - START))


def main():
    device_type, host, port, username, password, secret, hostname = sys.argv[1:8]
    conn = ConnectHandler(
        device_type=device_type,
        host=host,
        port=int(port),
        username=username,
        password=password,
        secret=secret,
        timeout=20,
        allow_agent=False,
        use_keys=False,
    )
    check("login and session preparation", hostname in conn.base_prompt, conn.base_prompt)
    if device_type != "juniper_junos":
        conn.enable()
        check("enable", conn.check_enable_mode())

    config = conn.send_command(CONFIG_FETCH[device_type])
    check("config fetch", hostname in config and len(config) > 1000, config)
    check("no pager marker in the config", "--More--" not in config and "---(more" not in config)

    junos = device_type == "juniper_junos"
    if not junos:
        # Netmiko checks Junos's config mode by timing (2 s a check): there, send_config_set,
        # commit and exit_config_mode below enter, check and leave it.
        conn.config_mode()
        check("enter config mode", conn.check_config_mode())
        conn.exit_config_mode()
        check("leave config mode", not conn.check_config_mode())

    output = conn.send_config_set([CONFIG_LINE[device_type]], exit_config_mode=not junos)
    check("send_config_set", "Invalid" not in output and "error" not in output.lower(), output)
    if junos:
        output = conn.commit()
        check("commit", "commit complete" in output, output)
        conn.exit_config_mode()  # raises when still in config mode afterwards
        check("leave config mode after commit", True)
    command, expected = READ_BACK[device_type]
    after = conn.send_command(command)
    check("read back the pushed line", expected in after, after)

    conn.disconnect()
    print("netmiko {} session complete".format(device_type))


if __name__ == "__main__":
    main()
