"""PSSST client made of the Python reference implementation (pypssst), for PypssstInteropIT.

    python3 pypssst_client.py HOST PORT SERVER_PUBLIC_HEX CLIENT_PRIVATE_HEX|- TIMEOUT ATTEMPTS FILE

Sends each message of FILE (one per line, in hex; "-" for the empty one) as one request, anonymous when the
client key is "-", and prints one line per message: "reply HEX" with the opened reply, or
"timeout" when no reply opened within ATTEMPTS sends of the same datagram, TIMEOUT seconds
each. Replies that do not open (a late duplicate of an earlier reply) are skipped with a
"stray NAME" line. Exits 0 when every message got a reply, 3 when some timed out.
"""
import socket
import sys
import time

import pssst

host, port, server_public, client_private, timeout, attempts, messages_file = sys.argv[1:8]
with open(messages_file, encoding="ascii") as f:
    messages = [b"" if m.strip() == "-" else bytes.fromhex(m.strip()) for m in f if m.strip()]
client = pssst.PSSSTClient(server_public, None if client_private == "-" else client_private)
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
missing = 0
for message in messages:
    request, open_reply = client.pack_request(message)
    reply = None
    for _ in range(int(attempts)):
        sock.sendto(request, (host, int(port)))
        deadline = time.monotonic() + float(timeout)
        while reply is None and time.monotonic() < deadline:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                datagram = sock.recv(65535)
            except socket.timeout:
                break
            try:
                reply = open_reply(datagram)
            except pssst.PSSSTException as e:
                print("stray " + type(e).__name__, flush=True)
        if reply is not None:
            break
    if reply is None:
        missing += 1
        print("timeout", flush=True)
    else:
        print("reply " + reply.hex(), flush=True)
sys.exit(3 if missing else 0)
