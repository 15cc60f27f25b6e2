package io.pssst.internal;

import io.pssst.testing.RequiresSharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.testing.Wycheproof;
import io.pssst.testing.Wycheproof.Case;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code x25519_test.json} through the engine's key agreement ({@link X25519}: raw
 * private scalar + raw public u-coordinate to shared secret). Valid and acceptable cases must
 * give the listed shared secret; a case whose listed shared secret is all zero (a low-order
 * public key) must be refused with {@link InvalidKeyMaterialException}. Every failing tcId is
 * collected, so one run shows them all.
 */
@RequiresSharedData
class X25519WycheproofTest {
    private static final String FILE = "x25519_test.json";

    @Test
    void agree_everyCase_listedSecretOrInvalidKey() {
        List<Case> cases = Wycheproof.cases(FILE);
        assertEquals(Wycheproof.announced(FILE), cases.size(), "tests read");
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (Case c : cases) {
            if (!c.groupString("curve").equals("curve25519")) {
                failures.add(c + ": unexpected curve " + c.groupString("curve"));
                continue;
            }
            byte[] expected = c.hex("shared");
            boolean zero = X25519.isAllZero(expected);
            checkLowOrderTest(c, zero, failures);
            try {
                byte[] shared = X25519.agree(X25519.privateKey(c.hex("private")), X25519.publicKey(c.hex("public")));
                if (zero) {
                    failures.add(c + ": an all-zero shared secret was accepted");
                } else if (c.invalid()) {
                    failures.add(c + ": invalid case accepted");
                } else if (!Arrays.equals(expected, shared)) {
                    failures.add(c + ": shared secret " + Bytes.hex(shared) + ", expected " + Bytes.hex(expected));
                }
            } catch (InvalidKeyMaterialException e) {
                refused++;
                if (e.reason() != PssstException.Reason.INVALID_KEY) {
                    failures.add(c + ": refused with reason " + e.reason());
                } else if (!zero && !c.invalid()) {
                    failures.add(c + ": refused (" + e.getMessage() + ")");
                }
            } catch (RuntimeException e) {
                failures.add(c + ": unexpected " + e);
            }
        }
        assertEquals(List.of(), failures, failures.size() + " failing cases");
        long zeros = cases.stream().filter(c -> X25519.isAllZero(c.hex("shared"))).count();
        assertEquals(zeros, refused, "every all-zero case, and only those, is refused");
    }

    /**
     * {@link X25519#checkNotLowOrder} (a comparison, no X25519) refuses a public key exactly
     * when X25519 with it is all zero: the Wycheproof scalars are clamped, so an all-zero
     * shared secret means a small-order public key.
     */
    private static void checkLowOrderTest(Case c, boolean zero, List<String> failures) {
        try {
            X25519.checkNotLowOrder(X25519.publicKey(c.hex("public")));
            if (zero) {
                failures.add(c + ": checkNotLowOrder accepted a low-order public key");
            }
        } catch (InvalidKeyMaterialException e) {
            if (!zero) {
                failures.add(c + ": checkNotLowOrder refused a public key of large order");
            }
        }
    }
}
