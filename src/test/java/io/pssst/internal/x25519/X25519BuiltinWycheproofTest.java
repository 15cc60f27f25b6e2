package io.pssst.internal.x25519;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.internal.Bytes;
import io.pssst.internal.X25519;
import io.pssst.testing.RequiresSharedData;
import io.pssst.testing.Wycheproof;
import io.pssst.testing.Wycheproof.Case;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code x25519_test.json}, every case, through the built-in ladder and, where the
 * public key has a table, the fixed-base path: each gives the listed shared secret, and the
 * JDK's outcome for the same case agrees (the JDK refuses exactly the all-zero secrets).
 * Failing tcIds are collected, so one run shows them all.
 */
@RequiresSharedData
class X25519BuiltinWycheproofTest {
    private static final String FILE = "x25519_test.json";

    @Test
    void everyCase_ladderAndTable_listedSecret_sameOutcomeAsJdk() {
        List<Case> cases = Wycheproof.cases(FILE);
        assertEquals(Wycheproof.announced(FILE), cases.size(), "tests read");
        List<String> failures = new ArrayList<>();
        int tables = 0, zeros = 0;
        for (Case c : cases) {
            byte[] k = c.hex("private"), u = c.hex("public"), expected = c.hex("shared");
            if (!c.groupString("curve").equals("curve25519") || c.invalid()) {
                failures.add(c + ": not a valid curve25519 case; this test expects none");
                continue;
            }
            byte[] ladder = X25519Builtin.x25519(k, u);
            if (!Arrays.equals(expected, ladder)) {
                failures.add(c + ": ladder " + Bytes.hex(ladder) + ", expected " + Bytes.hex(expected));
            }
            Optional<FixedBase> table = FixedBase.of(u);
            if (table.isPresent()) {
                tables++;
                byte[] fixed = table.get().multiply(k);
                if (!Arrays.equals(expected, fixed)) {
                    failures.add(c + ": table " + Bytes.hex(fixed) + ", expected " + Bytes.hex(expected));
                }
            } else if (Reference.onCurve(Reference.decodeU(u))) {
                failures.add(c + ": no table for a point of the curve");
            }
            String jdk = JdkX25519.mismatch("tcId " + c.tcId(), k, u, ladder);
            if (jdk != null) {
                failures.add(jdk);
            }
            zeros += X25519.isAllZero(expected) ? 1 : 0;
        }
        assertEquals(List.of(), failures, failures.size() + " failing cases");
        System.out.printf("Wycheproof x25519: %d cases, %d through a table as well, %d all-zero secrets%n",
                cases.size(), tables, zeros);
    }
}
