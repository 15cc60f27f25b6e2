package io.pssst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pssst.channel.ChannelLogRun;
import io.pssst.internal.Bytes;
import io.pssst.internal.Forge;
import io.pssst.internal.Wire;
import io.pssst.internal.X25519;
import io.pssst.testing.FixedRandom;
import io.pssst.testing.LogCapture;
import io.pssst.testing.SeededRandom;
import io.pssst.testing.TestKeys;
import java.nio.ByteBuffer;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No secret reaches a {@code toString} or an exception message: the toString of every public
 * type in every state, and every message (cause chains included) of every refusal the native
 * API and {@link PssstKeys} can produce, are searched for any 8-byte run, in hex of either
 * case, of the keys (private and public), ephemeral scalar, shared secrets, static secret
 * X25519(c, S), derived key/nonce material and messages of the transactions involved, and
 * for the base64 of the private keys' PKCS#8 form. The same search runs over every log record
 * of a channel run at every level (JUL's root logger at {@code ALL}, which is where the JDK's
 * default {@code System.LoggerFinder} sends the library's {@code System.Logger} records when
 * {@code java.logging} is present, as it is here: checked first).
 */
class PssstSecretsTest {
    private static final TestKeys.Pair SERVER = TestKeys.pair(61);
    private static final TestKeys.Pair CLIENT = TestKeys.pair(62);
    private static final byte[] EPHEMERAL = TestKeys.bytes(new SplittableRandom(63), 32);
    private static final byte[] MESSAGE = "the secret request message".getBytes();
    private static final byte[] ANSWER = "the secret answer".getBytes();
    private static final Map<String, byte[]> SECRETS = new LinkedHashMap<>();
    private static final List<String> BASE64 = new ArrayList<>();

    @BeforeAll
    static void secrets() throws Exception {
        PssstClient anonymous = PssstClient.anonymous(SERVER.publicKey()).withRandom(new FixedRandom(EPHEMERAL));
        PssstClient authenticated = PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                .withRandom(new FixedRandom(EPHEMERAL));
        byte[] anonymousId = anonymous.pack(MESSAGE).replyOpener().requestId();
        byte[] authenticatedId = authenticated.pack(MESSAGE).replyOpener().requestId();
        var e = X25519.privateKey(EPHEMERAL);
        byte[] staticSecret = X25519.agree(CLIENT.privateKey(), SERVER.publicKey());
        byte[] anonymousShared = X25519.agree(e, SERVER.publicKey());
        byte[] authenticatedShared = X25519.agree(e, PssstKeys.publicKey(staticSecret));
        SECRETS.put("server private key", SERVER.rawPrivate());
        SECRETS.put("client private key", CLIENT.rawPrivate());
        SECRETS.put("server public key", SERVER.rawPublic());
        SECRETS.put("client public key", CLIENT.rawPublic());
        SECRETS.put("ephemeral scalar", EPHEMERAL);
        SECRETS.put("static secret X25519(c, S)", staticSecret);
        SECRETS.put("anonymous shared secret", anonymousShared);
        SECRETS.put("authenticated shared secret", authenticatedShared);
        SECRETS.put("anonymous key and nonces", sha256(anonymousId, anonymousShared));
        SECRETS.put("authenticated key and nonces", sha256(authenticatedId, authenticatedShared));
        SECRETS.put("request message", MESSAGE);
        SECRETS.put("reply message", ANSWER);
        for (XECPrivateKey k : List.of(SERVER.privateKey(), CLIENT.privateKey())) {
            BASE64.add(Base64.getEncoder().encodeToString(PssstKeys.toDer(k)));
        }
    }

