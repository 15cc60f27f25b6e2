package io.pssst.cli;

import io.pssst.PssstKeys;
import java.security.interfaces.XECPublicKey;

/** {@code pssst pubkey}: the public key of a key file, in hex or PEM. */
final class PubkeyCommand extends Command {
    private static final Args.Spec SPEC = new Args.Spec().values("--format").positional(1, 1);

    PubkeyCommand() {
        super("pubkey", "print the public key of a key file", SPEC, """
                Usage: pssst pubkey KEYFILE [--format hex|pem]

                Prints the public key that belongs to the private key in KEYFILE (PEM, hex,
                DER or raw; openssl-made keys work), or the key of a public key file (PEM
                "PUBLIC KEY" or DER), in hex (default) or as PEM.

                Options:
                  --format F      hex (default) or pem
                """);
    }

    @Override
    int run(Args args, Io io) throws Exception {
        String format = args.choice("--format", "hex", "hex", "pem");
        XECPublicKey key = KeyFiles.readAnyAsPublic(args.positional().get(0));
        if (format.equals("pem")) {
            io.out().print(PssstKeys.toPem(key));
        } else {
            io.out().println(PssstKeys.toHex(key));
        }
        return Main.OK;
    }
}
