package io.pssst.fuzz;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.PackedRequest;
import io.pssst.PssstClient;
import io.pssst.PssstKeys;
import io.pssst.PssstServer;
import io.pssst.testing.FixedRandom;
import io.pssst.testing.InteropVectors;
import io.pssst.testing.InteropVectors.Transaction;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The interop vectors as fuzzing needs them: a fuzz input names a vector by its first byte,
 * and the target uses that vector's keys. Seeds built from the vectors' real requests and
 * replies therefore get past the length, header and request-id checks, and the fuzzer works
 * on the bytes that only the keys can judge.
 */
final class FuzzVectors {
    private static final List<Transaction> VECTORS = InteropVectors.transactions();
    private static final List<PssstServer> SERVERS = new ArrayList<>();

    static {
        try {
            for (Transaction v : VECTORS) {
                SERVERS.add(PssstServer.create(serverPrivate(v)));
            }
        } catch (InvalidKeyMaterialException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FuzzVectors() {
    }

    static List<Transaction> all() {
        return VECTORS;
    }

    /** The vector a selector byte names. */
    static int index(int selector) {
        return selector % VECTORS.size();
    }

    static Transaction get(int index) {
        return VECTORS.get(index);
    }

    static PssstServer server(int index) {
        return SERVERS.get(index);
    }

    static XECPrivateKey serverPrivate(Transaction v) throws InvalidKeyMaterialException {
        return PssstKeys.privateKey(v.serverPrivate());
    }

    static XECPublicKey serverPublic(Transaction v) throws InvalidKeyMaterialException {
        return PssstKeys.publicKey(v.serverPublic());
    }

    /** The vector's client, drawing the vector's ephemeral scalar once: it packs the vector's request. */
    static PssstClient client(Transaction v) throws InvalidKeyMaterialException {
        XECPublicKey s = serverPublic(v);
        PssstClient c = v.clientPrivate() == null ? PssstClient.anonymous(s)
                : PssstClient.authenticated(s, PssstKeys.privateKey(v.clientPrivate()));
        return c.withRandom(new FixedRandom(v.ephemeralPrivate()));
    }

    /** The vector's request packed again, byte for byte, with its reply opener. */
    static PackedRequest pack(Transaction v) throws InvalidKeyMaterialException {
        PackedRequest p = client(v).pack(v.requestMessage());
        Buffers.check(java.util.Arrays.equals(p.datagram(), v.request()), "vector " + v + " did not repack");
        return p;
    }
}
