package io.pssst.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.pssst.internal.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * The Wycheproof files (bundled under {@code src/test/resources/third_party/wycheproof/}, or
 * from {@code -Dpssst.shared}: see {@link SharedData}), flattened to one case per test.
 * Reading a case's test fields ({@link Case#hex}, {@link Case#string}) in a test of a class
 * marked {@link RequiresSharedData} counts it as checked there, if that test passes (see
 * {@link VectorTally}).
 */
public final class Wycheproof {
    public static final String DIR = "wycheproof/";

    /** One test of a file, with the group it belongs to and the file's name. */
    public record Case(int tcId, String comment, String result, List<String> flags, JsonObject group,
            JsonObject test, String file) {

        /** A case of no named file. */
        public Case(int tcId, String comment, String result, List<String> flags, JsonObject group, JsonObject test) {
            this(tcId, comment, result, flags, group, test, "");
        }

        public boolean valid() {
            return result.equals("valid");
        }

        public boolean acceptable() {
            return result.equals("acceptable");
        }

        public boolean invalid() {
            return result.equals("invalid");
        }

        /** A hex field of the test, decoded. */
        public byte[] hex(String name) {
            return Bytes.unhex(string(name));
        }

        /** A string field of the test. */
        public String string(String name) {
            VectorTally.checking("Wycheproof " + file, "cases", tcId);
            return test.get(name).getAsString();
        }

        /** An integer field of the group, e.g. {@code keySize}. */
        public int groupInt(String name) {
            return group.get(name).getAsInt();
        }

        /** A string field of the group, e.g. {@code curve}. */
        public String groupString(String name) {
            return group.get(name).getAsString();
        }

        @Override
        public String toString() {
            return "tcId " + tcId + " (" + result + ", " + String.join(",", flags)
                    + (comment.isEmpty() ? "" : ", " + comment) + ")";
        }
    }

    private Wycheproof() {
    }

    /** Every test of {@code file} (e.g. {@code x25519_test.json}), in file order. */
    public static List<Case> cases(String file) {
        JsonObject root = SharedData.json(DIR + file);
        List<Case> out = new ArrayList<>();
        for (JsonElement g : root.getAsJsonArray("testGroups")) {
            JsonObject group = g.getAsJsonObject();
            for (JsonElement t : group.getAsJsonArray("tests")) {
                JsonObject test = t.getAsJsonObject();
                List<String> flags = new ArrayList<>();
                if (test.has("flags")) {
                    test.getAsJsonArray("flags").forEach(f -> flags.add(f.getAsString()));
                }
                out.add(new Case(test.get("tcId").getAsInt(),
                        test.has("comment") ? test.get("comment").getAsString() : "",
                        test.get("result").getAsString(), List.copyOf(flags), group, test, file));
            }
        }
        return out;
    }

    /** The number of tests the file's header announces, to check nothing was skipped. */
    public static int announced(String file) {
        return SharedData.json(DIR + file).get("numberOfTests").getAsInt();
    }
}
