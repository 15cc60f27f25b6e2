package io.pssst.fuzz;

import static io.pssst.fuzz.Buffers.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pssst.PackedRequest;
import io.pssst.PssstException;
import io.pssst.PssstKeys;
import io.pssst.PssstServer;
import io.pssst.ReceivedRequest;
import io.pssst.ReplySealer;
import io.pssst.internal.Bytes;
import io.pssst.testing.InteropVectors.Transaction;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PssstServer#open} in every buffer form, anonymous and authenticated requests, on any
 * bytes. Input: one byte naming the interop vector whose server key opens it, one byte of
 * buffer layout, then the datagram (the seeds are the vectors' real and invalid requests).
 *
 * <p>What must hold for every input: only a {@link PssstException} escapes (or the documented
 * buffer exception the layout provoked); all forms agree on the outcome (the same reason, or
 * the same message and client key); a refusal moves no position and leaves no plaintext (the
 * output region is untouched or zeroed, nothing outside it is written); a success frames
 * exactly the message, zeroes an authenticated request's proof, and seals a reply that the
 * vector's own client opens when the datagram is the vector's request.
 */
class ServerOpenFuzzTest {

    /** What one form made of the datagram: a message and client key, or a refusal. */
    private record Outcome(byte[] message, byte[] clientKey, PssstException.Reason refused) {
        static Outcome of(PssstException e) {
            return new Outcome(null, null, e.reason());
        }

        boolean sameAs(Outcome o) {
            return refused == o.refused && Arrays.equals(message, o.message) && Arrays.equals(clientKey, o.clientKey);
        }

        @Override
        public String toString() {
            return refused != null ? "refused " + refused
                    : "opened " + message.length + " bytes" + (clientKey != null ? " from " + Bytes.hex(clientKey) : "");
        }
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void open_anyDatagram_allFormsAgreeAndRefusalsLeaveNothing(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int index = FuzzVectors.index(in.u8());
        int layout = in.u8();
        byte[] datagram = in.rest();
        PssstServer server = FuzzVectors.server(index);
        int pad = layout & 7;
        boolean readOnlyInput = (layout & 0x10) != 0;
        int extraRoom = (layout & 0x20) != 0 ? 17 : 0;

        List<ReplySealer> sealers = new ArrayList<>();
        Outcome reference = arrays(server, datagram, sealers);
        String where = "vector " + index + ", layout " + layout + ", " + datagram.length + " bytes: ";
        for (int form = 0; form < 4; form++) {
            boolean directIn = (form & 1) != 0;
            boolean directOut = (form & 2) != 0;
            Outcome o = outOfPlace(server, datagram, pad, extraRoom, directIn, directOut, readOnlyInput, sealers);
            check(o.sameAs(reference), where + "byte[] form " + reference + ", buffer form " + form + " " + o);
        }
        for (boolean direct : new boolean[] {false, true}) {
            Outcome o = inPlace(server, datagram, pad, direct, sealers);
            check(o.sameAs(reference), where + "byte[] form " + reference + ", in place (direct " + direct + ") " + o);
        }
        if ((layout & 0x08) != 0 && datagram.length > 52) {
            roomTooSmall(server, datagram, pad);
        }
        answer(index, datagram, reference, sealers);
    }

    private static Outcome arrays(PssstServer server, byte[] datagram, List<ReplySealer> sealers)
            throws Exception {
        byte[] copy = datagram.clone();
        try {
            ReceivedRequest r = server.open(copy);
            sealers.add(r.replySealer());
            check(Arrays.equals(copy, datagram), "open(byte[]) wrote into its input");
            return new Outcome(r.message(), clientKey(r.replySealer()), null);
        } catch (PssstException e) {
            check(Arrays.equals(copy, datagram), "a refusing open(byte[]) wrote into its input");
            return Outcome.of(e);
        }
    }

    private static Outcome outOfPlace(PssstServer server, byte[] datagram, int pad, int extraRoom, boolean directIn,
            boolean directOut, boolean readOnlyInput, List<ReplySealer> sealers) throws Exception {
        ByteBuffer in = Buffers.place(datagram, pad, 0, directIn);
        if (readOnlyInput) {
            in = in.asReadOnlyBuffer();
        }
        int room = Math.max(0, datagram.length - 52) + extraRoom;
        ByteBuffer out = Buffers.place(new byte[0], pad + 1, room, directOut);
        byte[] inBefore = Buffers.all(in);
        byte[] outBefore = Buffers.all(out);
        int outStart = out.position();
        try {
            ReplySealer sealer = server.open(in, out);
            sealers.add(sealer);
            check(in.position() == in.limit(), "open(ByteBuffer, ByteBuffer) did not consume the datagram");
            check(Arrays.equals(Buffers.all(in), inBefore), "open(ByteBuffer, ByteBuffer) wrote into its input");
            int n = out.position() - outStart;
            byte[] after = Buffers.all(out);
            boolean auth = clientKey(sealer) != null;
            int used = auth ? n + 64 : n;
            check(used <= room, "the message ran past the output's room");
            check(Buffers.sameOutside(outBefore, after, outStart, outStart + used),
                    "open(ByteBuffer, ByteBuffer) wrote past the message (and the proof's room)");
            check(Buffers.allZero(after, outStart + n, outStart + used), "open(ByteBuffer, ByteBuffer) left the client proof");
            return new Outcome(Buffers.range(out, outStart, outStart + n), clientKey(sealer), null);
        } catch (PssstException e) {
            check(in.position() == pad && out.position() == outStart, "a refusal moved a position");
            check(Arrays.equals(Buffers.all(in), inBefore), "a refusal wrote into the input");
            byte[] after = Buffers.all(out);
            check(Buffers.sameOutside(outBefore, after, outStart, outStart + room),
                    "a refusal wrote outside the output's room");
            check(Buffers.originalOrZero(outBefore, after, outStart, outStart + room),
                    "a refusal (" + e.reason() + ") left something other than zeros in the output: plaintext");
            return Outcome.of(e);
        }
    }

    private static Outcome inPlace(PssstServer server, byte[] datagram, int pad, boolean direct,
            List<ReplySealer> sealers) throws Exception {
        ByteBuffer b = Buffers.place(datagram, pad, 0, direct);
        byte[] before = Buffers.all(b);
        int end = pad + datagram.length;
        try {
            ReplySealer sealer = server.openInPlace(b);
            sealers.add(sealer);
            byte[] after = Buffers.all(b);
            check(b.position() >= pad + 36 && b.limit() <= end - 16, "openInPlace framed more than the plaintext");
            check(Buffers.sameOutside(before, after, pad, end), "openInPlace wrote outside the datagram");
            byte[] clientKey = clientKey(sealer);
            if (clientKey != null) {
                check(Buffers.allZero(after, b.position() - 64, b.position()), "openInPlace left the client proof");
            }
            return new Outcome(Buffers.range(b, b.position(), b.limit()), clientKey, null);
        } catch (PssstException e) {
            check(b.position() == pad && b.limit() == end, "a refused openInPlace moved position or limit");
            byte[] after = Buffers.all(b);
            check(Buffers.sameOutside(before, after, pad + 36, end - 16),
                    "a refused openInPlace changed the header, dh_param, tag or bytes outside the datagram");
            boolean decrypted = e.reason() == PssstException.Reason.DECRYPT_FAILED
                    || e.reason() == PssstException.Reason.CLIENT_AUTH_FAILED
                    || e.reason() == PssstException.Reason.MALFORMED && datagram.length >= 52;
            check(decrypted ? Buffers.originalOrZero(before, after, pad + 36, end - 16) : Arrays.equals(before, after),
                    "a refused openInPlace (" + e.reason() + ") left plaintext, or changed a datagram refused unread");
            return Outcome.of(e);
        }
    }

    /** Too little room: BufferOverflowException before any work, nothing moved or written. */
    private static void roomTooSmall(PssstServer server, byte[] datagram, int pad) throws Exception {
        ByteBuffer in = Buffers.place(datagram, pad, 0, false);
        ByteBuffer out = Buffers.place(new byte[0], pad, datagram.length - 53, false);
        byte[] outBefore = Buffers.all(out);
        try {
            server.open(in, out).destroy();
            throw new AssertionError("open into too little room did not throw BufferOverflowException");
        } catch (BufferOverflowException expected) {
            check(in.position() == pad && out.position() == pad && Arrays.equals(outBefore, Buffers.all(out)),
                    "BufferOverflowException after work");
        }
        try {
            server.openInPlace(Buffers.place(datagram, pad, 0, false).asReadOnlyBuffer()).destroy();
            throw new AssertionError("openInPlace of a read-only buffer did not throw ReadOnlyBufferException");
        } catch (ReadOnlyBufferException expected) {
            // documented, checked before any work
        }
    }

    /**
     * Seals the reply to an opened request once (the other forms' sealers are destroyed); if
     * the datagram is the vector's own request, the vector's client must open that reply.
     */
    private static void answer(int index, byte[] datagram, Outcome reference, List<ReplySealer> sealers)
            throws Exception {
        if (reference.refused != null) {
            check(sealers.isEmpty(), "a form opened what the others refused");
            return;
        }
        byte[] replyMessage = "fuzz reply".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] reply = sealers.get(0).seal(replyMessage);
        for (ReplySealer s : sealers.subList(1, sealers.size())) {
            s.destroy();
        }
        Transaction v = FuzzVectors.get(index);
        if (Arrays.equals(datagram, v.request())) {
            check(Arrays.equals(reference.message, v.requestMessage()), "the vector's request opened to another message");
            PackedRequest p = FuzzVectors.pack(v);
            check(Arrays.equals(p.openReply(reply), replyMessage), "the vector's client did not open the reply");
            check(Objects.equals(v.clientPublic() == null ? null : Bytes.hex(v.clientPublic()),
                    reference.clientKey == null ? null : Bytes.hex(reference.clientKey)), "wrong client key");
        }
    }

    private static byte[] clientKey(ReplySealer sealer) throws Exception {
        return sealer.clientKey().isPresent() ? PssstKeys.toRaw(sealer.clientKey().get()) : null;
    }
}
