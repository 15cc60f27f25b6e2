#!/usr/bin/env python3
"""Run two PSSST `compat` programs side by side (see PROTOCOL.md, "The
interoperability line protocol"), copying every line each prints to the
other's standard input.

    compat-drive.py 'COMMAND A' 'COMMAND B' [--timeout SECONDS]

Exit status 0 only if both programs print DONE: and exit with status 0.
The transcript goes to standard output, each line prefixed A: or B:.

The same tool as ../shared/tools/compat-drive, with one fix: that one reads
each program's output with readline() after select(), so when two lines
arrive in one read the second stays in the file object's buffer, where
select() cannot see it, and the run hangs until the timeout (about one run in
ten here, in either order, pssst against itself too). This one reads what
the pipe holds and splits it into lines itself. Two smaller changes: when one
program closes its output the other's input is closed too (nothing more can
come, so a program waiting for a line ends at once instead of at the
timeout), and each program runs in its own process group, killed whole on the
timeout.
"""
import argparse, os, selectors, signal, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("a"); ap.add_argument("b")
ap.add_argument("--timeout", type=float, default=60.0)
args = ap.parse_args()

procs = {
    name: subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           start_new_session=True)
    for name, command in (("A", args.a), ("B", args.b))
}
other = {"A": "B", "B": "A"}
done = {"A": False, "B": False}
pending = {"A": b"", "B": b""}


def relay(name, raw):
    line = raw.decode("utf-8", "replace").rstrip("\r")
    print(f"{name}: {line}", flush=True)
    if line.strip().upper().startswith("DONE:"):
        done[name] = True
    peer = procs[other[name]]
    try:
        peer.stdin.write(line.encode("utf-8") + b"\n"); peer.stdin.flush()
    except (BrokenPipeError, ValueError):
        pass


sel = selectors.DefaultSelector()
for name, p in procs.items():
    sel.register(p.stdout, selectors.EVENT_READ, name)
open_streams = 2
deadline = time.monotonic() + args.timeout
while open_streams and time.monotonic() < deadline:
    for key, _ in sel.select(timeout=0.5):
        name = key.data
        chunk = os.read(key.fd, 65536)
        if not chunk:
            sel.unregister(key.fileobj); open_streams -= 1
            if pending[name]:
                relay(name, pending[name]); pending[name] = b""
            print(f"{name} closed its output", flush=True)
            try:
                procs[other[name]].stdin.close()  # nothing more can come: let the other see the end
            except (BrokenPipeError, ValueError):
                pass
            continue
        pending[name] += chunk
        while b"\n" in pending[name]:
            line, pending[name] = pending[name].split(b"\n", 1)
            relay(name, line)
codes = {}
for name, p in procs.items():
    try:
        codes[name] = p.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL); p.wait(); codes[name] = "killed (timeout)"
ok = all(done.values()) and all(c == 0 for c in codes.values())
print(f"A: done={done['A']} exit={codes['A']}; B: done={done['B']} exit={codes['B']}")
print("compatible" if ok else "NOT compatible")
sys.exit(0 if ok else 1)
