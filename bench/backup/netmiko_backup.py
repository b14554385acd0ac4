#!/usr/bin/python3
"""The Netmiko baseline of the configuration-backup benchmark (see backup_bench.sh).

What a typical Netmiko backup script does, with Debian's python3-netmiko (2.4.2): read an
inventory CSV (netspine-sim's: name,address,platform,status,area,ssh_port,credentials,tags),
and with a ThreadPoolExecutor of CONCURRENCY threads, per device: ConnectHandler (device_type
cisco_ios / juniper_junos / arista_eos; Netmiko's own session preparation: prompt, paging off,
terminal width), enable() on IOS and EOS, send_command() of the platform's configuration
command, write the output to OUT_DIR/NAME.cfg, disconnect.

Netmiko options, chosen to give Netmiko its best case (documented in the output's header):
fast_cli=True (Netmiko's own speed setting: global_delay_factor 0.1 instead of 1, no pause
between config lines), allow_agent=False, use_keys=False (password only, as the other two
sides), timeout 60 s. --no-fast-cli runs Netmiko's defaults instead.

Prints one line: devices= failures= seconds= devices_per_second= config_bytes= repeated=
and the first failures on stderr. repeated= counts devices whose output held the configuration
more than once for the one command sent (seen with netspine-sim's shell channels under
concurrency: the device, not Netmiko, repeats it); they count as backed up. Exit 0 when every device was backed up, else 1.

Usage: netmiko_backup.py INVENTORY.csv [--concurrency 64] [--limit N] [--out DIR]
       [--username admin] [--password admin] [--secret enable] [--no-fast-cli]
"""
import argparse
import csv
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from netmiko import ConnectHandler, __version__ as NETMIKO_VERSION

CONFIG_COMMAND = {
    "cisco_ios": "show running-config",
    "arista_eos": "show running-config",
    "juniper_junos": "show configuration",
}


def repeats(name, command, config):
    """How many more times than once the device sent the command's output: each extra copy
    starts with the prompt and the echoed command ("sim-ios-0001#show running-config")."""
    return len(re.findall(re.escape(name) + r"[#>] ?" + re.escape(command), config))


def backup(row, args):
    """One device: (bytes of its configuration, extra copies, None) or (0, 0, error text)."""
    platform = row["platform"]
    if platform not in CONFIG_COMMAND:
        return 0, 0, "unknown platform " + platform
    try:
        conn = ConnectHandler(
            device_type=platform,
            host=row["address"],
            port=int(row["ssh_port"]),
            username=args.username,
            password=args.password,
            secret=args.secret,
            fast_cli=args.fast_cli,
            timeout=60,
            allow_agent=False,
            use_keys=False,
        )
        try:
            if platform != "juniper_junos":
                conn.enable()
            config = conn.send_command(CONFIG_COMMAND[platform])
        finally:
            conn.disconnect()
    except Exception as e:  # noqa: BLE001 -- a failure of one device, counted and reported
        return 0, 0, "{}: {}".format(type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    # The configuration names the device (hostname / host-name): a whole, real output.
    if row["name"] not in config:
        return 0, 0, "the output does not name the device ({} bytes): {!r}".format(
            len(config), config[:200])
    if args.out:
        with open(os.path.join(args.out, row["name"] + ".cfg"), "w") as f:
            f.write(config)
    return len(config), repeats(row["name"], CONFIG_COMMAND[platform], config), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inventory")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--limit", type=int, default=0, help="only the first N devices")
    parser.add_argument("--out", default="", help="directory for NAME.cfg (none: not written)")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--secret", default="enable")
    parser.add_argument("--no-fast-cli", dest="fast_cli", action="store_false")
    args = parser.parse_args()

    with open(args.inventory, newline="") as f:
        rows = list(csv.DictReader(f))
    if args.limit > 0:
        rows = rows[: args.limit]
    if not rows:
        sys.exit("netmiko_backup: no device in " + args.inventory)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    print("# netmiko {} fast_cli={} concurrency={} devices={}".format(
        NETMIKO_VERSION, args.fast_cli, args.concurrency, len(rows)), file=sys.stderr)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        results = list(pool.map(lambda row: backup(row, args), rows))
    seconds = time.monotonic() - start

    errors = [(row["name"], err) for row, (_, _, err) in zip(rows, results) if err]
    for name, err in errors[:10]:
        print("netmiko_backup: {}: {}".format(name, err), file=sys.stderr)
    repeated = [row["name"] for row, (_, extra, _) in zip(rows, results) if extra]
    if repeated:
        print("netmiko_backup: {} device(s) sent the configuration more than once for one "
              "command (a simulator problem, not Netmiko's; counted as backed up, their files "
              "hold every copy), e.g. {}".format(len(repeated), ", ".join(repeated[:5])),
              file=sys.stderr)
    print("devices={} failures={} seconds={:.3f} devices_per_second={:.1f} config_bytes={} "
          "repeated={}".format(len(rows), len(errors), seconds, len(rows) / seconds,
                               sum(n for n, _, _ in results), len(repeated)))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
