package io.pssst.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.ClientAuthFailedException;
import io.pssst.InvalidKeyMaterialException;
import io.pssst.PssstException;
import io.pssst.PssstX25519;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import io.pssst.testing.Wycheproof;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine gives the same bytes with either X25519 backend: for every public key of the
 * Wycheproof X25519 file used as a server key (twist points, non-canonical encodings, bit 255
 * set, points with a small-order component: those get no table and go through the ladder),
 * an anonymous and an authenticated client drawing the same ephemeral scalars make the same
 * requests, byte for byte, or both refuse the key; and a server opens and answers them alike.
 */
class CurveBackendsTest {
    private static final TestKeys.Pair CLIENT = TestKeys.pair(601);
    private static final byte[] MESSAGE = "same bytes".getBytes(StandardCharsets.US_ASCII);

    /** The distinct public keys of the Wycheproof X25519 cases, by hex, with a case that uses each. */
    private static Map<String, byte[]> wycheproofPoints() {
        Map<String, byte[]> points = new LinkedHashMap<>();
        for (Wycheproof.Case c : Wycheproof.cases("x25519_test.json")) {
            points.putIfAbsent(Bytes.hex(c.hex("public")), c.hex("public"));
        }
        return points;
    }

    @Test
    void clientRequests_wycheproofServerKeys_identicalOrBothRefused() throws Exception {
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (byte[] u : wycheproofPoints().values()) {
            XECPublicKey server;
            try {
                server = X25519.publicKey(u);
            } catch (InvalidKeyMaterialException e) {
                continue; // not a key at all (a length problem): neither backend sees it
            }
            for (boolean auth : new boolean[] {false, true}) {
                String jdk = request(server, auth, PssstX25519.JDK);
                String builtin = request(server, auth, PssstX25519.BUILTIN);
                if (!jdk.equals(builtin)) {
                    failures.add(Bytes.hex(u) + (auth ? " (auth)" : "") + ": jdk " + jdk + ", builtin " + builtin);
                }
                compared++;
            }
        }
        assertEquals(List.of(), failures, failures.size() + " differences");
        assertTrue(compared > 100, "only " + compared + " keys compared");
    }

    /** The request (hex) for a fixed ephemeral scalar, or the refusal's reason. */
    private static String request(XECPublicKey server, boolean auth, PssstX25519 x25519) {
        try {
            ClientSession s = auth ? ClientSession.authenticated(server, CLIENT.privateKey(), x25519)
                    : ClientSession.anonymous(server, x25519);
            StringBuilder out = new StringBuilder();
            for (int seed = 0; seed < 2; seed++) {
                ClientTransaction tx = s.begin(SeededRandom.of(700 + seed));
                ByteBuffer b = ByteBuffer.allocate(tx.requestLength(MESSAGE.length));
                tx.sealRequest(ByteBuffer.wrap(MESSAGE), b);
                out.append(Bytes.hex(b.array())).append(' ');
            }
            return out.toString();
        } catch (PssstException e) {
            return "refused: " + e.reason().wireName();
        }
    }

    @Test
    void server_bothBackends_openAndAnswerAlike_withAndWithoutClientTables() throws Exception {
        TestKeys.Pair server = TestKeys.pair(602);
        ServerSession jdk = ServerSession.of(server.privateKey(), PssstX25519.JDK);
        ServerSession builtin = ServerSession.of(server.privateKey(), PssstX25519.BUILTIN);
        ServerSession expecting = builtin.expectingClients(List.of(CLIENT.rawPublic()));
        for (boolean auth : new boolean[] {false, true}) {
            ClientSession client = auth ? ClientSession.authenticated(server.publicKey(), CLIENT.privateKey())
                    : ClientSession.anonymous(server.publicKey());
            ClientTransaction tx = client.begin(SeededRandom.of(703));
            ByteBuffer request = ByteBuffer.allocate(tx.requestLength(MESSAGE.length));
            tx.sealRequest(ByteBuffer.wrap(MESSAGE), request);
            List<String> replies = new ArrayList<>();
            for (ServerSession s : List.of(jdk, builtin, expecting)) {
                ByteBuffer plain = ByteBuffer.allocate(request.capacity());
                ServerTransaction opened = s.open(ByteBuffer.wrap(request.array()), plain);
                assertArrayEquals(MESSAGE, java.util.Arrays.copyOf(plain.array(), plain.position()));
                assertArrayEquals(auth ? CLIENT.rawPublic() : null, opened.clientKey());
                ByteBuffer reply = ByteBuffer.allocate(opened.replyLength(2));
                opened.sealReply(ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), reply);
                replies.add(Bytes.hex(reply.array()));
            }
            assertEquals(1, replies.stream().distinct().count(), "replies differ: " + replies);
        }
    }

    /** A forged proof (another e than dh_param's) is refused through a client's table as through the ladder. */
    @Test
    void forgedProof_refusedThroughTableAndLadder() throws Exception {
        TestKeys.Pair server = TestKeys.pair(604);
        byte[] forged = Forge.request(server.publicKey(), Wire.FLAG_CLIENT_AUTH,
                Forge.proofPayload(CLIENT.rawPublic(), new byte[32], MESSAGE), SeededRandom.of(605));
        for (ServerSession s : List.of(ServerSession.of(server.privateKey(), PssstX25519.BUILTIN),
                ServerSession.of(server.privateKey(), PssstX25519.BUILTIN).expectingClients(List.of(CLIENT.rawPublic())),
                ServerSession.of(server.privateKey(), PssstX25519.JDK))) {
            assertThrows(ClientAuthFailedException.class,
                    () -> s.open(ByteBuffer.wrap(forged), ByteBuffer.allocate(forged.length)), s.toString());
        }
    }
}
