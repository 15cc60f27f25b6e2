package io.pssst.fuzz;

import static io.pssst.fuzz.Buffers.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pssst.PssstException;
import io.pssst.ReplyOpener;
import io.pssst.testing.InteropVectors.Transaction;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ReplyOpener#open} in every form, for a request the target packed, on any bytes.
 * Input: one byte naming the interop vector (the target packs that vector's request again,
 * with the vector's ephemeral key, so the request id is the vector's), one byte of buffer
 * layout, then the reply (the seeds are the vectors' real and invalid replies).
 *
 * <p>What must hold: only a {@link PssstException} escapes (or the documented
 * {@code BufferOverflowException} the layout provoked); all forms agree; a refusal moves no
 * position, writes nothing outside the output's room, leaves no plaintext (a reply refused
 * in place keeps its header, id and tag and has its ciphertext zeroed after a tag failure),
 * and does not use the opener up: after a tag failure the same opener still opens the
 * genuine reply; {@code isAnsweredBy} is true of every reply that opens.
 *
 * <p>Openers are kept between runs (packing costs two X25519) and replaced once used: a
 * refusal leaves an opener as it was, which this target checks as it goes.
 */
class ReplyOpenFuzzTest {
    private static final int FORMS = 6;
    private static final ReplyOpener[][] OPENERS = new ReplyOpener[FuzzVectors.all().size()][FORMS];

    private record Outcome(byte[] message, PssstException.Reason refused) {
        boolean sameAs(Outcome o) {
            return refused == o.refused && Arrays.equals(message, o.message);
        }

        @Override
        public String toString() {
            return refused != null ? "refused " + refused : "opened " + message.length + " bytes";
        }
    }

    @Timeout(value = 60, unit = TimeUnit.SECONDS) // per input: a hang is a finding, not a stuck build
    @FuzzTest
    void open_anyReply_allFormsAgreeRefusalsLeaveNothingAndKeepTheOpener(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        int index = FuzzVectors.index(in.u8());
        int layout = in.u8();
        byte[] reply = in.rest();
        int pad = layout & 7;
        String where = "vector " + index + ", layout " + layout + ", " + reply.length + " bytes: ";

        Outcome reference = null;
        for (int form = 0; form < FORMS; form++) {
            ReplyOpener opener = opener(index, form);
            boolean claimed = opener.isAnsweredBy(ByteBuffer.wrap(reply.clone()));
            Outcome o = form == 0 ? arrays(opener, reply)
                    : form <= 3 ? outOfPlace(opener, reply, pad, (form & 1) != 0, (form & 2) != 0, layout)
                    : inPlace(opener, reply, pad, form == 5);
            check(o.refused != null || claimed, where + "a reply opened that isAnsweredBy said does not answer");
            check(o.refused == null == opener.isAnswered(), where + "form " + form + " " + o + " but isAnswered "
                    + opener.isAnswered());
            if (reference == null) {
                reference = o;
            }
            check(o.sameAs(reference), where + "form 0 " + reference + ", form " + form + " " + o);
            if (o.refused == PssstException.Reason.DECRYPT_FAILED && form == (layout >> 6)) {
                genuineStillOpens(index, opener, where);
            }
        }
        if (reference.refused == null && Arrays.equals(reply, FuzzVectors.get(index).reply())) {
            check(Arrays.equals(reference.message, FuzzVectors.get(index).replyMessage()),
                    where + "the vector's reply opened to another message");
        }
        if ((layout & 0x08) != 0 && reply.length > 52) {
            roomTooSmall(index, reply, pad, where);
        }
    }

    /** The opener of {@code form} for vector {@code index}: a new one once the last was used. */
    private static ReplyOpener opener(int index, int form) throws Exception {
        ReplyOpener o = OPENERS[index][form];
        if (o == null || o.isAnswered()) {
            o = FuzzVectors.pack(FuzzVectors.get(index)).replyOpener();
            OPENERS[index][form] = o;
        }
        return o;
    }

    private static void genuineStillOpens(int index, ReplyOpener opener, String where) {
        Transaction v = FuzzVectors.get(index);
        try {
            check(Arrays.equals(opener.open(v.reply()), v.replyMessage()), where + "the genuine reply opened wrong");
        } catch (PssstException e) {
            throw new AssertionError(where + "after a forged reply the genuine one was refused: the forgery used the"
                    + " opener up", e);
        }
    }

