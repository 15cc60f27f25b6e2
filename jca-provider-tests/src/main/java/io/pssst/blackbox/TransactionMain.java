package io.pssst.blackbox;

import java.security.KeyPair;
import java.security.KeyPairGenerator;

/**
 * Installs the provider one way ({@code add-provider}, {@code security-properties} or
 * {@code service-loader}), then runs an anonymous and an authenticated transaction through
 * {@code Cipher}, the same two through {@code KeyAgreement} and {@code Cipher}, and a
 * tampered reply. Prints what it used and, last, {@code OK}; any failure exits non-zero.
 */
public final class TransactionMain {

    private TransactionMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TransactionMain add-provider|security-properties|service-loader");
            System.exit(2);
        }
        Registration registration = Registration.of(args[0]);
        ProviderSource services = registration.install();
        Class<?> providerClass = services.cipher().getProvider().getClass();
        String module = providerClass.getModule().isNamed() ? providerClass.getModule().getName() : "unnamed";
        System.out.println("registration=" + registration + " provider=" + providerClass.getName()
                + " module=" + module + " java=" + Runtime.version().feature());

        KeyPairGenerator x25519 = KeyPairGenerator.getInstance("X25519");
        Transaction transaction = new Transaction(services, x25519.generateKeyPair());
        transaction.run(null);
        System.out.println("anonymous transaction OK");
        KeyPair client = x25519.generateKeyPair();
        transaction.run(client);
        System.out.println("authenticated transaction OK");
        transaction.runWithKeyAgreement(null);
        transaction.runWithKeyAgreement(client);
        System.out.println("key agreement transactions OK");
        transaction.tamperedReplyRefused();
        System.out.println("tampered reply refused OK");
        System.out.println("OK");
    }
}
