package io.pssst.cli;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstKeys;
import java.io.PrintStream;
import java.security.interfaces.XECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The key files of {@code pssst serve} ({@code --key} and each {@code --previous-key}), read
 * when it starts and again on SIGHUP: a key rotation without a restart. A reload reads every
 * file before anything changes, so the server gets the whole new key set or keeps the whole
 * old one; it logs one line either way, naming public keys only. Reloads are serialised.
 */
final class ServeKeys {
    /** Where a successful reload goes: the running server. */
    interface Target {
        /**
         * Replaces the server's keys.
         *
         * @throws InvalidKeyMaterialException if a key is refused (nothing changes)
         */
        void setKeys(XECPrivateKey current, List<XECPrivateKey> previous) throws InvalidKeyMaterialException;
    }

    /**
     * A key set read from the files: the current key, and the previous ones in the order of
     * the {@code --previous-key} options (empty files skipped).
     */
    static final class KeySet {
        private final XECPrivateKey current;
        private final List<XECPrivateKey> previous;

        KeySet(XECPrivateKey current, List<XECPrivateKey> previous) {
            this.current = Objects.requireNonNull(current);
            this.previous = List.copyOf(previous);
        }

        XECPrivateKey current() {
            return current;
        }

        List<XECPrivateKey> previous() {
            return previous;
        }

        /** {@code "current HEX, previous HEX, HEX"} (or {@code "previous none"}): public keys only. */
        String describe() throws InvalidKeyMaterialException {
            return "current " + hex(current) + ", previous " + (previous.isEmpty() ? "none" : previousKeys());
        }

        /** The previous keys' public keys in hex, {@code "HEX, HEX"}; empty if none. */
        String previousKeys() throws InvalidKeyMaterialException {
            StringBuilder b = new StringBuilder();
            for (XECPrivateKey k : previous) {
                b.append(b.length() == 0 ? "" : ", ").append(hex(k));
            }
            return b.toString();
        }

        /** Says how many keys; never a key. */
        @Override
        public String toString() {
            return "KeySet[1 current, " + previous.size() + " previous]";
        }
    }

    private final String currentFile;
    private final List<String> previousFiles;

    /**
     * @param currentFile the {@code --key} file
     * @param previousFiles the {@code --previous-key} files, in order
     */
    ServeKeys(String currentFile, List<String> previousFiles) {
        this.currentFile = currentFile;
        this.previousFiles = List.copyOf(previousFiles);
    }

    /**
     * Reads every file, warning on {@code err} about any that others can read. An empty
     * {@code --previous-key} file holds no key (a slot a rotation fills and empties); an empty
     * {@code --key} file is refused.
     *
     * @throws CommandFailedException if a file is missing, unreadable or not a private key
     */
    KeySet read(PrintStream err) throws CommandFailedException {
        XECPrivateKey current = KeyFiles.readPrivateKey(currentFile);
        KeyFiles.warnIfShared(currentFile, err);
        List<XECPrivateKey> previous = new ArrayList<>();
        for (String file : previousFiles) {
            Optional<XECPrivateKey> key = KeyFiles.readOptionalPrivateKey(file);
            if (key.isPresent()) { // an empty slot holds no secret to warn about
                previous.add(key.get());
                KeyFiles.warnIfShared(file, err);
            }
        }
        return new KeySet(current, previous);
    }

    /**
     * Reads the files again and, if all are good, gives the new key set to {@code target};
     * otherwise the target keeps its keys. Logs one line on {@code err} saying which.
     *
     * @return whether the keys were replaced
     */
    synchronized boolean reload(Target target, PrintStream err) {
        String line;
        boolean done = false;
        try {
            KeySet keys = read(err);
            String described = keys.describe();
            target.setKeys(keys.current(), keys.previous());
            line = "keys reloaded: " + described;
            done = true;
        } catch (CommandFailedException e) {
            line = "key reload failed, keeping the old keys: " + e.getMessage();
        } catch (InvalidKeyMaterialException | RuntimeException e) {
            line = "key reload failed, keeping the old keys: " + Main.describe(e);
        }
        err.println("pssst serve: " + line);
        err.flush();
        return done;
    }

    /**
     * Makes SIGHUP {@linkplain #reload reload} the keys into {@code target} (instead of
     * stopping the JVM, its default). Where that cannot be done, says so on {@code err}: a
     * JVM run with {@code -Xrs}, a platform without SIGHUP, or a process started with SIGHUP
     * ignored ({@code nohup}), where it would never arrive.
     */
    void reloadOnSighup(Target target, PrintStream err) {
        String problem;
        try {
            SignalHandler before = Signal.handle(new Signal("HUP"), signal -> reload(target, err));
            problem = before == SignalHandler.SIG_IGN
                    ? "SIGHUP is ignored in this process (started with nohup?)" : null;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            problem = "SIGHUP cannot be handled here (" + e.getMessage() + ")";
        }
        if (problem != null) {
            err.println("pssst serve: " + problem + ": the key files will not be reloaded; restart to change keys");
            err.flush();
        }
    }

    private static String hex(XECPrivateKey key) throws InvalidKeyMaterialException {
        return PssstKeys.toHex(PssstKeys.publicKeyOf(key));
    }
}
