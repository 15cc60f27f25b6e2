package io.pssst.cli;

import io.pssst.channel.PssstClientChannel;
import io.pssst.channel.PssstRetryPolicy;
import io.pssst.channel.PssstTimeoutException;
import io.pssst.internal.Wire;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;

/** {@code pssst send}: one request, its reply on standard output. */
final class SendCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec()
            .values("--server", "--server-key", "--key", "--timeout", "--retries", "--x25519")
            .flags("--hex")
            .positional(0, 1);

    SendCommand() {
        super("send", "send one request and print the reply", SPEC, """
                Usage: pssst send --server HOST:PORT --server-key KEYFILE|HEX [--key CLIENT_KEYFILE]
                                  [--timeout MS] [--retries N] [--hex] [--x25519 jdk|builtin]
                                  [MESSAGE | -]

                Sends MESSAGE (or standard input, with -; nothing: an empty message) as one
                PSSST request and prints the reply: as text if it is printable UTF-8, else in
                hex. Anonymous unless --key gives a client key. With no valid reply within
                the timeout it sends the same datagram again, up to --retries times, then
                fails (exit 1). A PSSST server does not answer requests it refuses (wrong
                server key, unknown client), so those fail as timeouts too.

                Options:
                  --server HOST:PORT     the server (one address: not port 0, not a broadcast)
                  --server-key KEY       the server's public key: a file (PEM, hex, DER, raw)
                                         or 64 hex digits
                  --key KEYFILE          authenticate with this client private key
                  --timeout MS           wait per attempt (default 1000)
                  --retries N            extra attempts after the first, each sending the
                                         same datagram (default 2, at most 63)
                  --hex                  print the reply in hex even if it is text
                %s
                """.formatted(Args.X25519_HELP));
    }

    @Override
    int run(Args args, Io io) throws Exception {
        var server = HostPort.destination("--server", args.required("--server"));
        int timeout = args.intValue("--timeout", 1000, 1, 600_000);
        int retries = args.intValue("--retries", 2, 0, 63);
        PssstClientChannel.Builder builder = clientBuilder(args, io);
        String arg = args.positional(0, "");
        byte[] message = arg.equals("-") ? io.in().readNBytes(Wire.MAX_DATAGRAM + 1) : arg.getBytes(StandardCharsets.UTF_8);
        if (arg.equals("-") && message.length > Wire.MAX_DATAGRAM) {
            throw new CommandFailedException("standard input holds more than " + Wire.MAX_DATAGRAM
                    + " bytes: too long for one PSSST datagram");
        }
        PssstRetryPolicy retry = PssstRetryPolicy.of(Duration.ofMillis(timeout), 1.0, Duration.ofMillis(timeout), retries + 1);
        try (PssstClientChannel channel = builder.retryPolicy(retry).open()) {
            ByteBuffer reply;
            try {
                reply = channel.call(ByteBuffer.wrap(message), server, retry.totalTimeout());
            } catch (PssstTimeoutException e) {
                long refused = channel.stats().droppedTotal();
                throw new CommandFailedException("no reply from " + HostPort.format(server) + " after " + (retries + 1)
                        + " attempt" + (retries == 0 ? "" : "s") + " of " + timeout + " ms"
                        + (refused > 0 ? "; " + refused + " invalid repl" + (refused == 1 ? "y" : "ies") + " refused" : "")
                        + " (is the server running, and is this its key?)");
            } catch (SocketException e) {
                throw new CommandFailedException(Main.cannotSend(HostPort.format(server), e), e);
            }
            byte[] bytes = new byte[reply.remaining()];
            reply.get(bytes);
            String shown = Text.show(bytes, args.flag("--hex"));
            io.out().print(shown);
            if (!shown.endsWith("\n")) {
                io.out().println();
            }
        }
        return Main.OK;
    }

    /** A client channel builder for {@code --server-key}, authenticated with {@code --key} if given. */
    static PssstClientChannel.Builder clientBuilder(Args args, Io io) throws Exception {
        XECPublicKey serverKey = KeyFiles.readPublicKey(args.required("--server-key"));
        PssstClientChannel.Builder builder = PssstClientChannel.builder(serverKey).x25519(args.x25519());
        if (args.value("--key").isPresent()) {
            String file = args.value("--key").get();
            XECPrivateKey key = KeyFiles.readPrivateKey(file);
            KeyFiles.warnIfShared(file, io.err());
            builder.clientKey(key);
        }
        return builder;
    }
}
