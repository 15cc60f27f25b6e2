package io.pssst.blackbox;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Cipher;

/** Where the application gets its {@code Cipher "PSSST"} objects from. */
interface CipherSource {

    /** The JCA algorithm and provider name. */
    String PSSST = "PSSST";

    /** A fresh, uninitialised {@code Cipher "PSSST"}. */
    Cipher cipher() throws GeneralSecurityException;

    /** Through the installed providers, {@code Cipher.getInstance("PSSST")} with no provider named. */
    static CipherSource installed() {
        return () -> {
            Cipher cipher = Cipher.getInstance(PSSST);
            Checks.check(PSSST.equals(cipher.getProvider().getName()),
                    "Cipher.getInstance(\"PSSST\") came from " + cipher.getProvider().getName());
            return cipher;
        };
    }

    /** From a provider object that is not installed: {@code Cipher.getInstance("PSSST", provider)}. */
    static CipherSource from(Provider provider) {
        return () -> Cipher.getInstance(PSSST, provider);
    }
}
