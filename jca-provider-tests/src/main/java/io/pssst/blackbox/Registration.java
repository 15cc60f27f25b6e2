package io.pssst.blackbox;

import io.pssst.jca.PssstProvider;
import java.security.Provider;
import java.security.Security;
import java.util.ServiceLoader;

/** The three ways a user installs (or finds) the PSSST provider. */
enum Registration {

    /** {@code Security.addProvider(new PssstProvider())}. */
    ADD_PROVIDER("add-provider") {
        @Override
        ProviderSource install() {
            Checks.check(Security.getProvider(ProviderSource.PSSST) == null,
                    "PSSST was installed before Security.addProvider was called");
            Checks.check(Security.addProvider(new PssstProvider()) > 0,
                    "Security.addProvider refused the PSSST provider");
            return ProviderSource.installed();
        }
    },

    /**
     * A {@code security.provider.N=PSSST} line in the file named by
     * {@code -Djava.security.properties}; no code here registers anything (and this branch
     * never touches the provider class).
     */
    SECURITY_PROPERTIES("security-properties") {
        @Override
        ProviderSource install() {
            Checks.check(System.getProperty("java.security.properties") != null,
                    "launched without -Djava.security.properties=FILE");
            Checks.check(Security.getProvider(ProviderSource.PSSST) != null,
                    "the java.security override did not install PSSST");
            return ProviderSource.installed();
        }
    },

    /** {@code ServiceLoader.load(Provider.class)}, used directly, installed nowhere. */
    SERVICE_LOADER("service-loader") {
        @Override
        ProviderSource install() {
            Provider found = null;
            for (Provider provider : ServiceLoader.load(Provider.class)) {
                if (ProviderSource.PSSST.equals(provider.getName())) {
                    found = provider;
                }
            }
            Checks.check(found != null, "ServiceLoader.load(Provider.class) did not find PSSST");
            Checks.check(Security.getProvider(ProviderSource.PSSST) == null,
                    "PSSST is installed although nothing installed it");
            return ProviderSource.from(found);
        }
    };

    private final String argument;

    Registration(String argument) {
        this.argument = argument;
    }

    /** Installs or finds the provider; where its Cipher and KeyAgreement objects come from. */
    abstract ProviderSource install();

    static Registration of(String argument) {
        for (Registration registration : values()) {
            if (registration.argument.equals(argument)) {
                return registration;
            }
        }
        throw new IllegalArgumentException("unknown registration: " + argument);
    }

    @Override
    public String toString() {
        return argument;
    }
}
