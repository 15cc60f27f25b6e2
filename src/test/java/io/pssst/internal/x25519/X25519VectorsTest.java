package io.pssst.internal.x25519;

import static io.pssst.internal.Bytes.hex;
import static io.pssst.internal.Bytes.unhex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * RFC 7748: the section 5.2 vectors and iterated test, and the section 6.1 Diffie-Hellman
 * example, through the ladder, the base-point table and run-time tables. The 1,000,000-step
 * iteration runs only with {@code -Dpssst.x25519.long=true} (minutes; see docs/x25519.md).
 */
class X25519VectorsTest {
    static final String LONG_RUN = "pssst.x25519.long";

    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void ladder_section52Vectors() {
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
                hex(X25519Builtin.x25519(unhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        unhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
        // This u has bit 255 set: it must be ignored.
        assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
                hex(X25519Builtin.x25519(unhex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                        unhex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))));
    }

    @Test
    void tables_section52Vectors_sameAsLadder() {
        // Each u is used whichever way it is available: a table when u is on the curve.
        check("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        check("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
                "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    private static void check(String k, String u, String expected) {
        byte[] out = FixedBase.of(unhex(u)).map(t -> t.multiply(unhex(k))).orElseGet(() -> X25519Builtin.x25519(unhex(k), unhex(u)));
        assertEquals(expected, hex(out), "u " + u);
    }

    @Test
    void section61_diffieHellman_ladderAndTables() {
        byte[] nine = new byte[32];
        nine[0] = 9;
        assertEquals(ALICE_PUBLIC, hex(X25519Builtin.x25519(unhex(ALICE_PRIVATE), nine)));
        assertEquals(BOB_PUBLIC, hex(X25519Builtin.x25519(unhex(BOB_PRIVATE), nine)));
        assertEquals(ALICE_PUBLIC, hex(X25519Builtin.publicKey(unhex(ALICE_PRIVATE))));
        assertEquals(BOB_PUBLIC, hex(X25519Builtin.publicKey(unhex(BOB_PRIVATE))));
        assertEquals(SHARED, hex(X25519Builtin.x25519(unhex(ALICE_PRIVATE), unhex(BOB_PUBLIC))));
        assertEquals(SHARED, hex(X25519Builtin.x25519(unhex(BOB_PRIVATE), unhex(ALICE_PUBLIC))));
        assertEquals(SHARED, hex(FixedBase.of(unhex(BOB_PUBLIC)).orElseThrow().multiply(unhex(ALICE_PRIVATE))));
        assertEquals(SHARED, hex(FixedBase.of(unhex(ALICE_PUBLIC)).orElseThrow().multiply(unhex(BOB_PRIVATE))));
    }

    @Test
    void iterated_1_and_1000() {
        assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", iterate(1));
        assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", iterate(1000));
    }

    @Test
    @EnabledIfSystemProperty(named = LONG_RUN, matches = "true")
    void iterated_1000000() {
        long start = System.nanoTime();
        assertEquals("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424", iterate(1_000_000));
        System.out.printf("RFC 7748 iterated X25519, 1,000,000 iterations through the ladder: ok, %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    /** RFC 7748 section 5.2: k = u = 9; each step, k, u = X25519(k, u), k. */
    static String iterate(int n) {
        byte[] k = new byte[32], u = new byte[32], r = new byte[32];
        k[0] = 9;
        u[0] = 9;
        for (int i = 0; i < n; i++) {
            X25519Builtin.x25519(r, k, u);
            byte[] t = u;
            u = k;
            k = r;
            r = t;
        }
        return hex(k);
    }
}
