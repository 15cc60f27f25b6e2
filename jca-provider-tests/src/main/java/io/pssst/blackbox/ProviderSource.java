package io.pssst.blackbox;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;

/** Where the application gets its {@code Cipher "PSSST"} and {@code KeyAgreement "PSSST"} objects from. */
interface ProviderSource {

    /** The JCA algorithm and provider name. */
    String PSSST = "PSSST";

    /** A fresh, uninitialised {@code Cipher "PSSST"}. */
    Cipher cipher() throws GeneralSecurityException;

    /** A fresh, uninitialised {@code KeyAgreement "PSSST"}. */
    KeyAgreement keyAgreement() throws GeneralSecurityException;

    /** Through the installed providers, {@code getInstance("PSSST")} with no provider named. */
    static ProviderSource installed() {
        return new ProviderSource() {
            @Override
            public Cipher cipher() throws GeneralSecurityException {
                Cipher cipher = Cipher.getInstance(PSSST);
                return checked(cipher.getProvider(), cipher);
            }

            @Override
            public KeyAgreement keyAgreement() throws GeneralSecurityException {
                KeyAgreement agreement = KeyAgreement.getInstance(PSSST);
                return checked(agreement.getProvider(), agreement);
            }

            private <T> T checked(Provider provider, T service) {
                Checks.check(PSSST.equals(provider.getName()), "getInstance(\"PSSST\") came from " + provider.getName());
                return service;
            }
        };
    }

    /** From a provider object that is not installed: {@code getInstance("PSSST", provider)}. */
    static ProviderSource from(Provider provider) {
        return new ProviderSource() {
            @Override
            public Cipher cipher() throws GeneralSecurityException {
                return Cipher.getInstance(PSSST, provider);
            }

            @Override
            public KeyAgreement keyAgreement() throws GeneralSecurityException {
                return KeyAgreement.getInstance(PSSST, provider);
            }
        };
    }
}
