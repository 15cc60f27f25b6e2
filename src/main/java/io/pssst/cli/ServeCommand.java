package io.pssst.cli;

import io.pssst.PssstKeys;
import io.pssst.channel.PssstClientPolicy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code pssst serve}: a UDP PSSST echo server. Runs until SIGINT/SIGTERM (as a process) or
 * until its thread is interrupted (in-process), then prints its statistics and exits 0. As a
 * process, SIGHUP reloads its key files ({@link ServeKeys}). If it stops because of a fault
 * (a worker's socket closed under it, an unexpected exception or error in a worker), it
 * prints its statistics, one line saying why, and exits 1. Either way the statistics are
 * printed once.
 */
final class ServeCommand extends Command {
    static final String DEFAULT_BIND = "127.0.0.1:7667";
    /**
     * The longest {@code --id}, in UTF-8 bytes. Every echo carries it, so it is what a spoofed
     * request can add to the reply it reflects: a small, fixed amount.
     */
    static final int MAX_ID_BYTES = 64;
    private static final Args.Spec SPEC = new Args.Spec()
            .values("--key", "--bind", "--threads", "--clients", "--id", "--x25519")
            .repeatable("--previous-key")
            .values(ServerDefences.OPTIONS)
            .flags("--reuse-port", "--require-auth")
            .positional(0, 0);

    ServeCommand() {
        super("serve", "run a UDP PSSST server (echo)", SPEC, """
                Usage: pssst serve --key KEYFILE [--previous-key KEYFILE]... [--bind HOST:PORT]
                                   [--threads N] [--reuse-port] [--clients FILE]
                                   [--require-auth] [--id NAME] [--rate-limit RATE]
                                   [--rate-limit-prefix V4,V6] [--max-amplification K]
                                   [--x25519 jdk|builtin]

                Runs a PSSST server on UDP that answers every valid request with its message
                (echo). It keeps nothing between transactions. Invalid datagrams are dropped
                and counted; refusals are logged on standard error at most once a second, one
                line with a count per reason. On SIGINT (Ctrl-C) or SIGTERM it prints its
                statistics (requests, replies, refused by reason; then requests opened per
                key) and exits 0. If it stops because of a fault (its socket closed under
                it, an internal error), it prints its statistics and one line saying why on
                standard error, and exits 1, so a supervisor that restarts on failure
                restarts it. Bad usage exits 2.
                The first line on standard output says where it listens.
                Its statistics are MXBeans of the JVM, for jconsole or a JMX agent:
                io.pssst:type=ServerChannel,name="HOST:PORT" (with --reuse-port, one per
                socket: instance=2, 3...). See docs/operations.md, "What to monitor".

                Options:
                  --key KEYFILE     the server's private key (PEM, hex, DER or raw)
                  --previous-key KEYFILE
                                    a previous private key, still honoured during a key
                                    rotation (repeatable, most recent first). A request is
                                    opened with --key first and, only if that fails, with
                                    each previous key in turn: one more X25519 per key
                                    tried. An empty file holds no key (a slot to fill)
                  --bind HOST:PORT  where to listen (default %s; port 0 picks one)
                  --threads N       worker threads (default 1). Without --reuse-port they
                                    share one socket, which decrypts one datagram at a time
                  --reuse-port      set SO_REUSEPORT, so several servers can share the port
                                    (the kernel spreads datagrams across them by client
                                    address); with --threads N each thread gets its own
                                    socket and requests are opened in parallel
                  --clients FILE    allow only these client public keys (one per line, hex or
                                    PEM, '#' comments); implies --require-auth
                  --require-auth    refuse anonymous requests
                  --id NAME         put "NAME: " in front of every echo reply (to see which
                                    server of a pool answered); at most %d bytes in UTF-8
                %s
                %s

                Key rotation without a restart: on SIGHUP (kill -HUP PID) the server reads
                --key and every --previous-key file again and, if all are good, switches
                to the new keys at once; requests already received are still answered, and
                nothing in flight is dropped. One line on standard error names the new keys
                (public keys, in hex), or says why the files were refused: then the old keys
                stay. Replace a key file atomically (write a new file, then rename it over
                the old one). SIGHUP does not stop the server. Steps for a pool:
                docs/operations.md, "Key rotation".
                """.formatted(DEFAULT_BIND, MAX_ID_BYTES, ServerDefences.HELP, Args.X25519_HELP));
    }

    @Override
    int run(Args args, Io io) throws Exception {
        byte[] prefix = idPrefix(args.value("--id").orElse(null));
        ServeKeys keyFiles = new ServeKeys(args.required("--key"), args.values("--previous-key"));
        ServeKeys.KeySet keys = keyFiles.read(io.err());
        XECPrivateKey key = keys.current();
        InetSocketAddress bind = HostPort.parse("--bind", args.value("--bind").orElse(DEFAULT_BIND));
        int threads = args.intValue("--threads", 1, 1, 256);
        List<XECPublicKey> allowed = args.value("--clients").isPresent()
                ? ClientList.read(args.value("--clients").get()) : null;
        PssstClientPolicy policy = allowed != null ? PssstClientPolicy.allowList(allowed)
                : args.flag("--require-auth") ? PssstClientPolicy.authenticationRequired()
                : PssstClientPolicy.anonymousAllowed();
        ServerLoop.Config config = new ServerLoop.Config(key, keys.previous(), bind, threads, args.flag("--reuse-port"),
                policy, prefix, args.x25519(), ServerDefences.parse(args));
        ServerLoop loop = ServerLoop.start(config, io.err());
        io.out().println("pssst serve: listening on " + HostPort.format(loop.localAddress()) + " (echo"
                + args.value("--id").map(id -> " as " + id).orElse("") + ", " + threads + " thread"
                + (threads == 1 ? "" : "s") + ", " + (allowed != null ? allowed.size() + " allowed client key(s)"
                : policy.requiresAuthentication() ? "authenticated clients only" : "anonymous and authenticated clients")
                + "), server public key " + PssstKeys.toHex(PssstKeys.publicKeyOf(key))
                + (keys.previous().isEmpty() ? "" : " (previous " + keys.previousKeys() + ")"));
        io.out().flush();
        AtomicBoolean ended = new AtomicBoolean();
        if (io.process()) {
            keyFiles.reloadOnSighup(loop::setKeys, io.err());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (end(loop, ended, io)) { // SIGINT or SIGTERM: the way a server is meant to stop
                    Runtime.getRuntime().halt(Main.OK);
                }
                // else run() ended the server first, with a fault: the process exits 1 (Main.main's exit),
                // or, if a signal came while run() was reporting the fault, with the signal's status
            }, "pssst-serve-shutdown"));
        }
        try {
            loop.failure().get();
            throw new IllegalStateException("server loop ended without a failure");
        } catch (InterruptedException e) {
            end(loop, ended, io);
            return Main.OK;
        } catch (ExecutionException e) {
            end(loop, ended, io);
            throw new CommandFailedException("the server stopped: " + Main.describe(e.getCause()), e.getCause());
        }
    }

    /**
     * Stops the server and prints its statistics, once: true for the caller that did it (the
     * shutdown hook of a signal, or {@link #run} on an interrupt or a fault), false for the
     * other.
     */
    private static boolean end(ServerLoop loop, AtomicBoolean ended, Io io) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        loop.stop();
        io.out().println(loop.statsReport());
        io.out().println(loop.keysReport());
        io.out().flush();
        return true;
    }

    /**
     * The bytes {@code --id} puts in front of every echo ({@code "NAME: "}), none without it.
     *
     * @throws UsageException if NAME is longer than {@value #MAX_ID_BYTES} bytes in UTF-8: every
     *         reply carries it, so a long one would make each small request a large reply
     */
    static byte[] idPrefix(String id) throws UsageException {
        if (id == null) {
            return new byte[0];
        }
        byte[] name = id.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_ID_BYTES) {
            throw new UsageException("--id is " + name.length + " bytes in UTF-8; at most " + MAX_ID_BYTES
                    + " are allowed (every reply carries it)");
        }
        return (id + ": ").getBytes(StandardCharsets.UTF_8);
    }
}
