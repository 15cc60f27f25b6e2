package io.pssst.internal.cli;

import io.pssst.PssstClient;
import io.pssst.internal.Wire;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;

/** {@code pssst send}: one request, its reply on standard output. */
final class SendCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec()
            .values("--server", "--server-key", "--key", "--timeout", "--retries")
            .flags("--hex")
            .positional(0, 1);

    SendCommand() {
        super("send", "send one request and print the reply", SPEC, """
                Usage: pssst send --server HOST:PORT --server-key KEYFILE|HEX [--key CLIENT_KEYFILE]
                                  [--timeout MS] [--retries N] [--hex] [MESSAGE | -]

                Sends MESSAGE (or standard input, with -; nothing: an empty message) as one
                PSSST request and prints the reply: as text if it is printable UTF-8, else in
                hex. Anonymous unless --key gives a client key. With no valid reply within
                the timeout it sends the same datagram again, up to --retries times, then
                fails (exit 1). A PSSST server does not answer requests it refuses (wrong
                server key, unknown client), so those fail as timeouts too.

                Options:
                  --server HOST:PORT     the server
                  --server-key KEY       the server's public key: a file (PEM, hex, DER, raw)
                                         or 64 hex digits
                  --key KEYFILE          authenticate with this client private key
                  --timeout MS           wait per attempt (default 1000)
                  --retries N            extra attempts after the first (default 2)
                  --hex                  print the reply in hex even if it is text
                """);
    }

    @Override
    int run(Args args, Io io) throws Exception {
        var server = HostPort.parse("--server", args.required("--server"));
        XECPublicKey serverKey = KeyFiles.readPublicKey(args.required("--server-key"));
        int timeout = args.intValue("--timeout", 1000, 1, 600_000);
        int retries = args.intValue("--retries", 2, 0, 100);
        String arg = args.positional(0, "");
        byte[] message = arg.equals("-") ? io.in().readNBytes(Wire.MAX_DATAGRAM + 1) : arg.getBytes(StandardCharsets.UTF_8);
        PssstClient client = clientFor(serverKey, args, io);
        if (client.requestLength(Math.min(message.length, Wire.MAX_DATAGRAM)) > Wire.MAX_DATAGRAM) {
            throw new CommandFailedException("the message is too large for one datagram (at most "
                    + (Wire.MAX_DATAGRAM - client.requestLength(0)) + " bytes)");
        }
        try (RequestClient rc = new RequestClient(client, server)) {
            byte[] reply;
            try {
                reply = rc.call(message, timeout, retries);
            } catch (RequestClient.TimeoutException e) {
                throw new CommandFailedException(e.getMessage() + (rc.refusedReplies() > 0
                        ? "; " + rc.refusedReplies() + " invalid repl" + (rc.refusedReplies() == 1 ? "y" : "ies") + " refused"
                        : "") + " (is the server running, and is this its key?)");
            }
            String shown = Text.show(reply, args.flag("--hex"));
            io.out().print(shown);
            if (!shown.endsWith("\n")) {
                io.out().println();
            }
        }
        return Main.OK;
    }

    /** An anonymous client, or an authenticated one with {@code --key}. */
    static PssstClient clientFor(XECPublicKey serverKey, Args args, Io io) throws Exception {
        if (args.value("--key").isEmpty()) {
            return PssstClient.anonymous(serverKey);
        }
        XECPrivateKey key = KeyFiles.readPrivateKey(args.value("--key").get());
        KeyFiles.warnIfShared(args.value("--key").get(), io.err());
        return PssstClient.authenticated(serverKey, key);
    }
}
