package io.pssst.testing;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;

/**
 * A provider of {@code KeyAgreement "X25519"} that counts the X25519 operations (calls of
 * {@code generateSecret}) and delegates each to the JDK's own {@code SunEC}. Installed at
 * position 1 for the life of one test ({@code try (CountingX25519 x = CountingX25519.install())}),
 * so the engine's plain {@code KeyAgreement.getInstance("X25519")} reaches it: the test sees
 * exactly how many X25519 operations each step costs. Tests run one at a time in this build,
 * so the JVM-wide installation disturbs no other test.
 */
public final class CountingX25519 extends Provider implements AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final String NAME = "CountingX25519";

    private final transient AtomicInteger operations = new AtomicInteger();

    private CountingX25519() {
        super(NAME, "1", "counts the X25519 operations of the JDK's SunEC");
        putService(new Service(this, "KeyAgreement", "X25519", Counting.class.getName(), List.of(), Map.of()) {
            @Override
            public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                try {
                    return new Counting(KeyAgreement.getInstance("X25519", "SunEC"), operations);
                } catch (java.security.NoSuchProviderException e) {
                    throw new NoSuchAlgorithmException(e);
                }
            }
        });
    }

    /** Installs a fresh counter ahead of every other provider. */
    public static CountingX25519 install() {
        CountingX25519 provider = new CountingX25519();
        if (Security.insertProviderAt(provider, 1) != 1) {
            throw new IllegalStateException(NAME + " is installed already");
        }
        return provider;
    }

    /** The X25519 operations counted since the last call (or since installation), and resets the count. */
    public int take() {
        return operations.getAndSet(0);
    }

    @Override
    public void close() {
        Security.removeProvider(NAME);
    }

    private static final class Counting extends KeyAgreementSpi {
        private final KeyAgreement delegate;
        private final AtomicInteger operations;

        Counting(KeyAgreement delegate, AtomicInteger operations) {
            this.delegate = delegate;
            this.operations = operations;
        }

        @Override
        protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
            delegate.init(key, random);
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            delegate.init(key, params, random);
        }

        @Override
        protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
            return delegate.doPhase(key, lastPhase);
        }

        @Override
        protected byte[] engineGenerateSecret() {
            operations.incrementAndGet();
            return delegate.generateSecret();
        }

        @Override
        protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
            operations.incrementAndGet();
            return delegate.generateSecret(sharedSecret, offset);
        }

        @Override
        protected SecretKey engineGenerateSecret(String algorithm)
                throws NoSuchAlgorithmException, InvalidKeyException {
            operations.incrementAndGet();
            return delegate.generateSecret(algorithm);
        }
    }
}