    private static Outcome arrays(ReplyOpener opener, byte[] reply) {
        byte[] copy = reply.clone();
        try {
            byte[] m = opener.open(copy);
            check(Arrays.equals(copy, reply), "open(byte[]) wrote into its input");
            return new Outcome(m, null);
        } catch (PssstException e) {
            check(Arrays.equals(copy, reply), "a refusing open(byte[]) wrote into its input");
            return new Outcome(null, e.reason());
        }
    }

    private static Outcome outOfPlace(ReplyOpener opener, byte[] reply, int pad, boolean directIn, boolean directOut,
            int layout) {
        ByteBuffer in = Buffers.place(reply, pad, 0, directIn);
        if ((layout & 0x10) != 0) {
            in = in.asReadOnlyBuffer();
        }
        int room = Math.max(0, reply.length - 52) + ((layout & 0x20) != 0 ? 9 : 0);
        ByteBuffer out = Buffers.place(new byte[0], pad + 2, room, directOut);
        byte[] inBefore = Buffers.all(in);
        byte[] outBefore = Buffers.all(out);
        int outStart = out.position();
        try {
            opener.open(in, out);
            int n = out.position() - outStart;
            check(in.position() == in.limit(), "open(ByteBuffer, ByteBuffer) did not consume the reply");
            check(Arrays.equals(Buffers.all(in), inBefore), "open(ByteBuffer, ByteBuffer) wrote into its input");
            check(Buffers.sameOutside(outBefore, Buffers.all(out), outStart, outStart + n),
                    "open(ByteBuffer, ByteBuffer) wrote past the message");
            return new Outcome(Buffers.range(out, outStart, outStart + n), null);
        } catch (PssstException e) {
            byte[] after = Buffers.all(out);
            check(in.position() == pad && out.position() == outStart, "a refusal moved a position");
            check(Arrays.equals(Buffers.all(in), inBefore), "a refusal wrote into the input");
            check(Buffers.sameOutside(outBefore, after, outStart, outStart + room), "a refusal wrote outside the room");
            check(Buffers.originalOrZero(outBefore, after, outStart, outStart + room),
                    "a refusal (" + e.reason() + ") left something other than zeros in the output: plaintext");
            return new Outcome(null, e.reason());
        }
    }

    private static Outcome inPlace(ReplyOpener opener, byte[] reply, int pad, boolean direct) {
        ByteBuffer b = Buffers.place(reply, pad, 0, direct);
        byte[] before = Buffers.all(b);
        int end = pad + reply.length;
        try {
            opener.openInPlace(b);
            check(b.position() == pad + 36 && b.limit() == end - 16, "openInPlace framed something else than the message");
            check(Buffers.sameOutside(before, Buffers.all(b), pad + 36, end - 16), "openInPlace wrote outside the message");
            return new Outcome(Buffers.range(b, b.position(), b.limit()), null);
        } catch (PssstException e) {
            byte[] after = Buffers.all(b);
            check(b.position() == pad && b.limit() == end, "a refused openInPlace moved position or limit");
            if (e.reason() == PssstException.Reason.DECRYPT_FAILED) {
                check(Buffers.sameOutside(before, after, pad + 36, end - 16)
                        && Buffers.allZero(after, pad + 36, end - 16),
                        "a reply refused in place by its tag: ciphertext not zeroed, or header, id or tag changed");
            } else {
                check(Arrays.equals(before, after), "a reply refused (" + e.reason() + ") before decryption was changed");
            }
            return new Outcome(null, e.reason());
        }
    }

    /** Too little room: a refusal of the header, else BufferOverflowException before decryption. */
    private static void roomTooSmall(int index, byte[] reply, int pad, String where) throws Exception {
        ReplyOpener opener = opener(index, 0);
        ByteBuffer in = Buffers.place(reply, pad, 0, false);
        ByteBuffer out = Buffers.place(new byte[0], pad, reply.length - 53, false);
        byte[] outBefore = Buffers.all(out);
        try {
            opener.open(in, out);
            throw new AssertionError(where + "a reply opened into too little room");
        } catch (BufferOverflowException | PssstException expected) {
            check(in.position() == pad && out.position() == pad && Arrays.equals(outBefore, Buffers.all(out))
                    && !opener.isAnswered(), where + "too little room, yet something moved or was written");
        }
    }
}
