package io.pssst.internal;

import io.pssst.testing.RequiresSharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.DecryptFailedException;
import io.pssst.PssstException;
import io.pssst.testing.Wycheproof;
import io.pssst.testing.Wycheproof.Case;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code aes_gcm_test.json}, the groups that match suite 1 (128-bit key, 96-bit
 * IV, 128-bit tag), through the AES-GCM step the engine uses
 * ({@link TransactionKeys#aeadSeal}/{@link TransactionKeys#aeadOpen}), with heap and direct
 * buffers. Valid cases seal to the listed ciphertext and tag and open back; invalid cases
 * are refused with {@link DecryptFailedException}, writing nothing and moving no buffer.
 */
@RequiresSharedData
class AesGcmWycheproofTest {
    private static final String FILE = "aes_gcm_test.json";

    @Test
    void sealAndOpen_suiteGroups_everyCase() {
        List<Case> cases = Wycheproof.cases(FILE).stream()
                .filter(c -> c.groupInt("keySize") == 128 && c.groupInt("ivSize") == 96 && c.groupInt("tagSize") == 128)
                .toList();
        assertTrue(cases.size() >= 60, "suite-matching cases found: " + cases.size());
        assertTrue(cases.stream().anyMatch(Case::invalid), "invalid cases among them");
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            for (boolean direct : new boolean[] {false, true}) {
                String where = c + (direct ? " [direct]" : " [heap]") + ": ";
                try {
                    check(c, direct, where, failures);
                } catch (RuntimeException e) {
                    failures.add(where + "unexpected " + e);
                }
            }
        }
        assertEquals(List.of(), failures, failures.size() + " failing cases");
    }

    private static void check(Case c, boolean direct, String where, List<String> failures) {
        SecretKeySpec key = new SecretKeySpec(c.hex("key"), "AES");
        byte[] iv = c.hex("iv");
        byte[] aad = c.hex("aad");
        byte[] msg = c.hex("msg");
        ByteBuffer sealed = buffer(direct, concat(c.hex("ct"), c.hex("tag")));

        if (c.valid()) {
            ByteBuffer out = allocate(direct, msg.length + Wire.TAG_LENGTH);
            TransactionKeys.aeadSeal(key, iv, aad, null, buffer(direct, msg), out);
            if (!out.flip().equals(sealed.duplicate())) {
                failures.add(where + "sealed to " + hex(out) + ", expected " + hex(sealed));
            }
        }
        ByteBuffer opened = allocate(direct, msg.length);
        try {
            TransactionKeys.aeadOpen(key, iv, aad, sealed, opened, "request");
            if (!c.valid()) {
                failures.add(where + c.result() + " case opened");
            } else if (!opened.flip().equals(ByteBuffer.wrap(msg)) || sealed.hasRemaining()) {
                failures.add(where + "opened to " + hex(opened) + ", expected " + Bytes.hex(msg));
            }
        } catch (DecryptFailedException e) {
            if (c.valid()) {
                failures.add(where + "valid case refused: " + e.getMessage());
            } else if (e.reason() != PssstException.Reason.DECRYPT_FAILED || sealed.position() != 0
                    || opened.position() != 0 || !isZero(opened)) {
                failures.add(where + "refused, but a buffer moved or plaintext was written");
            }
        }
        openInPlace(c, key, iv, aad, msg, buffer(direct, concat(c.hex("ct"), c.hex("tag"))), where, failures);
    }

    /** In place: the message replaces the ciphertext; a refusal leaves zeros there, never plaintext. */
    private static void openInPlace(Case c, SecretKeySpec key, byte[] iv, byte[] aad, byte[] msg, ByteBuffer sealed,
            String where, List<String> failures) {
        ByteBuffer out = sealed.duplicate();
        try {
            TransactionKeys.aeadOpen(key, iv, aad, sealed, out, "request");
            if (!c.valid()) {
                failures.add(where + c.result() + " case opened in place");
            } else if (!out.flip().equals(ByteBuffer.wrap(msg))) {
                failures.add(where + "opened in place to " + hex(out) + ", expected " + Bytes.hex(msg));
            }
        } catch (DecryptFailedException e) {
            if (c.valid()) {
                failures.add(where + "valid case refused in place: " + e.getMessage());
            } else if (sealed.position() != 0 || out.position() != 0
                    || !isZero(sealed.duplicate().limit(sealed.limit() - Wire.TAG_LENGTH))) {
                failures.add(where + "refused in place, but a buffer moved or the ciphertext region is not zeroed");
            }
        }
    }

    /** Whether bytes 0 to the limit are all zero. */
    private static boolean isZero(ByteBuffer b) {
        for (int i = 0; i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex(ByteBuffer b) {
        return Bytes.hex(Bytes.copyAt(b, b.position(), b.remaining()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ByteBuffer allocate(boolean direct, int n) {
        return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    private static ByteBuffer buffer(boolean direct, byte[] content) {
        return allocate(direct, content.length).put(content).flip();
    }
}
