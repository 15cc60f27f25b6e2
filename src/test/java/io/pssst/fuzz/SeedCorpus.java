package io.pssst.fuzz;

import io.pssst.PssstKeys;
import io.pssst.internal.Bytes;
import io.pssst.testing.InteropVectors;
import io.pssst.testing.InteropVectors.Invalid;
import io.pssst.testing.InteropVectors.Transaction;
import io.pssst.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed corpus of every fuzz target, made from the interop vectors and real keys so that
 * the fuzzer starts past the length, header, request-id and format checks. Jazzer replays
 * these files (and any crash reproducer beside them) as regression tests under plain
 * {@code mvn test}: {@code src/test/resources/<package>/<Class>Inputs/<method>/}.
 * {@link SeedCorpusTest} checks that the files in the repository are these.
 *
 * <p>Run {@code main} (from the project root) to write them again after changing a target's
 * input format or the vectors.
 */
final class SeedCorpus {
    static final String SERVER_OPEN = "io/pssst/fuzz/ServerOpenFuzzTestInputs/open_anyDatagram_allFormsAgreeAndRefusalsLeaveNothing";
    static final String REPLY_OPEN = "io/pssst/fuzz/ReplyOpenFuzzTestInputs/open_anyReply_allFormsAgreeRefusalsLeaveNothingAndKeepTheOpener";
    static final String JCA_SERVER = "io/pssst/fuzz/JcaFuzzTestInputs/serverDoFinal_anyRequest_refusalsAreBadPaddingAsTheNativeApi";
    static final String JCA_CLIENT = "io/pssst/fuzz/JcaFuzzTestInputs/clientDoFinal_anyReply_refusalsKeepTheTransactionKey";
    static final String JCA_AGREEMENT = "io/pssst/fuzz/JcaFuzzTestInputs/keyAgreementDoPhase_anyDhParam_lowOrderIsInvalidKeyThenCipherOpens";
    static final String KEYS = "io/pssst/fuzz/PssstKeysFuzzTestInputs/parse_anyInput_onlyInvalidKeyMaterialAndConsistentForms";
    static final String INSPECT = "io/pssst/cli/InspectFuzzTestInputs/inspect_anyInput_documentedStatusAndOneLineErrors";
    static final String SERVER_CHANNEL = "io/pssst/fuzz/ServerChannelFuzzTestInputs/receive_fuzzedDatagrams_everyOneCountedOnlyGenuineDelivered";
    static final String CLIENT_CHANNEL = "io/pssst/fuzz/ClientChannelFuzzTestInputs/receive_fuzzedDatagrams_everyOneCountedOnlyFirstGenuineReplyDelivered";

    private SeedCorpus() {
    }

    /** Directory (relative to the test resources) to file name to content. */
    static Map<String, Map<String, byte[]>> all() throws Exception {
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put(SERVER_OPEN, datagrams(true, i -> 0x28 | i % 8));
        all.put(REPLY_OPEN, datagrams(false, i -> (i % 4) << 6 | 0x08 | i % 8 | (i % 3 == 0 ? 0x30 : 0)));
        all.put(JCA_SERVER, datagrams(true, i -> i * 37 % 256));
        all.put(JCA_CLIENT, datagrams(false, i -> i * 41 % 256));
        all.put(JCA_AGREEMENT, agreement());
        all.put(KEYS, keys());
        all.put(INSPECT, inspect());
        all.put(SERVER_CHANNEL, serverChannel());
        all.put(CLIENT_CHANNEL, clientChannel());
        return all;
    }

    interface Layout {
        int of(int i);
    }

    /** [vector, layout, datagram]: each vector's request (or reply) and each invalid one for that side. */
    private static Map<String, byte[]> datagrams(boolean server, Layout layout) {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<Transaction> vectors = FuzzVectors.all();
        for (int i = 0; i < vectors.size(); i++) {
            Transaction v = vectors.get(i);
            seeds.put("vector-" + v.id(), concat(new byte[] {(byte) i, (byte) layout.of(i)}, server ? v.request() : v.reply()));
        }
        for (Invalid bad : server ? InteropVectors.serverInvalid() : InteropVectors.clientInvalid()) {
            int i = vectors.indexOf(bad.base());
            seeds.put("invalid-" + bad.id(), concat(new byte[] {(byte) i, (byte) layout.of(bad.id())}, bad.packet()));
        }
        return seeds;
    }

