package io.pssst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pssst.PssstException.Reason;
import io.pssst.internal.Bytes;
import io.pssst.internal.Forge;
import io.pssst.internal.Wire;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every single-byte alteration and every truncation of a genuine request and reply is
 * refused, with the protocol's reason for that byte, through the byte[] path, the buffer path
 * (no buffer moves, no plaintext written) and the in-place path (buffer unchanged). Failures
 * are collected, so one run lists every position that misbehaves.
 */
class PssstTamperTest {
    /** Bit 0 (a reserved flag bit in byte 0), bit 6 (CLIENT_AUTH in byte 0), bit 7 (REPLY in byte 0). */
    private static final int[] MASKS = {0x01, 0x40, 0x80};
    private static final TestKeys.Pair SERVER = TestKeys.pair(11);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(12);
    private static final byte[] REQUEST = "tamper with me, if you can; every byte counts".getBytes();
    private static final byte[] REPLY = "and the reply too".getBytes();

    private static PssstClient client(boolean auth, long seed) throws PssstException {
        return (auth ? PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                : PssstClient.anonymous(SERVER.publicKey())).withRandom(SeededRandom.of(seed));
    }

    private static PssstServer server() throws PssstException {
        return PssstServer.create(SERVER.privateKey());
    }

    /** The reason a server must give for a request whose byte {@code i} was XORed with {@code mask}. */
    static Reason requestReason(int i, int mask) {
        if (i == 0 && (mask & 0x80) != 0) {
            return Reason.NOT_REQUEST;
        }
        if (i == 2 || i == 3) {
            return Reason.UNSUPPORTED_SUITE;
        }
        // Flags (CLIENT_AUTH, reserved bits) are authenticated data; dh_param changes the keys.
        return Reason.DECRYPT_FAILED;
    }

    /** The reason a client must give for a reply whose byte {@code i} was XORed with {@code mask}. */
    static Reason replyReason(int i, int mask) {
        if (i == 0 && (mask & 0x80) != 0) {
            return Reason.NOT_REPLY;
        }
        if (i == 0 && (mask & 0x40) != 0 || i >= 2 && i < Wire.PREFIX_LENGTH) {
            return Reason.REPLY_MISMATCH; // CLIENT_AUTH flag, suite or request id differ from the request's
        }
        return Reason.DECRYPT_FAILED;
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void request_everyByteAltered_refusedWithItsReason(boolean auth) throws Exception {
        byte[] genuine = client(auth, 1).pack(REQUEST).datagram();
        PssstServer server = server();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < genuine.length; i++) {
            for (int mask : MASKS) {
                byte[] bad = genuine.clone();
                bad[i] ^= (byte) mask;
                serverRefuses(server, bad, requestReason(i, mask), "byte " + i + " ^ 0x" + Integer.toHexString(mask),
                        failures);
            }
        }
        assertEquals(List.of(), failures, failures.size() + " failures");
        assertArrayEquals(REQUEST, server.open(genuine).message(), "the genuine request still opens");
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void reply_everyByteAltered_refusedWithItsReason_genuineStillOpens(boolean auth) throws Exception {
        PackedRequest request = client(auth, 2).pack(REQUEST);
        byte[] genuine = server().open(request.datagram()).seal(REPLY);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < genuine.length; i++) {
            for (int mask : MASKS) {
                byte[] bad = genuine.clone();
                bad[i] ^= (byte) mask;
                clientRefuses(request.replyOpener(), bad, replyReason(i, mask),
                        "byte " + i + " ^ 0x" + Integer.toHexString(mask), failures);
            }
        }
        assertEquals(List.of(), failures, failures.size() + " failures");
        assertArrayEquals(REPLY, request.openReply(genuine), "a refused forgery must not use up the reply context");
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void request_truncatedToEveryLength_orExtended_refused(boolean auth) throws Exception {
        byte[] genuine = client(auth, 3).pack(REQUEST).datagram();
        PssstServer server = server();
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < genuine.length; n++) {
            serverRefuses(server, Arrays.copyOf(genuine, n), n < Wire.OVERHEAD ? Reason.MALFORMED : Reason.DECRYPT_FAILED,
                    "truncated to " + n, failures);
        }
        for (int extra = 1; extra <= 17; extra += 16) {
            serverRefuses(server, Arrays.copyOf(genuine, genuine.length + extra), Reason.DECRYPT_FAILED,
                    extra + " bytes appended", failures);
        }
        assertEquals(List.of(), failures, failures.size() + " failures");
    }

