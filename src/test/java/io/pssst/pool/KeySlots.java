package io.pssst.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The two key files one {@code pssst serve --key CURRENT --previous-key PREVIOUS} reads, in a
 * folder of their own, as an operator rotating keys writes them: each replaced atomically (a
 * new owner-only file in the same folder, renamed over the old one), so the server never reads
 * half a file. An empty previous file is an empty slot.
 */
final class KeySlots {
    final Path current;
    final Path previous;

    private KeySlots(Path dir) {
        this.current = dir.resolve("current.key");
        this.previous = dir.resolve("previous.key");
    }

    /** Slots in {@code dir} (created), holding {@code current} and no previous key. */
    static KeySlots in(Path dir, Path current) throws IOException {
        KeySlots slots = new KeySlots(Files.createDirectories(dir));
        slots.set(current, null);
        return slots;
    }

    /** The server's options for these files: {@code --previous-key PREVIOUS} (the caller gives {@code --key}). */
    String[] options() {
        return new String[] {"--previous-key", previous.toString()};
    }

    /**
     * Rewrites both files: a copy of {@code current}, and of {@code previous} (or nothing, when
     * null). Takes effect when the server is told (SIGHUP).
     */
    void set(Path current, Path previous) throws IOException {
        replace(this.current, Files.readString(current));
        replace(this.previous, previous == null ? "" : Files.readString(previous));
    }

    /** Writes garbage in the previous slot: a reload must then fail and keep the keys. */
    void spoilPrevious() throws IOException {
        replace(previous, "not a key\n");
    }

    private static void replace(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