    private static byte[] sha256(byte[] a, byte[] b) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(a);
        return sha.digest(b);
    }

    @Test
    void toStrings_everyPublicTypeAndState_holdNoSecret() throws Exception {
        List<Object> objects = new ArrayList<>();
        for (boolean auth : new boolean[] {false, true}) {
            PssstClient client = (auth ? PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                    : PssstClient.anonymous(SERVER.publicKey())).withRandom(new FixedRandom(EPHEMERAL));
            objects.add(client);
            PackedRequest packed = client.pack(MESSAGE);
            objects.add(packed);
            objects.add(packed.replyOpener());
            PssstServer server = PssstServer.create(SERVER.privateKey());
            objects.add(server);
            ReceivedRequest received = server.open(packed.datagram());
            objects.add(received);
            objects.add(received.replySealer());
            byte[] reply = received.seal(ANSWER);
            objects.add(received.replySealer().toString()); // used
            packed.openReply(reply);
            objects.add(packed.replyOpener().toString()); // answered
            packed.replyOpener().destroy();
            objects.add(packed.replyOpener().toString()); // destroyed
        }
        objects.addAll(List.of(PssstException.Reason.values()));
        List<String> leaks = new ArrayList<>();
        for (Object o : objects) {
            check(o.getClass().getSimpleName() + ".toString", String.valueOf(o), leaks);
            if (String.valueOf(o).contains("[B@")) {
                leaks.add(o.getClass().getSimpleName() + ".toString shows an array's identity: " + o);
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void refusals_everyKind_messagesHoldNoSecret() throws Exception {
        List<Throwable> thrown = new ArrayList<>();
        for (boolean auth : new boolean[] {false, true}) {
            refusals(auth, thrown);
        }
        keyRefusals(thrown);
        List<String> leaks = new ArrayList<>();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t : thrown) {
            walk(t, seen, leaks);
        }
        assertEquals(List.of(), leaks);
        assertTrue(thrown.size() >= 40, "refusals produced: " + thrown.size());
        for (PssstException.Reason reason : PssstException.Reason.values()) {
            assertTrue(thrown.stream().anyMatch(t -> t instanceof PssstException p && p.reason() == reason),
                    "a refusal with reason " + reason + " was checked");
        }
    }

    /**
     * Every record logged while channels run with these keys and messages, at every level and
     * from every logger (the library's and the JDK's: JMX, RMI...), holds no secret; and the
     * run produced every kind of line the library logs, so the search covers them all.
     */
    @Test
    void logs_everyRecordAtEveryLevel_holdNoSecret() throws Exception {
        assertTrue(LogCapture.systemLoggersReachJul("io.pssst.channel"),
                "the library's System.Logger must reach java.util.logging here, else nothing would be searched");
        List<String> texts;
        try (LogCapture log = new LogCapture("", java.util.logging.Level.ALL, true)) {
            ChannelLogRun.run(SERVER.privateKey(), SERVER.publicKey(), CLIENT.privateKey(), CLIENT.publicKey(),
                    new FixedRandom(EPHEMERAL), MESSAGE, ANSWER);
            texts = log.texts();
        }
        List<String> leaks = new ArrayList<>();
        for (String text : texts) {
            check("log record", text, leaks);
        }
        assertEquals(List.of(), leaks);
        for (String expected : ChannelLogRun.expectedLines()) {
            assertTrue(texts.stream().anyMatch(t -> t.contains(expected)), () -> "no line with \"" + expected + "\" in "
                    + String.join("\n", texts));
        }
        System.out.println("PssstSecretsTest: " + texts.size() + " log records searched, "
                + texts.stream().filter(t -> t.contains(" io.pssst.")).count() + " of them the library's");
    }

    private static void refusals(boolean auth, List<Throwable> thrown) throws Exception {
        PssstClient client = (auth ? PssstClient.authenticated(SERVER.publicKey(), CLIENT.privateKey())
                : PssstClient.anonymous(SERVER.publicKey())).withRandom(new FixedRandom(EPHEMERAL));
        PssstServer server = PssstServer.create(SERVER.privateKey());
        PackedRequest packed = client.pack(MESSAGE);
        byte[] request = packed.datagram();
        ReceivedRequest received = server.open(request);
        byte[] reply = received.seal(ANSWER);

        // Server refusals.
        for (byte[] bad : List.of(Arrays.copyOf(request, 10), Arrays.copyOf(request, request.length - 1),
                flip(request, 0, 0x80), flip(request, 3, 0x01), flip(request, 0, 0x40), flip(request, 20, 0x01),
                flip(request, request.length - 1, 0x01), lowOrderRequest(), reply)) {
            catchAll(thrown, () -> server.open(bad));
            catchAll(thrown, () -> server.open(ByteBuffer.wrap(bad), ByteBuffer.allocate(bad.length)));
            catchAll(thrown, () -> server.openInPlace(ByteBuffer.wrap(bad.clone())));
        }
        SplittableRandom r = new SplittableRandom(64);
        for (byte[] payload : List.of(new byte[10], Forge.proofPayload(CLIENT.rawPublic(), EPHEMERAL, MESSAGE),
                Forge.proofPayload(TestKeys.lowOrder(TestKeys.LOW_ORDER.get(2)), EPHEMERAL, MESSAGE))) {
            byte[] forged = Forge.request(SERVER.publicKey(), Wire.FLAG_CLIENT_AUTH, payload, SeededRandom.of(r.nextLong()));
            catchAll(thrown, () -> server.open(forged));
        }
        catchAll(thrown, () -> received.seal(ANSWER));
        catchAll(thrown, () -> server.open(request).replySealer().seal(ByteBuffer.wrap(ANSWER), ByteBuffer.allocate(3)));
        catchAll(thrown, () -> server.open(request).replySealer().seal(ByteBuffer.wrap(ANSWER),
                ByteBuffer.allocate(100).asReadOnlyBuffer()));

        // Client refusals.
        ReplyOpener opener = packed.replyOpener();
        for (byte[] bad : List.of(Arrays.copyOf(reply, 51), flip(reply, 0, 0x80), flip(reply, 0, 0x40),
                flip(reply, 3, 0x01), flip(reply, 30, 0x01), flip(reply, reply.length - 1, 0x01), request)) {
            catchAll(thrown, () -> opener.open(bad));
            catchAll(thrown, () -> opener.openInPlace(ByteBuffer.wrap(bad.clone())));
        }
        catchAll(thrown, () -> opener.open(ByteBuffer.wrap(reply), ByteBuffer.allocate(1)));
        catchAll(thrown, () -> opener.openInPlace(ByteBuffer.wrap(reply).asReadOnlyBuffer()));
        opener.open(reply);
        catchAll(thrown, () -> opener.open(reply));
        opener.destroy();
        catchAll(thrown, () -> opener.open(reply));
        catchAll(thrown, () -> client.pack(ByteBuffer.wrap(MESSAGE), ByteBuffer.allocate(5)));
    }

    private static void keyRefusals(List<Throwable> thrown) throws Exception {
        String privateHex = Bytes.hex(CLIENT.rawPrivate());
        String privatePem = PssstKeys.toPem(CLIENT.privateKey());
        byte[] privateDer = PssstKeys.toDer(CLIENT.privateKey());
        catchAll(thrown, () -> PssstKeys.privateKeyFromHex(privateHex.substring(0, 40) + "g" + privateHex.substring(41)));
        catchAll(thrown, () -> PssstKeys.privateKeyFromHex(privateHex + "00"));
        catchAll(thrown, () -> PssstKeys.parsePrivateKey(privateHex.substring(2)));
        catchAll(thrown, () -> PssstKeys.privateKeyFromPem(privatePem.replace("PRIVATE KEY", "EC PRIVATE KEY")));
        catchAll(thrown, () -> PssstKeys.privateKeyFromPem(privatePem.replace("M", "*")));
        catchAll(thrown, () -> PssstKeys.publicKeyFromPem(privatePem));
        catchAll(thrown, () -> PssstKeys.privateKeyFromDer(Arrays.copyOf(privateDer, privateDer.length - 1)));
        catchAll(thrown, () -> PssstKeys.privateKeyFromDer(Arrays.copyOf(privateDer, privateDer.length + 1)));
        catchAll(thrown, () -> PssstKeys.publicKeyFromDer(privateDer));
        catchAll(thrown, () -> PssstKeys.privateKey(Arrays.copyOf(CLIENT.rawPrivate(), 31)));
        catchAll(thrown, () -> PssstClient.anonymous(PssstKeys.publicKey(TestKeys.lowOrder(TestKeys.LOW_ORDER.get(0)))));
        KeyPairGenerator x448 = KeyPairGenerator.getInstance("X448");
        var pair = x448.generateKeyPair();
        catchAll(thrown, () -> PssstClient.authenticated(SERVER.publicKey(), (XECPrivateKey) pair.getPrivate()));
        catchAll(thrown, () -> PssstClient.anonymous((XECPublicKey) pair.getPublic()));
        catchAll(thrown, () -> PssstKeys.toRaw((XECPrivateKey) pair.getPrivate()));
        catchAll(thrown, () -> PssstKeys.publicKeyFromDer(pair.getPublic().getEncoded()));
        catchAll(thrown, () -> PssstKeys.privateKeyFromDer(pair.getPrivate().getEncoded()));
    }

    private static byte[] lowOrderRequest() {
        ByteBuffer d = ByteBuffer.allocate(Wire.OVERHEAD + 8);
        Wire.putHeader(d, 0);
        d.put(TestKeys.lowOrder(TestKeys.LOW_ORDER.get(3)));
        return d.array();
    }

    private static byte[] flip(byte[] b, int i, int mask) {
        byte[] c = b.clone();
        c[i] ^= (byte) mask;
        return c;
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static void catchAll(List<Throwable> thrown, Action action) {
        try {
            action.run();
            throw new AssertionError("expected a refusal, but the action succeeded (action #" + thrown.size() + ")");
        } catch (Exception e) {
            thrown.add(e);
        }
    }

    private static void walk(Throwable t, Set<Throwable> seen, List<String> leaks) {
        if (t == null || !seen.add(t)) {
            return;
        }
        String where = t.getClass().getSimpleName();
        check(where + ".getMessage", t.getMessage(), leaks);
        check(where + ".toString", t.toString(), leaks);
        walk(t.getCause(), seen, leaks);
        for (Throwable s : t.getSuppressed()) {
            walk(s, seen, leaks);
        }
    }

    private static void check(String where, String text, List<String> leaks) {
        if (text == null) {
            return;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, byte[]> secret : SECRETS.entrySet()) {
            String hex = Bytes.hex(secret.getValue());
            for (int i = 0; i + 16 <= hex.length(); i += 2) {
                if (lower.contains(hex.substring(i, i + 16))) {
                    leaks.add(where + " shows bytes of the " + secret.getKey() + ": " + text);
                    break;
                }
            }
        }
        for (String b64 : BASE64) {
            if (text.contains(b64.substring(16, 40))) {
                leaks.add(where + " shows a private key's PKCS#8 base64: " + text);
            }
        }
    }
}
