package io.pssst.internal.jca;

import io.pssst.PssstX25519;
import io.pssst.jca.PssstTransactionKey;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.List;
import java.util.Map;

/**
 * The services of the {@code PSSST} provider: {@code Cipher}, {@code KeyAgreement} and
 * {@code AlgorithmParameters "PSSST"}. Each service creates its SPI with {@code new}: the SPI
 * classes are package-private here, in a package the module does not export, so the JCA's
 * reflection could not instantiate them (as in SunEC).
 */
public final class PssstServices {
    private static final String SUITE_ALIAS = "X25519_AESGCM128";
    private static final String X25519_KEYS =
            "java.security.interfaces.XECPublicKey|java.security.interfaces.XECPrivateKey";

    private PssstServices() {
    }

    /**
     * The services of {@code provider}. Each declares {@code SupportedKeyClasses}, so that
     * {@code Cipher.getInstance("PSSST")} without a provider name never routes a foreign key
     * here: X25519 keys, and for the {@code Cipher} the {@link PssstTransactionKey}.
     *
     * @param provider the provider the services belong to
     * @param x25519 the X25519 implementation its {@code Cipher} and {@code KeyAgreement} use; null for
     *        the system property's, read when each is initialised
     * @return the services
     */
    public static List<Provider.Service> of(Provider provider, PssstX25519 x25519) {
        return List.of(
                new Service(provider, "Cipher", PssstCipherSpi.class.getName(), List.of(SUITE_ALIAS),
                        Map.of("SupportedKeyClasses", X25519_KEYS + "|" + PssstTransactionKey.class.getName()), x25519),
                new Service(provider, "KeyAgreement", PssstKeyAgreementSpi.class.getName(), List.of(SUITE_ALIAS),
                        Map.of("SupportedKeyClasses", X25519_KEYS), x25519),
                new Service(provider, "AlgorithmParameters", PssstParametersSpi.class.getName(), List.of(), Map.of(),
                        x25519));
    }

    /** A service whose {@code newInstance} calls {@code new}. */
    private static final class Service extends Provider.Service {
        private final PssstX25519 x25519;

        Service(Provider provider, String type, String className, List<String> aliases, Map<String, String> attributes,
                PssstX25519 x25519) {
            super(provider, type, PssstTransactionKey.ALGORITHM, className, aliases, attributes);
            this.x25519 = x25519;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            if (constructorParameter != null) {
                throw new InvalidParameterException("PSSST " + getType() + " takes no constructor parameter");
            }
            switch (getType()) {
                case "Cipher":
                    return new PssstCipherSpi(getProvider(), x25519);
                case "KeyAgreement":
                    return new PssstKeyAgreementSpi(x25519);
                case "AlgorithmParameters":
                    return new PssstParametersSpi();
                default:
                    throw new NoSuchAlgorithmException("PSSST has no " + getType() + " service");
            }
        }
    }
}
