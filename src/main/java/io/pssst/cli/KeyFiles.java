package io.pssst.cli;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import io.pssst.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;
import java.util.Set;

/**
 * Key files: reading X25519 keys in any form people have them — PEM (as {@code openssl
 * genpkey -algorithm X25519} and {@code openssl pkey -pubout} write), 64 hex digits, DER, or
 * the raw 32 bytes — and writing private key files with owner-only permissions from the
 * moment they exist.
 *
 * <p>Parsing is {@link PssstKeys}'s; this class only picks the form and turns every problem
 * into a one-line {@link CommandFailedException} naming the file (never its contents).
 *
 * <p>Permissions: on a POSIX file system the private key file is created with mode 0600 as
 * a creation attribute (no window in which it is readable by others). Elsewhere (Windows)
 * it is created empty, then restricted with {@code File.setReadable/setWritable(..,
 * ownerOnly)} before any key byte is written; on NTFS that is best effort, as ACLs are
 * inherited from the folder.
 */
final class KeyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int RAW = 32;

    private KeyFiles() {
    }

    /** Reads a private key file (PEM PKCS#8, hex, DER or raw). */
    static XECPrivateKey readPrivateKey(String file) throws CommandFailedException {
        byte[] content = read(file, "private key");
        try {
            if (content.length == RAW && !isText(content)) {
                return PssstKeys.privateKey(content);
            }
            if (isDer(content)) {
                return PssstKeys.privateKeyFromDer(content);
            }
            refuseBinary(content, file, "private key");
            String text = new String(content, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN PUBLIC KEY-----")) {
                throw new CommandFailedException(file + " holds a public key; a private key is needed here");
            }
            return PssstKeys.parsePrivateKey(text);
        } catch (InvalidKeyMaterialException e) {
            throw new CommandFailedException(file + ": not a usable X25519 private key (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * Reads a public key given as 64 hex digits on the command line or as a file (PEM, hex,
     * DER or raw). A private key file is refused with a hint: a client never needs the
     * server's private key.
     */
    static XECPublicKey readPublicKey(String fileOrHex) throws CommandFailedException {
        if (fileOrHex.strip().length() == 2 * RAW && isHex(fileOrHex.strip()) && !Files.exists(Path.of(fileOrHex))) {
            return publicKeyFromText(fileOrHex, "the hex key");
        }
        byte[] content = read(fileOrHex, "public key");
        String text = new String(content, StandardCharsets.US_ASCII);
        if (text.contains("PRIVATE KEY-----")) {
            throw new CommandFailedException(fileOrHex + " holds a private key; give the public key instead (for a "
                    + "file made by 'pssst keygen --out " + fileOrHex + "' that is " + fileOrHex + ".pub)");
        }
        try {
            if (content.length == RAW && !isText(content)) {
                return PssstKeys.publicKey(content);
            }
            if (isDer(content)) {
                return PssstKeys.publicKeyFromDer(content);
            }
        } catch (InvalidKeyMaterialException e) {
            throw new CommandFailedException(fileOrHex + ": not a usable X25519 public key (" + e.getMessage() + ")");
        }
        refuseBinary(content, fileOrHex, "public key");
        return publicKeyFromText(text, fileOrHex);
    }

    /** A public key from text (PEM or hex); {@code where} names its origin in errors. */
    static XECPublicKey publicKeyFromText(String text, String where) throws CommandFailedException {
        try {
            return PssstKeys.parsePublicKey(text);
        } catch (InvalidKeyMaterialException e) {
            throw new CommandFailedException(where + ": not a usable X25519 public key (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads a key file that may hold either kind of key and returns the public key: a public
     * key (PEM "PUBLIC KEY" or DER) as it is; anything else (PEM "PRIVATE KEY", hex, raw) is
     * taken as a private key and its public half is returned.
     */
    static XECPublicKey readAnyAsPublic(String file) throws CommandFailedException {
        byte[] content = read(file, "key");
        String text = new String(content, StandardCharsets.US_ASCII);
        boolean isPublic = text.contains("-----BEGIN PUBLIC KEY-----") || (isDer(content) && content.length == 44);
        Arrays.fill(content, (byte) 0);
        if (isPublic) {
            return readPublicKey(file);
        }
        try {
            return PssstKeys.publicKeyOf(readPrivateKey(file));
        } catch (InvalidKeyMaterialException e) {
            throw new CommandFailedException(file + ": " + e.getMessage());
        }
    }

    /**
     * Creates {@code path} (which must not exist) with owner-only permissions and writes
     * {@code content} into it.
     */
    static void writePrivate(Path path, byte[] content) throws IOException {
        boolean posix = Files.getFileAttributeView(parentOf(path), PosixFileAttributeView.class) != null;
        if (posix) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(path);
            var f = path.toFile();
            boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                    & f.setWritable(false, false) & f.setWritable(true, true);
            if (!ok) {
                Files.delete(path);
                throw new IOException("cannot restrict the permissions of " + path + " to its owner");
            }
        }
        try (OutputStream o = Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            o.write(content);
        }
    }

    /** Creates {@code path} (which must not exist) with the default permissions and writes {@code content}. */
    static void writePublic(Path path, byte[] content) throws IOException {
        Files.write(path, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Warns (does not fail) when a private key file is readable by others, as ssh does. */
    static void warnIfShared(String file, PrintStream err) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(Path.of(file));
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("pssst: warning: private key file " + file + " is readable by others (chmod 600 " + file + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not POSIX, or gone: nothing to say
        }
    }

    private static Path parentOf(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? path.toAbsolutePath() : parent;
    }

    private static byte[] read(String file, String what) throws CommandFailedException {
        Path p;
        try {
            p = Path.of(file);
        } catch (InvalidPathException e) {
            throw new CommandFailedException("not a file name: " + file);
        }
        try {
            if (Files.isDirectory(p)) {
                throw new CommandFailedException(what + " file " + file + " is a directory");
            }
            return readBounded(p, 64 * 1024, what);
        } catch (NoSuchFileException e) {
            throw new CommandFailedException(what + " file not found: " + file);
        } catch (IOException e) {
            throw new CommandFailedException("cannot read " + what + " file " + file + ": " + Main.describe(e));
        }
    }

    /**
     * Reads at most {@code limit} bytes of {@code p}. A longer file is refused without being
     * read to its end, so an endless one ({@code /dev/zero}, {@code /dev/urandom}) cannot fill
     * the heap; the bytes read are wiped first.
     */
    static byte[] readBounded(Path p, int limit, String what) throws IOException, CommandFailedException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                Arrays.fill(b, (byte) 0);
                throw new CommandFailedException(p + " is too large to be a " + what + " file (more than " + limit
                        + " bytes)");
            }
            return b;
        }
    }

    /**
     * Refuses binary content that is neither DER nor 32 raw bytes, rather than letting the
     * text parser report it as hex with the wrong number of digits.
     */
    private static void refuseBinary(byte[] content, String file, String what) throws CommandFailedException {
        if (!isText(content)) {
            throw new CommandFailedException(file + ": not an X25519 " + what + " file (" + content.length
                    + " bytes of binary data; expected PEM, 64 hex digits, DER or exactly 32 raw bytes)");
        }
    }

    /** DER: a SEQUENCE with a one-byte length that covers the rest exactly. */
    private static boolean isDer(byte[] b) {
        return b.length > 2 && b[0] == 0x30 && (b[1] & 0xff) == b.length - 2;
    }

    private static boolean isText(byte[] b) {
        for (byte x : b) {
            if (x < 0x09 || x > 0x7e) {
                return false;
            }
        }
        return true;
    }

    static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case hex of a public key's raw form. */
    static String hex(XECPublicKey key) throws InvalidKeyMaterialException {
        return Bytes.hex(PssstKeys.toRaw(key));
    }
}
