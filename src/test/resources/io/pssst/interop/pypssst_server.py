"""PSSST server made of the Python reference implementation (pypssst), for PypssstInteropIT.

    python3 pypssst_server.py SERVER_PRIVATE_HEX ANSWERS SECONDS

Binds UDP on 127.0.0.1 (a port the kernel picks), prints "listening PORT", and answers each
request it opens with "anon:" + message, or "auth:" + the client's public key in hex + ":" +
message when the request is authenticated. A request it refuses is not answered; it prints
"refused NAME" (the pypssst exception). It prints "answered N" after each reply and exits 0
after ANSWERS replies, or 1 if SECONDS pass first.
"""
import socket
import sys
import time

import pssst
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

server_private, answers, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
server = pssst.PSSSTServer(server_private)
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
print("listening %d" % sock.getsockname()[1], flush=True)
deadline = time.monotonic() + seconds
answered = 0
while answered < answers:
    left = deadline - time.monotonic()
    if left <= 0:
        print("gave up after %d answers of %d" % (answered, answers), file=sys.stderr, flush=True)
        sys.exit(1)
    sock.settimeout(left)
    try:
        datagram, peer = sock.recvfrom(65535)
    except socket.timeout:
        continue
    try:
        message, client_key, seal_reply = server.unpack_request(datagram)
    except Exception as e:  # pylint: disable=broad-except; pypssst lets struct and key errors through
        print("refused " + type(e).__name__, flush=True)
        continue
    if client_key is None:
        prefix = b"anon:"
    else:
        prefix = b"auth:" + client_key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex().encode() + b":"
    sock.sendto(seal_reply(prefix + message), peer)
    answered += 1
    print("answered %d" % answered, flush=True)
