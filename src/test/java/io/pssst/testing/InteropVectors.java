package io.pssst.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.pssst.internal.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The interop vectors ({@code vectors/pssst-interop-vectors.json}: bundled under
 * {@code src/test/resources/}, or from {@code -Dpssst.shared}; see {@link SharedData}), typed.
 * A test of a class marked {@link RequiresSharedData} that passes with a {@link Transaction}
 * or {@link Invalid} as argument counts it as checked ({@link VectorTally}).
 */
public final class InteropVectors {
    public static final String FILE = "vectors/pssst-interop-vectors.json";
    /** JUnit {@code @MethodSource} names of {@link #transactions()}, {@link #serverInvalid()}, {@link #clientInvalid()}. */
    public static final String TRANSACTIONS = "io.pssst.testing.InteropVectors#transactions";
    public static final String SERVER_INVALID = "io.pssst.testing.InteropVectors#serverInvalid";
    public static final String CLIENT_INVALID = "io.pssst.testing.InteropVectors#clientInvalid";

    /** One full transaction. Byte strings decoded; clientPrivate null for anonymous. */
    public record Transaction(int id, String comment, byte[] serverPrivate, byte[] serverPublic,
            byte[] clientPrivate, byte[] clientPublic, byte[] ephemeralPrivate, byte[] requestMessage,
            byte[] request, byte[] replyMessage, byte[] reply) {
        @Override
        public String toString() {
            return "#" + id + " " + comment;
        }
    }

    /** A packet that must be refused, with the acceptable reasons (first preferred). */
    public record Invalid(int id, String side, Transaction base, byte[] packet, List<String> errors,
            String comment) {
        @Override
        public String toString() {
            return "#" + id + " " + side + ": " + comment;
        }
    }

    private InteropVectors() {
    }

    public static List<Transaction> transactions() {
        List<Transaction> out = new ArrayList<>();
        for (JsonElement e : SharedData.json(FILE).getAsJsonArray("vectors")) {
            JsonObject v = e.getAsJsonObject();
            out.add(new Transaction(v.get("id").getAsInt(), v.get("comment").getAsString(),
                    hex(v, "serverPrivate"), hex(v, "serverPublic"), hex(v, "clientPrivate"),
                    hex(v, "clientPublic"), hex(v, "ephemeralPrivate"), hex(v, "requestMessage"),
                    hex(v, "request"), hex(v, "replyMessage"), hex(v, "reply")));
        }
        return out;
    }

    public static List<Invalid> invalid() {
        Map<Integer, Transaction> byId = transactions().stream()
                .collect(Collectors.toMap(Transaction::id, Function.identity()));
        List<Invalid> out = new ArrayList<>();
        for (JsonElement e : SharedData.json(FILE).getAsJsonArray("invalid")) {
            JsonObject v = e.getAsJsonObject();
            List<String> errors = new ArrayList<>();
            v.getAsJsonArray("errors").forEach(x -> errors.add(x.getAsString()));
            out.add(new Invalid(v.get("id").getAsInt(), v.get("side").getAsString(),
                    byId.get(v.get("base").getAsInt()), hex(v, "packet"), errors, v.get("comment").getAsString()));
        }
        return out;
    }

    /** The invalid requests: give each to the server of its base vector. A JUnit method source. */
    public static List<Invalid> serverInvalid() {
        return invalid("server");
    }

    /** The invalid replies: give each to the client of its base vector's request. A JUnit method source. */
    public static List<Invalid> clientInvalid() {
        return invalid("client");
    }

    private static List<Invalid> invalid(String side) {
        return invalid().stream().filter(v -> v.side().equals(side)).collect(Collectors.toList());
    }

    private static byte[] hex(JsonObject v, String name) {
        JsonElement e = v.get(name);
        return e == null || e.isJsonNull() ? null : Bytes.unhex(e.getAsString());
    }
}