    /** [vector, feed, length, dh_param as a big-endian u, request]; and the low-order points. */
    private static Map<String, byte[]> agreement() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<Transaction> vectors = FuzzVectors.all();
        for (int i = 0; i < vectors.size(); i++) {
            Transaction v = vectors.get(i);
            seeds.put("vector-" + v.id(), concat(new byte[] {(byte) i, (byte) (i * 29), 32},
                    reverse(java.util.Arrays.copyOfRange(v.request(), 4, 36)), v.request()));
        }
        for (Invalid bad : InteropVectors.serverInvalid()) {
            if (bad.packet().length >= 36) {
                seeds.put("invalid-" + bad.id(), concat(new byte[] {(byte) vectors.indexOf(bad.base()), (byte) bad.id(), 32},
                        reverse(java.util.Arrays.copyOfRange(bad.packet(), 4, 36)), bad.packet()));
            }
        }
        int n = 0;
        for (String low : TestKeys.LOW_ORDER) {
            seeds.put("low-order-" + n++, concat(new byte[] {0, 0, 32}, reverse(Bytes.unhex(low))));
        }
        return seeds;
    }

    /** [form, text or bytes]: keys in every form, and near misses. */
    private static Map<String, byte[]> keys() throws Exception {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        int n = 0;
        for (long seed : new long[] {1, 2}) {
            TestKeys.Pair p = TestKeys.pair(seed);
            String pubPem = PssstKeys.toPem(p.publicKey());
            String privPem = PssstKeys.toPem(p.privateKey());
            String pubHex = PssstKeys.toHex(p.publicKey());
            String privHex = Bytes.hex(p.rawPrivate());
            byte[] v1 = PssstKeys.toDer(p.privateKey());
            byte[] v2 = concat(Bytes.unhex("3051020101300506032b656e04220420"), p.rawPrivate(), Bytes.unhex("812100"),
                    p.rawPublic());
            String[][] text = {{"4", pubHex}, {"5", privHex.toUpperCase()}, {"6", pubPem}, {"7", privPem},
                {"8", "\n  " + pubHex + "\r\n"}, {"8", "# a comment\n" + pubPem}, {"9", "\t" + privHex + "\n"},
                {"9", privPem}, {"7", privPem.replace("PRIVATE", "PUBLIC")}, {"6", pubPem.replace("\n-----END", "-----END")},
                {"4", pubHex.substring(1)}, {"9", privPem.substring(0, privPem.length() / 2)},
                {"8", "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"}};
            for (String[] t : text) {
                seeds.put("text-" + n++, concat(new byte[] {(byte) Integer.parseInt(t[0])},
                        t[1].getBytes(StandardCharsets.ISO_8859_1)));
            }
            byte[][] binary = {{0}, p.rawPublic(), {1}, p.rawPrivate(), {2}, PssstKeys.toDer(p.publicKey()), {3}, v1, {3}, v2,
                {2}, concat(PssstKeys.toDer(p.publicKey()), new byte[] {0}), {3}, java.util.Arrays.copyOf(v1, 47)};
            for (int i = 0; i < binary.length; i += 2) {
                seeds.put("binary-" + n++, concat(binary[i], binary[i + 1]));
            }
        }
        return seeds;
    }

    /** [mode, bytes]: datagrams given three ways, text and command lines. */
    private static Map<String, byte[]> inspect() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (Transaction v : FuzzVectors.all().subList(0, 24)) {
            seeds.put("request-" + v.id(), concat(new byte[] {0}, v.request()));
            seeds.put("reply-" + v.id(), concat(new byte[] {0}, v.reply()));
        }
        for (Invalid bad : InteropVectors.invalid()) {
            seeds.put("invalid-" + bad.id(), concat(new byte[] {0}, bad.packet()));
        }
        String request = Bytes.hex(FuzzVectors.get(0).request());
        String[][] text = {{"1", request.substring(0, 10) + " : " + request.substring(10)}, {"1", "zz"}, {"1", "-"},
            {"2", request.toUpperCase() + "\n"}, {"2", "00 01\n02"}, {"3", "binary \u0000\u0001"},
            {"4", "--raw\u0000-"}, {"4", "--help"}, {"4", "--bogus"}, {"4", "a\u0000b"}, {"4", "--verbose\u0000zz"},
            {"4", request + "\u0000--raw"}, {"4", "--\u0000-x"}};
        int n = 0;
        for (String[] t : text) {
            seeds.put("text-" + n++, concat(new byte[] {(byte) Integer.parseInt(t[0])},
                    t[1].getBytes(StandardCharsets.ISO_8859_1)));
        }
        return seeds;
    }

    /** [config, room, ops]: every configuration, each with every kind of operation. */
    private static Map<String, byte[]> serverChannel() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] ops = concat(
                new byte[] {0x01, 4}, "ping".getBytes(StandardCharsets.US_ASCII), // anonymous request, peer 0
                new byte[] {0x12, 2, 'h', 'i'},                                  // admitted client, peer 1
                new byte[] {0x23, 0},                                            // another client, peer 2
                new byte[] {0x07},                                               // replay
                new byte[] {0x04, 0, 40, 1},                                     // a ciphertext bit flipped
                new byte[] {0x05, 0, 51},                                        // cut to 51 bytes
                new byte[] {0x06},                                               // unanswerable source
                new byte[] {0x00, 0, 3, 1, 2, 3},                                // garbage
                new byte[] {0x11, 100}, new byte[100]);                          // a longer anonymous request
        for (int config = 0; config < 32; config++) {
            seeds.put("config-" + config, concat(new byte[] {(byte) config, 3}, ops));
        }
        return seeds;
    }

    /** [config, room, ops]: every configuration, each with every kind of operation. */
    private static Map<String, byte[]> clientChannel() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] ops = {
            0x00, 0, 2, 7, 7,  // garbage
            0x01,              // the reply to request 0
            0x12,              // the reply to request 1 (or 0)
            0x01,              // a copy: duplicate
            0x23, 0, 60, 4,    // reply 2 with a byte changed
            0x24, 0, 51,       // reply 2 cut to 51 bytes
            0x05,              // request 0 echoed back
            0x06, 9,           // a stranger's reply
            0x07, 0, (byte) 0x80, // reply 0's header rewritten as it was: a copy
            0x27, 1, 7,        // reply 2 with another suite
            0x22,              // the reply to request 2
            0x32};             // the reply to request 3
        for (int config = 0; config < 64; config++) {
            seeds.put("config-" + config, concat(new byte[] {(byte) config, 4}, ops));
        }
        return seeds;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** Writes every seed under {@code src/test/resources} (run from the project root). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        for (Map.Entry<String, Map<String, byte[]>> dir : all().entrySet()) {
            Path d = root.resolve(dir.getKey());
            Files.createDirectories(d);
            for (Map.Entry<String, byte[]> seed : dir.getValue().entrySet()) {
                Files.write(d.resolve("seed-" + seed.getKey()), seed.getValue());
            }
            System.out.println(dir.getValue().size() + " seeds in " + d);
        }
    }
}
