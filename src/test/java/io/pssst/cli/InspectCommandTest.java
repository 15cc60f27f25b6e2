package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import io.pssst.PssstServer;
import io.pssst.internal.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
    private final KeyPair server = PssstKeys.generateKeyPair();
    private final KeyPair client = PssstKeys.generateKeyPair();

    private PackedRequest request(boolean auth, String message) throws Exception {
        XECPublicKey s = (XECPublicKey) server.getPublic();
        PssstClient c = auth ? PssstClient.authenticated(s, (XECPrivateKey) client.getPrivate()) : PssstClient.anonymous(s);
        return c.pack(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String field(CliRun r, String label) {
        for (String line : r.out().split("\n")) {
            if (line.startsWith(label + " ")) {
                return line.substring(12).strip();
            }
        }
        throw new AssertionError("no " + label + " in\n" + r);
    }

    @Test
    void inspect_anonymousRequest_describesIt() throws Exception {
        byte[] d = request(false, "hello").datagram();
        CliRun r = CliRun.run("inspect", Bytes.hex(d));
        assertEquals(0, r.status(), r::toString);
        assertEquals("57 bytes", field(r, "length"));
        assertTrue(field(r, "direction").startsWith("request"));
        assertEquals("no", field(r, "client"));
        assertEquals("1 (X25519_AESGCM128)", field(r, "suite"));
        assertTrue(field(r, "dh_param").startsWith(Bytes.hex(Arrays.copyOfRange(d, 4, 36))));
        assertEquals("5 bytes (encrypted)", field(r, "message"));
        assertTrue(field(r, "overhead").startsWith("52 bytes"), r::toString);
        assertTrue(field(r, "verdict").startsWith("well-formed"));
    }

    @Test
    void inspect_authenticatedRequestFromStdin_countsTheProof() throws Exception {
        byte[] d = request(true, "hello").datagram();
        CliRun r = CliRun.runWithInput(Bytes.hex(d).toUpperCase() + "\n", "inspect", "-");
        assertEquals(0, r.status(), r::toString);
        assertTrue(field(r, "client").startsWith("yes"));
        assertEquals("5 bytes (encrypted)", field(r, "message"));
        assertTrue(field(r, "overhead").startsWith("116 bytes"), r::toString);
    }

    @Test
    void inspect_replyRawFromStdin_isAReply() throws Exception {
        PackedRequest req = request(true, "x");
        byte[] reply = PssstServer.create((XECPrivateKey) server.getPrivate()).open(req.datagram()).seal(new byte[3]);
        CliRun r = CliRun.runWithInput(reply, "inspect", "--raw");
        assertEquals(0, r.status(), r::toString);
        assertTrue(field(r, "direction").startsWith("reply"));
        assertEquals("3 bytes (encrypted)", field(r, "message"));
        assertTrue(field(r, "dh_param").startsWith(Bytes.hex(req.replyOpener().requestId())));
    }

    @Test
    void inspect_tooShort_malformed() {
        CliRun r = CliRun.run("inspect", "0000 0001 aabb");
        assertEquals(1, r.status(), r::toString);
        assertTrue(field(r, "verdict").startsWith("malformed: request of 6 bytes"), r::toString);
    }

    @Test
    void inspect_threeBytes_cannotHoldHeader() {
        CliRun r = CliRun.run("inspect", "00:00:01");
        assertEquals(1, r.status());
        assertTrue(field(r, "verdict").contains("cannot even hold the 4-byte header"), r::toString);
    }

    @Test
    void inspect_wrongSuite_unsupported() throws Exception {
        byte[] d = request(false, "hi").datagram();
        d[3] = 7;
        CliRun r = CliRun.run("inspect", Bytes.hex(d));
        assertEquals(1, r.status());
        assertTrue(field(r, "suite").startsWith("7 (unknown)"));
        assertTrue(field(r, "verdict").startsWith("unsupported-suite"), r::toString);
    }

    @Test
    void inspect_clientAuthTooShortForProof_malformed() throws Exception {
        byte[] d = request(false, "0123456789").datagram();
        d[0] = 0x40;
        CliRun r = CliRun.run("inspect", Bytes.hex(d));
        assertEquals(1, r.status());
        assertTrue(field(r, "verdict").contains("too short for the 64-byte client proof"), r::toString);
    }

    @Test
    void inspect_lowOrderDhParam_invalidKey() throws Exception {
        byte[] d = request(false, "hi").datagram();
        Arrays.fill(d, 4, 36, (byte) 0);
        d[4] = 1; // u = 1, a point of order 4
        CliRun r = CliRun.run("inspect", Bytes.hex(d));
        assertEquals(1, r.status());
        assertTrue(field(r, "verdict").startsWith("invalid-key"), r::toString);
    }

    @Test
    void inspect_reservedBits_notedButWellFormed() throws Exception {
        byte[] d = request(false, "hi").datagram();
        d[1] = 0x01;
        CliRun r = CliRun.run("inspect", Bytes.hex(d));
        assertEquals(0, r.status());
        assertTrue(field(r, "verdict").contains("reserved flag bits 0x0001"), r::toString);
    }

    @Test
    void inspect_notHex_failsWithOneLine() {
        CliRun r = CliRun.run("inspect", "xyz1");
        assertEquals(1, r.status());
        assertTrue(r.errIsOneLine(), r::toString);
        assertTrue(r.err().contains("not hex"), r::toString);
    }

    @Test
    void inspect_oddHex_failsWithOneLine() {
        CliRun r = CliRun.run("inspect", "abc");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("odd number of digits"), r::toString);
    }
}
