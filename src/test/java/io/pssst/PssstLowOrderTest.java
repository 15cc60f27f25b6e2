package io.pssst;

import static io.pssst.PssstTamperTest.expect;
import static io.pssst.PssstTamperTest.serverRefuses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.PssstException.Reason;
import io.pssst.internal.Forge;
import io.pssst.internal.Wire;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys that must not work: every encoding of every small-order point as a request's
 * dh_param (invalid-key, before any decryption), as the client key inside an authentication
 * proof (client-auth-failed), and as a server key given to a client (invalid-key); and a
 * request sealed for another server (decrypt-failed).
 */
class PssstLowOrderTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(21);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(22);

    @ParameterizedTest(name = "flags=0x{0}")
    @ValueSource(ints = {0, Wire.FLAG_CLIENT_AUTH})
    void server_lowOrderDhParam_everyEncoding_invalidKey(int flags) throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        SplittableRandom r = new SplittableRandom(flags);
        List<String> failures = new ArrayList<>();
        for (String point : TestKeys.LOW_ORDER) {
            for (int payload : new int[] {0, 1, 64, 100}) {
                ByteBuffer d = ByteBuffer.allocate(Wire.OVERHEAD + payload);
                Wire.putHeader(d, flags);
                d.put(TestKeys.lowOrder(point)).put(TestKeys.bytes(r, payload + Wire.TAG_LENGTH));
                serverRefuses(server, d.array(), Reason.INVALID_KEY, "dh_param " + point + ", " + payload + " B",
                        failures);
            }
        }
        assertEquals(List.of(), failures, failures.size() + " failures");
    }

    @Test
    void server_lowOrderClientKeyInProof_everyEncoding_clientAuthFailed() throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        SplittableRandom r = new SplittableRandom(23);
        List<String> failures = new ArrayList<>();
        for (String point : TestKeys.LOW_ORDER) {
            byte[] payload = Forge.proofPayload(TestKeys.lowOrder(point), TestKeys.bytes(r, 32), "hi".getBytes());
            byte[] forged = Forge.request(SERVER.publicKey(), Wire.FLAG_CLIENT_AUTH, payload, SeededRandom.of(r.nextLong()));
            serverRefuses(server, forged, Reason.CLIENT_AUTH_FAILED, "client key " + point, failures);
        }
        assertEquals(List.of(), failures, failures.size() + " failures");
    }

    /** A proof naming a genuine client key with an ephemeral that does not produce dh_param. */
    @Test
    void server_proofForAnotherClientKey_clientAuthFailed() throws Exception {
        PssstServer server = PssstServer.create(SERVER.privateKey());
        byte[] payload = Forge.proofPayload(CLIENT.rawPublic(), new byte[32], "hi".getBytes());
        byte[] forged = Forge.request(SERVER.publicKey(), Wire.FLAG_CLIENT_AUTH, payload, SeededRandom.of(24));
        List<String> failures = new ArrayList<>();
        serverRefuses(server, forged, Reason.CLIENT_AUTH_FAILED, "foreign proof", failures);
        assertEquals(List.of(), failures);
    }

    @Test
    void client_lowOrderServerKey_everyEncoding_invalidKey() {
        List<String> failures = new ArrayList<>();
        for (String point : TestKeys.LOW_ORDER) {
            expect(failures, "anonymous client of " + point, Reason.INVALID_KEY,
                    () -> PssstClient.anonymous(PssstKeys.publicKey(TestKeys.lowOrder(point))));
            expect(failures, "authenticated client of " + point, Reason.INVALID_KEY,
                    () -> PssstClient.authenticated(PssstKeys.publicKey(TestKeys.lowOrder(point)), CLIENT.privateKey()));
        }
        assertEquals(List.of(), failures, failures.size() + " failures");
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void server_requestForAnotherServer_decryptFailed(boolean auth) throws Exception {
        TestKeys.Pair other = TestKeys.pair(25);
        PssstClient client = auth ? PssstClient.authenticated(other.publicKey(), CLIENT.privateKey())
                : PssstClient.anonymous(other.publicKey());
        byte[] request = client.pack("for the other server".getBytes()).datagram();
        List<String> failures = new ArrayList<>();
        serverRefuses(PssstServer.create(SERVER.privateKey()), request, Reason.DECRYPT_FAILED, "wrong server", failures);
        assertEquals(List.of(), failures);
        assertArrayEquals("for the other server".getBytes(), PssstServer.create(other.privateKey()).open(request).message());
    }

    /** A reply whose header and request id are genuine but whose ciphertext comes from another transaction. */
    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void client_splicedReply_decryptFailed(boolean auth) throws Exception {
        PssstClient client = auth ? PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                : PssstClient.anonymous(SERVER.publicKey());
        PssstServer server = PssstServer.create(SERVER.privateKey());
        PackedRequest mine = client.pack("mine".getBytes());
        PackedRequest other = client.pack("other".getBytes());
        byte[] myReply = server.open(mine.datagram()).seal("same length".getBytes());
        byte[] otherReply = server.open(other.datagram()).seal("same-length".getBytes());
        byte[] spliced = myReply.clone();
        System.arraycopy(otherReply, Wire.PREFIX_LENGTH, spliced, Wire.PREFIX_LENGTH, otherReply.length - Wire.PREFIX_LENGTH);
        List<String> failures = new ArrayList<>();
        PssstTamperTest.clientRefuses(mine.replyOpener(), spliced, Reason.DECRYPT_FAILED, "spliced", failures);
        PssstTamperTest.clientRefuses(mine.replyOpener(), otherReply, Reason.REPLY_MISMATCH, "another's reply", failures);
        assertEquals(List.of(), failures);
        assertArrayEquals("same length".getBytes(), mine.openReply(myReply));
    }
}
