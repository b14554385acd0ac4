#!/usr/bin/env python3
"""Writes a CSV of N devices for the inventory benchmarks: names, IPv4 addresses, the three
built-in platforms, areas bench/a00..a09, all six statuses (half ACTIVE), roles, tags."""
import csv
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["name", "address", "platform", "area", "status", "role", "serial", "tags"])
platforms = ["cisco_ios", "juniper_junos", "arista_eos"]
others = ["inventory", "planned", "staged", "failed", "decommissioning"]
for i in range(n):
    status = "active" if i % 2 == 0 else others[(i // 2) % len(others)]
    out.writerow([
        f"dev{i:06d}",
        f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}",
        platforms[i % 3],
        f"bench/a{i % 10:02d}",
        status,
        "core" if i % 10 == 0 else "access",
        f"SN{i:08d}",
        "bench,site:a%02d" % (i % 10),
    ])
