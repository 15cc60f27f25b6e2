package io.pssst.cli;

import io.pssst.PssstKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;

/** {@code pssst keygen}: a new X25519 key pair, as files or on standard output. */
final class KeygenCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec().values("--out", "--format").flags("--force").positional(0, 0);

    KeygenCommand() {
        super("keygen", "make a new X25519 key pair (server or client key)", SPEC, """
                Usage: pssst keygen [--out FILE] [--format pem|raw|hex] [--force]

                Makes a new X25519 key pair. With --out, writes the private key to FILE,
                created with owner-only permissions (0600), and the public key to FILE.pub,
                and prints the public key in hex. Without --out, prints the private key and
                then the public key on standard output.

                Formats: pem (default) - PKCS#8 "PRIVATE KEY" and X.509 "PUBLIC KEY", the files
                         openssl genpkey -algorithm X25519 / openssl pkey -pubout write;
                         hex - 64 hex digits and a newline; raw - the 32 bytes (needs --out).
                Every command that takes a key file reads all three, and DER too.

                Options:
                  --out FILE      write FILE and FILE.pub instead of printing
                  --format F      pem, hex or raw (default pem)
                  --force         replace FILE and FILE.pub if they exist (never a directory)
                """);
    }

    @Override
    int run(Args args, Io io) throws Exception {
        String format = args.choice("--format", "pem", "pem", "hex", "raw");
        if (format.equals("raw") && args.value("--out").isEmpty()) {
            throw new UsageException("--format raw writes binary files and needs --out");
        }
        KeyPair pair = PssstKeys.generateKeyPair();
        XECPrivateKey priv = (XECPrivateKey) pair.getPrivate();
        XECPublicKey pub = (XECPublicKey) pair.getPublic();
        byte[] privBytes = encode(priv, format);
        try {
            byte[] pubBytes = encode(pub, format);
            if (args.value("--out").isEmpty()) {
                io.out().write(privBytes);
                io.out().write(pubBytes);
                return Main.OK;
            }
            Path file = Path.of(args.value("--out").get());
            Path pubFile = Path.of(file + ".pub");
            for (Path p : new Path[] {file, pubFile}) {
                if (Files.isDirectory(p)) {
                    throw new CommandFailedException(p + " is a directory; --out needs a file name");
                }
                if (Files.exists(p) && !args.flag("--force")) {
                    throw new CommandFailedException(p + " already exists (use --force to replace it)");
                }
            }
            if (args.flag("--force")) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(pubFile);
            }
            KeyFiles.writePrivate(file, privBytes);
            KeyFiles.writePublic(pubFile, pubBytes);
            io.out().println("private key: " + file + " (owner-only, keep it secret)");
            io.out().println("public key:  " + pubFile);
            io.out().println("public key (hex): " + KeyFiles.hex(pub));
            return Main.OK;
        } finally {
            Arrays.fill(privBytes, (byte) 0);
        }
    }

    private static byte[] encode(XECPrivateKey key, String format) throws Exception {
        switch (format) {
            case "raw":
                return PssstKeys.toRaw(key);
            case "hex": {
                byte[] raw = PssstKeys.toRaw(key);
                try {
                    return hexLine(raw);
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
            default:
                return PssstKeys.toPemBytes(key);
        }
    }

    /** Lower-case hex of {@code raw} and a newline, as US-ASCII bytes (no String of a private key). */
    private static byte[] hexLine(byte[] raw) {
        byte[] line = new byte[2 * raw.length + 1];
        for (int i = 0; i < raw.length; i++) {
            line[2 * i] = (byte) Character.forDigit((raw[i] >> 4) & 0xf, 16);
            line[2 * i + 1] = (byte) Character.forDigit(raw[i] & 0xf, 16);
        }
        line[line.length - 1] = '\n';
        return line;
    }

    private static byte[] encode(XECPublicKey key, String format) throws Exception {
        switch (format) {
            case "raw":
                return PssstKeys.toRaw(key);
            case "hex":
                return (PssstKeys.toHex(key) + "\n").getBytes(StandardCharsets.US_ASCII);
            default:
                return PssstKeys.toPem(key).getBytes(StandardCharsets.US_ASCII);
        }
    }
}
