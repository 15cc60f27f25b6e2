package io.pssst.channel;

import io.pssst.InvalidKeyMaterialException;
import io.pssst.internal.X25519;
import java.nio.ByteBuffer;
import java.security.interfaces.XECPublicKey;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which clients a server channel answers: anyone ({@link #anonymousAllowed()}), only clients
 * that authenticate ({@link #authenticationRequired()}), or only authenticated clients whose
 * public key is on a list ({@link #allowList}). A request the policy refuses is dropped and
 * counted as {@link PssstChannelStats.DropReason#POLICY_REFUSED}; its sender learns nothing.
 *
 * <p>"Authentication required" is checked from the header, before any X25519; the allow-list
 * after decryption (the client key travels encrypted). Immutable and thread-safe.
 */
public final class PssstClientPolicy {
    private static final PssstClientPolicy ANONYMOUS = new PssstClientPolicy(false, null);
    private static final PssstClientPolicy AUTHENTICATED = new PssstClientPolicy(true, null);

    private final boolean authRequired;
    private final Set<ByteBuffer> allowed; // raw 32-byte keys (public values); null = any

    private PssstClientPolicy(boolean authRequired, Set<ByteBuffer> allowed) {
        this.authRequired = authRequired;
        this.allowed = allowed;
    }

    /** {@return every well-formed request, anonymous or authenticated} */
    public static PssstClientPolicy anonymousAllowed() {
        return ANONYMOUS;
    }

    /** {@return only requests that carry valid client authentication, from any client key} */
    public static PssstClientPolicy authenticationRequired() {
        return AUTHENTICATED;
    }

    /**
     * Only authenticated requests from one of {@code clientKeys} (copied).
     *
     * @param clientKeys the accepted clients' public keys
     * @return the policy
     * @throws InvalidKeyMaterialException if a key is not an X25519 public key
     * @throws IllegalArgumentException if the list is empty
     */
    public static PssstClientPolicy allowList(Collection<? extends XECPublicKey> clientKeys)
            throws InvalidKeyMaterialException {
        if (clientKeys.isEmpty()) {
            throw new IllegalArgumentException("an allow-list needs at least one client key");
        }
        Set<ByteBuffer> raw = new HashSet<>();
        for (XECPublicKey k : clientKeys) {
            raw.add(ByteBuffer.wrap(X25519.raw(k)).asReadOnlyBuffer());
        }
        return new PssstClientPolicy(true, Set.copyOf(raw));
    }

    /** {@return whether anonymous requests are refused} */
    public boolean requiresAuthentication() {
        return authRequired;
    }

    /** {@return whether only listed client keys are accepted} */
    public boolean hasAllowList() {
        return allowed != null;
    }

    /**
     * Whether an authenticated client with this key is accepted.
     *
     * @param clientKey the client's public key
     * @return whether the policy accepts it
     * @throws io.pssst.InvalidKeyMaterialException if {@code clientKey} is not an X25519 public key
     */
    public boolean permits(XECPublicKey clientKey) throws InvalidKeyMaterialException {
        return permitsRaw(X25519.raw(clientKey));
    }

    /** The raw keys of the allow-list (copies), empty when any key is allowed. */
    List<byte[]> allowedRawKeys() {
        if (allowed == null) {
            return List.of();
        }
        List<byte[]> keys = new ArrayList<>(allowed.size());
        for (ByteBuffer k : allowed) {
            byte[] raw = new byte[k.remaining()];
            k.duplicate().get(raw);
            keys.add(raw);
        }
        return keys;
    }

    /** {@code rawClientKey}: null for an anonymous request. */
    boolean permitsRaw(byte[] rawClientKey) {
        if (rawClientKey == null) {
            return !authRequired;
        }
        return allowed == null || allowed.contains(ByteBuffer.wrap(rawClientKey));
    }

    @Override
    public String toString() {
        return allowed != null ? "PssstClientPolicy[allow-list of " + allowed.size() + "]"
                : authRequired ? "PssstClientPolicy[authentication required]" : "PssstClientPolicy[anonymous allowed]";
    }
}