    @ParameterizedTest(name = "auth={0}")
    @ValueSource(booleans = {false, true})
    void reply_truncatedToEveryLength_orExtended_refused(boolean auth) throws Exception {
        PackedRequest request = client(auth, 4).pack(REQUEST);
        byte[] genuine = server().open(request.datagram()).seal(REPLY);
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < genuine.length; n++) {
            clientRefuses(request.replyOpener(), Arrays.copyOf(genuine, n),
                    n < Wire.OVERHEAD ? Reason.MALFORMED : Reason.DECRYPT_FAILED, "truncated to " + n, failures);
        }
        clientRefuses(request.replyOpener(), Arrays.copyOf(genuine, genuine.length + 1), Reason.DECRYPT_FAILED,
                "one byte appended", failures);
        assertEquals(List.of(), failures, failures.size() + " failures");
        assertArrayEquals(REPLY, request.openReply(genuine));
    }

    /**
     * Around the client proof: a request with CLIENT_AUTH whose (genuinely sealed) payload is
     * shorter than the 64-byte proof is malformed; 64 bytes that are not a proof fail client
     * authentication; a real authenticated request with an empty or 1-byte message opens.
     */
    @Test
    void authPayload_aroundTheProofLength_refusedOrOpened() throws Exception {
        PssstServer server = server();
        SplittableRandom r = new SplittableRandom(5);
        List<String> failures = new ArrayList<>();
        for (int n = 0; n <= Wire.CLIENT_PROOF_LENGTH + 1; n++) {
            byte[] forged = Forge.request(SERVER.publicKey(), Wire.FLAG_CLIENT_AUTH, TestKeys.bytes(r, n),
                    SeededRandom.of(n));
            serverRefuses(server, forged, n < Wire.CLIENT_PROOF_LENGTH ? Reason.MALFORMED : Reason.CLIENT_AUTH_FAILED,
                    "client-auth payload of " + n + " random bytes", failures);
        }
        assertEquals(List.of(), failures, failures.size() + " failures");
        for (int n = 0; n <= 1; n++) {
            byte[] message = TestKeys.bytes(r, n);
            ReceivedRequest opened = server.open(client(true, 6 + n).pack(message).datagram());
            assertArrayEquals(message, opened.message());
            assertArrayEquals(CLIENT.rawPublic(), PssstKeys.toRaw(opened.clientKey().orElseThrow()));
        }
    }

    /** Filler around every buffer a refusal is given: it must survive every refusal. */
    private static final byte SENTINEL = 0x5a;
    /** Where a datagram starts inside its buffer. */
    private static final int BEFORE = 5;
    /** Where the output room starts inside its buffer. */
    private static final int ROOM_AT = 7;

    /**
     * Refused through all server paths (byte[]; heap and direct buffers; heap and direct in
     * place), with the reason, moving nothing, leaving no plaintext and touching no byte
     * outside the region it was given.
     */
    static void serverRefuses(PssstServer server, byte[] bad, Reason reason, String what, List<String> failures) {
        expect(failures, what + " [byte[]]", reason, () -> server.open(bad));
        for (boolean direct : new boolean[] {false, true}) {
            String kind = direct ? " [direct" : " [heap";
            ByteBuffer in = embed(!direct, bad);
            ByteBuffer out = room(direct, bad.length);
            expect(failures, what + kind + " buffers]", reason, () -> server.open(in, out));
            checkBuffers(bad, in, out, reason, what + kind + " buffers]", failures);
            ByteBuffer inPlace = embed(direct, bad);
            expect(failures, what + kind + " in place]", reason, () -> server.openInPlace(inPlace));
            checkInPlace(bad, inPlace, reason, what + kind + " in place]", failures);
        }
    }

    /** Refused through all client paths, as {@link #serverRefuses}; the opener stays unanswered. */
    static void clientRefuses(ReplyOpener opener, byte[] bad, Reason reason, String what, List<String> failures) {
        expect(failures, what + " [byte[]]", reason, () -> opener.open(bad));
        for (boolean direct : new boolean[] {false, true}) {
            String kind = direct ? " [direct" : " [heap";
            ByteBuffer in = embed(!direct, bad);
            ByteBuffer out = room(direct, bad.length);
            expect(failures, what + kind + " buffers]", reason, () -> opener.open(in, out));
            checkBuffers(bad, in, out, reason, what + kind + " buffers]", failures);
            ByteBuffer inPlace = embed(direct, bad);
            expect(failures, what + kind + " in place]", reason, () -> opener.openInPlace(inPlace));
            checkInPlace(bad, inPlace, reason, what + kind + " in place]", failures);
        }
        if (opener.isAnswered()) {
            failures.add(what + ": the opener counts itself answered");
        }
    }

    /** Whether a refusal for {@code reason} came after decrypting (so a JDK may have written there). */
    private static boolean decrypted(byte[] bad, Reason reason) {
        return reason == Reason.DECRYPT_FAILED || reason == Reason.CLIENT_AUTH_FAILED
                || reason == Reason.MALFORMED && bad.length >= Wire.OVERHEAD;
    }

    /**
     * After a refused open into a second buffer: the datagram is untouched and unmoved; the
     * output buffer has not moved, its room is zeroed if decryption ran (and untouched if
     * not), and no byte outside that room changed.
     */
    private static void checkBuffers(byte[] bad, ByteBuffer in, ByteBuffer out, Reason reason, String what,
            List<String> failures) {
        if (in.position() != BEFORE || out.position() != ROOM_AT) {
            failures.add(what + ": a buffer moved");
        }
        if (!Arrays.equals(contents(in), contents(embed(false, bad)))) {
            failures.add(what + ": the refused datagram was altered");
        }
        byte[] expected = contents(room(false, bad.length));
        if (decrypted(bad, reason)) {
            Arrays.fill(expected, ROOM_AT, ROOM_AT + bad.length - Wire.OVERHEAD, (byte) 0);
        }
        if (!Arrays.equals(expected, contents(out))) {
            failures.add(what + ": the output buffer holds other than zeros in its room and filler around it");
        }
    }

    /**
     * After a refused in-place open: position and limit as they were; a datagram refused
     * before decryption is unchanged; one refused after decrypting (tag, or the client
     * proof) has its ciphertext region zeroed, so no unauthenticated plaintext is left in it,
     * whatever the JDK's AES-GCM does in place; no byte outside the datagram changes.
     */
    static void checkInPlace(byte[] bad, ByteBuffer after, Reason reason, String what, List<String> failures) {
        if (after.position() != BEFORE || after.limit() != BEFORE + bad.length) {
            failures.add(what + ": position/limit moved");
            return;
        }
        byte[] expected = contents(embed(false, bad));
        if (decrypted(bad, reason)) {
            Arrays.fill(expected, BEFORE + Wire.PREFIX_LENGTH, BEFORE + bad.length - Wire.TAG_LENGTH, (byte) 0);
        }
        if (!Arrays.equals(expected, contents(after))) {
            failures.add(what + (decrypted(bad, reason) ? ": not exactly the ciphertext region was wiped"
                    : ": the datagram or its surroundings were altered"));
        }
    }

    /** {@code content} at position {@link #BEFORE} of a larger buffer, limit at its end, filler around. */
    static ByteBuffer embed(boolean direct, byte[] content) {
        ByteBuffer b = filled(direct, BEFORE + content.length + 6);
        b.put(BEFORE, content);
        return b.limit(BEFORE + content.length).position(BEFORE);
    }

    /** Room for at least {@code n} bytes from position {@link #ROOM_AT}, filler everywhere. */
    static ByteBuffer room(boolean direct, int n) {
        return filled(direct, ROOM_AT + n + 9).position(ROOM_AT);
    }

    private static ByteBuffer filled(boolean direct, int capacity) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            b.put(i, SENTINEL);
        }
        return b;
    }

    /** Every byte of the buffer, 0 to capacity. */
    private static byte[] contents(ByteBuffer b) {
        return Bytes.copyAt(b.duplicate().clear(), 0, b.capacity());
    }

    /** An action that must be refused. */
    @FunctionalInterface
    interface Refusable {
        void run() throws Exception;
    }

    static void expect(List<String> failures, String what, Reason reason, Refusable action) {
        try {
            action.run();
            failures.add(what + ": accepted");
        } catch (PssstException e) {
            if (e.reason() != reason) {
                failures.add(what + ": " + e.reason() + " (" + e.getMessage() + "), expected " + reason);
            }
        } catch (Exception | Error e) {
            failures.add(what + ": " + e);
        }
    }
}
