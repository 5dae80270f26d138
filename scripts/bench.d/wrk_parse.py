#!/usr/bin/env python3
"""Parse the text output of `wrk --latency` (wrk 4.x) into one tab-separated line.

Usage: wrk_parse.py WRK_OUTPUT_FILE

Prints (tab-separated, one line):
    rps  p50_ms  p99_ms  requests  non2xx  sock_connect  sock_read  sock_write  sock_timeout

Exits 2 with a message on stderr when the output has no "Requests/sec:" line or no
50%/99% rows in the "Latency Distribution" block (i.e. wrk was not run with
--latency, or it failed before measuring anything).

wrk prints times as <number><unit> with unit one of us, ms, s, m, h
(see wrk's units.c: format_time_us), e.g. "208.00us", "4.87ms", "1.24s ".
"""
import re
import sys

TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
TIME_RE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)$")


def time_to_ms(text: str) -> float:
    m = TIME_RE.match(text.strip())
    if not m:
        raise ValueError(f"unrecognised wrk time value: {text!r}")
    return float(m.group(1)) * TIME_UNITS_MS[m.group(2)]


def parse(text: str) -> dict:
    out = {
        "rps": None,
        "p50_ms": None,
        "p99_ms": None,
        "requests": None,
        "non2xx": 0,
        "sock_connect": 0,
        "sock_read": 0,
        "sock_write": 0,
        "sock_timeout": 0,
    }
    in_dist = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("Latency Distribution"):
            in_dist = True
            continue
        if in_dist:
            m = re.match(r"^(\d+(?:\.\d+)?)%\s+(\S+)$", line)
            if m:
                pct = float(m.group(1))
                if pct == 50.0:
                    out["p50_ms"] = time_to_ms(m.group(2))
                elif pct == 99.0:
                    out["p99_ms"] = time_to_ms(m.group(2))
                continue
            in_dist = False
        m = re.match(r"^(\d+) requests in ", line)
        if m:
            out["requests"] = int(m.group(1))
            continue
        m = re.match(r"^Requests/sec:\s+([0-9.]+)$", line)
        if m:
            out["rps"] = float(m.group(1))
            continue
        m = re.match(r"^Non-2xx or 3xx responses:\s+(\d+)$", line)
        if m:
            out["non2xx"] = int(m.group(1))
            continue
        m = re.match(
            r"^Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)$", line
        )
        if m:
            (out["sock_connect"], out["sock_read"], out["sock_write"], out["sock_timeout"]) = (
                int(g) for g in m.groups()
            )
            continue
    missing = [k for k in ("rps", "p50_ms", "p99_ms", "requests") if out[k] is None]
    if missing:
        raise ValueError("wrk output lacks " + ", ".join(missing) + " (was --latency given?)")
    return out


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        r = parse(text)
    except ValueError as e:
        print(f"wrk_parse: {sys.argv[1]}: {e}", file=sys.stderr)
        return 2
    print(
        "\t".join(
            [
                f"{r['rps']:.2f}",
                f"{r['p50_ms']:.3f}",
                f"{r['p99_ms']:.3f}",
                str(r["requests"]),
                str(r["non2xx"]),
                str(r["sock_connect"]),
                str(r["sock_read"]),
                str(r["sock_write"]),
                str(r["sock_timeout"]),
            ]
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
