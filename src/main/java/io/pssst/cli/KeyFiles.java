package io.pssst.cli;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import io.pssst.internal.Bytes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.Optional;
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
 * <p>Key text is never held in a {@code String}: a file is read into a buffer of ours, then
 * a byte array, then (for PEM and hex) a char array given to {@link PssstKeys}; each is wiped
 * once the key is made, and a private key file is written from a buffer wiped afterwards.
 * What stays is the key object itself (whose scalar the JDK holds).
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

    /**
     * Reads a private key file (PEM PKCS#8, hex, DER or raw). The file's bytes, and the text
     * made of them, are held in arrays wiped before returning; no {@code String} of them is
     * made.
     */
    static XECPrivateKey readPrivateKey(String file) throws CommandFailedException {
        return parsePrivateKey(read(file, "private key", false), file);
    }

    /**
     * {@link #readPrivateKey}, except that an empty file (or one of white space only) holds no
     * key: a slot that a key rotation fills and empties ({@code serve --previous-key}).
     */
    static Optional<XECPrivateKey> readOptionalPrivateKey(String file) throws CommandFailedException {
        byte[] content = read(file, "private key", true);
        if (isBlank(content)) {
            wipe(content, null);
            return Optional.empty();
        }
        return Optional.of(parsePrivateKey(content, file));
    }

    /** The private key in {@code content} (not blank), which is wiped before returning. */
    private static XECPrivateKey parsePrivateKey(byte[] content, String file) throws CommandFailedException {
        char[] text = null;
        try {
            if (content.length == RAW && !isText(content)) {
                return PssstKeys.privateKey(content);
            }
            if (isDer(content)) {
                return PssstKeys.privateKeyFromDer(content);
            }
            refuseBinary(content, file, "private key");
            if (contains(content, "-----BEGIN PUBLIC KEY-----")) {
                throw new CommandFailedException(file + " holds a public key; a private key is needed here");
            }
            text = ascii(content);
            return PssstKeys.parsePrivateKey(text);
        } catch (InvalidKeyMaterialException e) {
            throw new CommandFailedException(file + ": not a usable X25519 private key (" + e.getMessage() + ")");
        } finally {
            wipe(content, text);
        }
    }

    /**
     * Reads a public key given as 64 hex digits on the command line or as a file (PEM, hex,
     * DER or raw). A private key file is refused with a hint: a client never needs the
     * server's private key.
     */
    static XECPublicKey readPublicKey(String fileOrHex) throws CommandFailedException {
        String arg = fileOrHex.strip();
        boolean hexDigits = !arg.isEmpty() && isHex(arg);
        if (hexDigits && !Files.exists(Path.of(fileOrHex))) {
            if (arg.length() == 2 * RAW) {
                return publicKeyFromText(fileOrHex, "the hex key");
            }
            if (arg.length() >= RAW) {
                throw new CommandFailedException("the public key given is " + arg.length() + " hex digits, where a hex"
                        + " X25519 public key has " + 2 * RAW + " (and no file has that name)");
            }
        }
        byte[] content = read(fileOrHex, "public key");
        char[] text = null;
        try {
            if (contains(content, "PRIVATE KEY-----")) {
                throw new CommandFailedException(fileOrHex + " holds a private key; give the public key instead (for a "
                        + "file made by 'pssst keygen --out " + fileOrHex + "' that is " + fileOrHex + ".pub)");
            }
            if (content.length == RAW && !isText(content)) {
                return PssstKeys.publicKey(content);
            }
            if (isDer(content)) {
                return PssstKeys.publicKeyFromDer(content);
            }
            refuseBinary(content, fileOrHex, "public key");
            text = ascii(content); // an array, wiped: the file may be a private key's hex, given by mistake
            return PssstKeys.parsePublicKey(text);
        } catch (InvalidKeyMaterialException e) {
            throw new CommandFailedException(fileOrHex + ": not a usable X25519 public key (" + e.getMessage() + ")");
        } finally {
            wipe(content, text);
        }
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
        boolean isPublic = contains(content, "-----BEGIN PUBLIC KEY-----") || (isDer(content) && content.length == 44);
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
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            // a buffer of ours, wiped: a stream would copy the key through a buffer of the JDK's that nobody wipes
            ByteBuffer buffer = ByteBuffer.allocateDirect(content.length);
            try {
                buffer.put(content).flip();
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            } finally {
                Bytes.wipe(buffer, 0, buffer.capacity());
            }
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
        return read(file, what, false);
    }

    /** The file's bytes (at most 64 KiB); a blank file is refused unless {@code blankAllowed}. */
    private static byte[] read(String file, String what, boolean blankAllowed) throws CommandFailedException {
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
            byte[] content = readBounded(p, 64 * 1024, what);
            if (!blankAllowed && isBlank(content)) {
                throw new CommandFailedException(what + " file " + file + " is empty"
                        + (content.length == 0 ? "" : " (it holds only white space)"));
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new CommandFailedException(what + " file not found: " + file);
        } catch (IOException e) {
            throw new CommandFailedException("cannot read " + what + " file " + file + ": " + Main.describe(e));
        }
    }

    /**
     * Reads at most {@code limit} bytes of {@code p}, into a new array. A longer file is
     * refused without being read to its end, so an endless one ({@code /dev/zero},
     * {@code /dev/urandom}) cannot fill the heap. The bytes go through one buffer of ours,
     * wiped before returning (a stream or a heap buffer would leave copies in buffers of the
     * JDK's that nobody wipes).
     */
    static byte[] readBounded(Path p, int limit, String what) throws IOException, CommandFailedException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(limit + 1);
            try {
                while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                    // each read fills at least one byte, or ends the loop at the end of the file
                }
                if (buffer.position() > limit) {
                    throw new CommandFailedException(p + " is too large to be a " + what + " file (more than " + limit
                            + " bytes)");
                }
                byte[] b = new byte[buffer.position()];
                buffer.get(0, b);
                return b;
            } finally {
                Bytes.wipe(buffer, 0, buffer.position());
            }
        }
    }

    /** Whether {@code b} holds the US-ASCII bytes of {@code part}. */
    private static boolean contains(byte[] b, String part) {
        outer:
        for (int i = 0; i <= b.length - part.length(); i++) {
            for (int j = 0; j < part.length(); j++) {
                if (b[i + j] != part.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Text bytes (US-ASCII: {@link #isText} held) as characters, in a new array to wipe. */
    private static char[] ascii(byte[] b) {
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
            c[i] = (char) (b[i] & 0xff);
        }
        return c;
    }

    private static void wipe(byte[] content, char[] text) {
        Arrays.fill(content, (byte) 0);
        if (text != null) {
            Arrays.fill(text, '\0');
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (!Character.isWhitespace(x)) {
                return false;
            }
        }
        return true;
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
