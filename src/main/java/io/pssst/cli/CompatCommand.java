package io.pssst.cli;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.PssstServer;
import io.pssst.ReceivedRequest;
import io.pssst.internal.Bytes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Locale;

/**
 * {@code pssst compat}: the interoperability line protocol of PROTOCOL.md on standard input
 * and output, through the native API, so that {@code compat-drive} can pair this tool with
 * itself or with the other implementations' compat programs.
 */
final class CompatCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec().positional(0, 0);
    /** Longest line accepted: a request or reply of the largest datagram, in hex. */
    private static final int MAX_LINE = 2 * 65_507 + 64;

    CompatCommand() {
        super("compat", "speak the interoperability line protocol on stdin/stdout", SPEC, """
                Usage: pssst compat

                Speaks the PSSST interoperability line protocol (PROTOCOL.md) on standard
                input and output: prints SERVER_KEY, CLIENT_KEY and PLAINTEXT, then answers
                the peer's REQUEST/REQUEST_AUTH lines and opens the replies to its own two
                requests, printing DONE: when both are open. Pair two programs with
                ../shared/tools/compat-drive './pssst compat' 'OTHER-COMMAND'.
                Exit status 0 when both replies opened and checked; 1 with a message on
                standard error on any failed check or if input ends early.
                """);
    }

    @Override
    int run(Args args, Io io) throws Exception {
        new Session(io.out()).run(new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.US_ASCII)));
        return Main.OK;
    }

    /** One run of the protocol: its keys, its plaintext, what it learnt of the peer. */
    private static final class Session {
        private final PrintStream out;
        private final SecureRandom random = new SecureRandom();
        private final KeyPair serverPair = PssstKeys.generateKeyPair(random);
        private final KeyPair clientPair = PssstKeys.generateKeyPair(random);
        private final PssstServer server;
        private final byte[] plaintext = new byte[64];
        private byte[] peerClientKey;
        private byte[] peerPlaintext;
        private PackedRequest anonymous;
        private PackedRequest authenticated;
        private boolean anonymousOpen;
        private boolean authenticatedOpen;

        Session(PrintStream out) throws PssstException {
            this.out = out;
            this.server = PssstServer.create((XECPrivateKey) serverPair.getPrivate());
            random.nextBytes(plaintext);
        }

        void run(Reader in) throws Exception {
            print("SERVER_KEY", PssstKeys.toRaw((XECPublicKey) serverPair.getPublic()));
            print("CLIENT_KEY", PssstKeys.toRaw((XECPublicKey) clientPair.getPublic()));
            print("PLAINTEXT", plaintext);
            String line;
            while (!(anonymousOpen && authenticatedOpen)) {
                line = readLine(in);
                if (line == null) {
                    throw new CommandFailedException("input ended before both replies were opened");
                }
                handle(line.strip());
            }
            out.println("DONE:");
            out.flush();
        }

        /**
         * One line without its end, or null at the end of input. Refuses a line longer than
         * {@link #MAX_LINE} as soon as it gets there, so an endless line cannot fill the heap.
         */
        private static String readLine(Reader in) throws IOException, CommandFailedException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    return b.toString();
                }
                if (b.length() == MAX_LINE) {
                    throw new CommandFailedException("input line longer than any datagram in hex");
                }
                b.append((char) c);
            }
            return b.length() == 0 ? null : b.toString();
        }

        private void handle(String line) throws Exception {
            int colon = line.indexOf(':');
            if (colon < 0) {
                return; // blank or foreign line: not part of the protocol
            }
            String tag = line.substring(0, colon).toUpperCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (tag) {
                case "SERVER_KEY" -> onServerKey(unhex(tag, value));
                case "CLIENT_KEY" -> peerClientKey = unhex(tag, value);
                case "PLAINTEXT" -> peerPlaintext = unhex(tag, value);
                case "REQUEST" -> onRequest(unhex(tag, value), false);
                case "REQUEST_AUTH" -> onRequest(unhex(tag, value), true);
                case "REPLY" -> anonymousOpen = onReply(anonymous, unhex(tag, value), tag);
                case "REPLY_AUTH" -> authenticatedOpen = onReply(authenticated, unhex(tag, value), tag);
                default -> {
                    // DONE: and anything unknown are ignored
                }
            }
        }

        private void onServerKey(byte[] key) throws Exception {
            XECPublicKey peerServer = PssstKeys.publicKey(key);
            anonymous = PssstClient.anonymous(peerServer).pack(plaintext);
            authenticated = PssstClient.authenticated(peerServer, (XECPrivateKey) clientPair.getPrivate()).pack(plaintext);
            print("REQUEST", anonymous.datagram());
            print("REQUEST_AUTH", authenticated.datagram());
        }

        private void onRequest(byte[] datagram, boolean auth) throws Exception {
            String tag = auth ? "REQUEST_AUTH" : "REQUEST";
            if (peerPlaintext == null || (auth && peerClientKey == null)) {
                throw new CommandFailedException(tag + " arrived before the peer's PLAINTEXT and CLIENT_KEY");
            }
            ReceivedRequest request = server.open(datagram);
            check(MessageDigest.isEqual(request.message(), peerPlaintext), tag + ": the message is not the peer's PLAINTEXT");
            if (auth) {
                check(request.clientKey().isPresent(), tag + ": no client key was authenticated");
                check(MessageDigest.isEqual(PssstKeys.toRaw(request.clientKey().get()), peerClientKey),
                        tag + ": the authenticated client key is not the peer's CLIENT_KEY");
            } else {
                check(request.clientKey().isEmpty(), tag + ": an anonymous request authenticated a client key");
            }
            print(auth ? "REPLY_AUTH" : "REPLY", request.seal(reversed(request.message())));
        }

        private boolean onReply(PackedRequest request, byte[] datagram, String tag) throws Exception {
            if (request == null) {
                throw new CommandFailedException(tag + " arrived before any request was sent");
            }
            byte[] message = request.openReply(datagram);
            check(MessageDigest.isEqual(message, reversed(plaintext)), tag + ": the reply is not our PLAINTEXT reversed");
            return true;
        }

        private void print(String tag, byte[] value) {
            out.println(tag + ":" + Bytes.hex(value));
            out.flush();
        }

        private static byte[] unhex(String tag, String value) throws CommandFailedException {
            try {
                return Bytes.unhex(value);
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException(tag + ": value is not hex: " + e.getMessage());
            }
        }

        private static void check(boolean ok, String failure) throws CommandFailedException {
            if (!ok) {
                throw new CommandFailedException(failure);
            }
        }

        private static byte[] reversed(byte[] b) {
            byte[] r = new byte[b.length];
            for (int i = 0; i < b.length; i++) {
                r[i] = b[b.length - 1 - i];
            }
            return r;
        }
    }
}
