package io.pssst.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --clients} file of {@code pssst serve}: allowed client public keys, one per line
 * as 64 hex digits, or as PEM blocks ("PUBLIC KEY"); blank lines and lines starting with
 * {@code #} are ignored, as is anything after {@code #} on a hex line.
 */
final class ClientList {
    /** Largest clients file read: room for about 250,000 hex keys. */
    private static final int MAX_BYTES = 16 * 1024 * 1024;

    private ClientList() {
    }

    /** Reads the file; every problem names the file and line. */
    static List<XECPublicKey> read(String file) throws CommandFailedException {
        List<String> lines;
        try {
            byte[] content = KeyFiles.readBounded(Path.of(file), MAX_BYTES, "clients");
            lines = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString().lines().toList();
        } catch (InvalidPathException e) {
            throw new CommandFailedException("not a file name: " + file);
        } catch (NoSuchFileException e) {
            throw new CommandFailedException("clients file not found: " + file);
        } catch (IOException e) {
            throw new CommandFailedException("cannot read clients file " + file + ": " + Main.describe(e));
        }
        List<XECPublicKey> keys = new ArrayList<>();
        StringBuilder pem = null;
        int pemStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file + " line " + (i + 1);
            if (pem != null) {
                pem.append(line).append('\n');
                if (line.startsWith("-----END")) {
                    keys.add(KeyFiles.publicKeyFromText(pem.toString(), file + " line " + pemStart));
                    pem = null;
                }
            } else if (line.startsWith("-----BEGIN")) {
                pem = new StringBuilder(line).append('\n');
                pemStart = i + 1;
            } else {
                int hash = line.indexOf('#');
                String key = (hash < 0 ? line : line.substring(0, hash)).strip();
                if (!key.isEmpty()) {
                    keys.add(KeyFiles.publicKeyFromText(key, where));
                }
            }
        }
        if (pem != null) {
            throw new CommandFailedException(file + " line " + pemStart + ": PEM block without an END line");
        }
        if (keys.isEmpty()) {
            throw new CommandFailedException(file + " lists no client keys (every client would be refused)");
        }
        return keys;
    }
}
