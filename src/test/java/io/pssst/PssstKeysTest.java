package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.internal.Bytes;
import io.pssst.internal.X25519;
import io.pssst.testing.TestKeys;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PssstKeys}: every form (raw, hex, DER, PEM, and the parse helpers) round-trips, the
 * JDK's own encodings are read and reproduced, and malformed or foreign encodings are refused
 * with an {@link InvalidKeyMaterialException}. OpenSSL interop is in {@link PssstKeysOpensslTest}.
 */
class PssstKeysTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {71, 72, 73})
    void everyForm_roundTrips(long seed) throws Exception {
        TestKeys.Pair p = TestKeys.pair(seed);
        XECPublicKey pub = p.publicKey();
        XECPrivateKey priv = p.privateKey();
        byte[] raw = p.rawPublic();

        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.publicKey(raw)));
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.privateKey(p.rawPrivate())));
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.publicKeyOf(priv)));

        String hex = PssstKeys.toHex(pub);
        assertEquals(Bytes.hex(raw), hex);
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.publicKeyFromHex(hex.toUpperCase(Locale.ROOT))));
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.privateKeyFromHex(Bytes.hex(p.rawPrivate()))));

        byte[] pubDer = PssstKeys.toDer(pub);
        byte[] privDer = PssstKeys.toDer(priv);
        assertEquals(44, pubDer.length);
        assertEquals(48, privDer.length);
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.publicKeyFromDer(pubDer)));
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.privateKeyFromDer(privDer)));

        String pubPem = PssstKeys.toPem(pub);
        String privPem = PssstKeys.toPem(priv);
        assertTrue(pubPem.startsWith("-----BEGIN PUBLIC KEY-----\n") && pubPem.endsWith("-----END PUBLIC KEY-----\n"));
        assertTrue(privPem.startsWith("-----BEGIN PRIVATE KEY-----\n") && privPem.endsWith("-----END PRIVATE KEY-----\n"));
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.publicKeyFromPem(pubPem)));
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.privateKeyFromPem(privPem)));
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.publicKeyFromPem(pubPem.replace("\n", "\r\n"))));

        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.parsePublicKey("  " + pubPem + "\n")));
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.parsePublicKey("\t" + hex + "\n")));
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.parsePrivateKey(privPem)));
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.parsePrivateKey(Bytes.hex(p.rawPrivate()) + "\n")));

        char[] privPemChars = ("\n" + privPem).toCharArray();
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.parsePrivateKey(privPemChars)));
        assertEquals("\n" + privPem, new String(privPemChars), "the caller's array is read, not changed");
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.parsePrivateKey((Bytes.hex(p.rawPrivate()) + " ").toCharArray())));
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.parsePublicKey(pubPem.toCharArray())));
        assertArrayEquals(raw, PssstKeys.toRaw(PssstKeys.parsePublicKey(hex.toCharArray())));
        assertArrayEquals(privPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII), PssstKeys.toPemBytes(priv));
    }

    /** Each message says what is wrong with the text given, not something else. */
    @Test
    void textRefusals_sayWhatIsWrong() throws Exception {
        TestKeys.Pair p = TestKeys.pair(77);
        String privPem = PssstKeys.toPem(p.privateKey());
        String noEnd = privPem.substring(0, privPem.indexOf("-----END"));
        String cutInBody = privPem.substring(0, 40);
        for (String cut : new String[] {noEnd, cutInBody}) {
            assertEquals("the PEM \"PRIVATE KEY\" block has no END line (-----END PRIVATE KEY-----): the text is cut short",
                    refusal(() -> PssstKeys.parsePrivateKey(cut)));
        }
        assertEquals("expected a PEM \"PRIVATE KEY\" block, found its BEGIN line cut short (-----BEGIN PRIVATE KEY-----"
                + " expected)", refusal(() -> PssstKeys.parsePrivateKey("-----BEGIN PRIVATE KEY")));
        assertEquals("expected a PEM \"PRIVATE KEY\" block, found a \"PUBLIC KEY\" block",
                refusal(() -> PssstKeys.parsePrivateKey(PssstKeys.toPem(p.publicKey()))));
        assertEquals("expected a PEM \"PUBLIC KEY\" block, found another PEM block",
                refusal(() -> PssstKeys.parsePublicKey("-----BEGIN " + "X".repeat(40) + "-----")));
        for (String blank : new String[] {"", " \n\t"}) {
            assertEquals("no X25519 private key: the text is empty", refusal(() -> PssstKeys.parsePrivateKey(blank)));
            assertEquals("no X25519 public key: the text is empty", refusal(() -> PssstKeys.parsePublicKey(blank.toCharArray())));
        }
    }

    private static String refusal(KeyAction action) {
        return org.junit.jupiter.api.Assertions.assertThrows(InvalidKeyMaterialException.class, action::run).getMessage();
    }

    @Test
    void jdkKeys_readAndWrittenByteForByte() throws Exception {
        KeyPair jdk = PssstKeys.generateKeyPair();
        XECPublicKey pub = (XECPublicKey) jdk.getPublic();
        XECPrivateKey priv = (XECPrivateKey) jdk.getPrivate();
        assertArrayEquals(pub.getEncoded(), PssstKeys.toDer(pub));
        assertArrayEquals(priv.getEncoded(), PssstKeys.toDer(priv));
        assertArrayEquals(PssstKeys.toRaw(pub), PssstKeys.toRaw(PssstKeys.publicKeyFromDer(pub.getEncoded())));
        assertArrayEquals(PssstKeys.toRaw(priv), PssstKeys.toRaw(PssstKeys.privateKeyFromDer(priv.getEncoded())));
        assertArrayEquals(PssstKeys.toRaw(pub), PssstKeys.toRaw(PssstKeys.publicKeyOf(priv)));
    }

    /** RFC 5958 v2 with the matching public key is read; with another public key it is refused. */
    @Test
    void privateKeyFromDer_v2WithPublicKey_readOnlyIfItMatches() throws Exception {
        TestKeys.Pair p = TestKeys.pair(74);
        byte[] v2 = Bytes.unhex("3051020101300506032b656e04220420" + Bytes.hex(p.rawPrivate()) + "812100"
                + Bytes.hex(p.rawPublic()));
        assertArrayEquals(p.rawPrivate(), PssstKeys.toRaw(PssstKeys.privateKeyFromDer(v2)));
        byte[] mismatched = v2.clone();
        mismatched[mismatched.length - 1] ^= 1;
        InvalidKeyMaterialException e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidKeyMaterialException.class, () -> PssstKeys.privateKeyFromDer(mismatched));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    /** Encodings a lax parser might take; each must be refused with a typed error and a message. */
    @Test
    void malformedOrForeignEncodings_refused() throws Exception {
        TestKeys.Pair p = TestKeys.pair(75);
        String k = Bytes.hex(p.rawPrivate());
        String u = Bytes.hex(p.rawPublic());
        KeyPairGenerator x448 = KeyPairGenerator.getInstance("X448");
        KeyPair other = x448.generateKeyPair();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        List<String> failures = new ArrayList<>();

        String[] publicDers = {
            "302a300506032b656e032100" + u + "00", // trailing byte
            "302a300506032b656e032100" + u.substring(2), // short
            "30812a300506032b656e032100" + u, // non-minimal length
            "302a300506032b6570032100" + u, // Ed25519 OID
            "302c300706032b656e0500032100" + u, // NULL parameters
            "302a300506032b656e032101" + u, // BIT STRING with an unused bit
            "302b300506032b656e032200" + u + "00", // 33-byte key
            Bytes.hex(other.getPublic().getEncoded()), // X448
            Bytes.hex(ed.getPublic().getEncoded()), // Ed25519
            "", "30", "3000",
        };
        for (String der : publicDers) {
            refused(failures, "public DER " + der, () -> PssstKeys.publicKeyFromDer(Bytes.unhex(der)));
        }
        String[] privateDers = {
            "302e020100300506032b656e04220420" + k + "00", // trailing byte
            "302f020100300506032b656e04230420" + k + "00", // trailing byte inside the key
            "30812e020100300506032b656e04220420" + k, // non-minimal length
            "302e020101300506032b656e04220420" + k, // v2 without its public key
            "302c020100300506032b656e0420" + k, // missing inner OCTET STRING (Wycheproof tcId 537's shape)
            "302e020100300506032b657004220420" + k, // Ed25519 OID
            "302e020102300506032b656e04220420" + k, // version 2
            "3051020101300506032b656e04220420" + k + "812101" + u, // v2, public BIT STRING with an unused bit
            Bytes.hex(other.getPrivate().getEncoded()), // X448
            Bytes.hex(ed.getPrivate().getEncoded()), // Ed25519
            "", "30", "3000",
        };
        for (String der : privateDers) {
            refused(failures, "private DER " + der, () -> PssstKeys.privateKeyFromDer(Bytes.unhex(der)));
        }
        String pem = PssstKeys.toPem(p.publicKey());
        String privPem = PssstKeys.toPem(p.privateKey());
        refused(failures, "private PEM as public", () -> PssstKeys.publicKeyFromPem(privPem));
        refused(failures, "public PEM as private", () -> PssstKeys.privateKeyFromPem(pem));
        refused(failures, "bad base64", () -> PssstKeys.publicKeyFromPem(pem.replace("M", "!")));
        refused(failures, "no END line", () -> PssstKeys.publicKeyFromPem(pem.substring(0, pem.indexOf("-----END"))));
        refused(failures, "EC label", () -> PssstKeys.privateKeyFromPem(privPem.replace("PRIVATE", "EC PRIVATE")));
        refused(failures, "empty", () -> PssstKeys.parsePublicKey(""));
        refused(failures, "63 hex digits", () -> PssstKeys.publicKeyFromHex(u.substring(1)));
        refused(failures, "65 hex digits", () -> PssstKeys.privateKeyFromHex(k + "0"));
        refused(failures, "not hex", () -> PssstKeys.publicKeyFromHex("x" + u.substring(1)));
        refused(failures, "31 raw bytes", () -> PssstKeys.publicKey(new byte[31]));
        refused(failures, "33 raw bytes", () -> PssstKeys.privateKey(new byte[33]));
        refused(failures, "X448 public toRaw", () -> PssstKeys.toRaw((XECPublicKey) other.getPublic()));
        refused(failures, "X448 private toRaw", () -> PssstKeys.toRaw((XECPrivateKey) other.getPrivate()));
        refused(failures, "X448 publicKeyOf", () -> PssstKeys.publicKeyOf((XECPrivateKey) other.getPrivate()));
        assertEquals(List.of(), failures);
    }

    @Test
    void publicKey_topBitAndNonCanonical_acceptedAsRfc7748Says() throws Exception {
        TestKeys.Pair p = TestKeys.pair(76);
        byte[] high = p.rawPublic();
        high[31] |= (byte) 0x80;
        XECPublicKey masked = PssstKeys.publicKey(high);
        assertArrayEquals(p.rawPublic(), PssstKeys.toRaw(masked), "bit 255 is ignored");
        // u = p + 2 is the non-canonical encoding of u = 2; X25519 treats both alike.
        byte[] two = new byte[32];
        two[0] = 2;
        byte[] pPlus2 = Bytes.unhex("efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        assertArrayEquals(X25519.agree(p.privateKey(), PssstKeys.publicKey(two)),
                X25519.agree(p.privateKey(), PssstKeys.publicKey(pPlus2)));
    }

    @FunctionalInterface
    interface KeyAction {
        Object run() throws Exception;
    }

    static void refused(List<String> failures, String what, KeyAction action) {
        try {
            Object key = action.run();
            failures.add(what + ": accepted as " + key);
        } catch (InvalidKeyMaterialException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                failures.add(what + ": refused without a message");
            }
        } catch (Exception | Error e) {
            failures.add(what + ": " + e);
        }
    }
}
