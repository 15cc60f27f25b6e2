package io.pssst.cli;

import io.pssst.channel.PssstServerChannel;

/**
 * What {@code pssst serve} does against floods and reflection: the server channel's
 * per-source rate limit and its amplification bound (docs/operations.md), from the options
 * {@code --rate-limit}, {@code --rate-limit-prefix} and {@code --max-amplification}.
 *
 * @param rateLimit datagrams a second per source; 0: no limit
 * @param prefix4 IPv4 prefix length that makes one source
 * @param prefix6 IPv6 prefix length that makes one source
 * @param maxAmplification a reply datagram may be this many times its request's; 0: no bound
 */
record ServerDefences(long rateLimit, int prefix4, int prefix6, int maxAmplification) {
    /** The library's defaults: no rate limit, replies bounded to three times their request. */
    static final ServerDefences DEFAULT = new ServerDefences(0, 32, 128, 3);

    /** The options, for the command's {@link Args.Spec}. */
    static final String[] OPTIONS = {"--rate-limit", "--rate-limit-prefix", "--max-amplification"};

    /** Their help lines. */
    static final String HELP = """
              --rate-limit RATE drop datagrams from a source beyond RATE a second (with a
                                burst of about one second's worth) before any cryptography;
                                counted as rate-limited. Default: no limit. Behind a load
                                balancer that hides client addresses every client has the
                                balancer's address: limit at the balancer instead
              --rate-limit-prefix V4,V6
                                what one source is for --rate-limit: an IPv4 and an IPv6
                                prefix length (default 32,128: each address; 32,64 counts
                                an IPv6 /64, which one host often has, as one source)
              --max-amplification K
                                never send a reply datagram more than K times the size of
                                the request it answers (default 3; 0: no bound); a reply
                                over it is not sent, and counted as
                                reply-amplification-refused. The echo stays within 3,
                                --id included
            """.stripTrailing();

    /**
     * The options given, the defaults for the others.
     *
     * @throws UsageException if a value is not a number in range, or the prefix is not V4,V6
     */
    static ServerDefences parse(Args args) throws UsageException {
        long rate = args.longValue("--rate-limit", 0, 0, 10_000_000);
        int k = args.intValue("--max-amplification", DEFAULT.maxAmplification, 0, 10_000);
        String prefix = args.value("--rate-limit-prefix").orElse(null);
        if (prefix == null) {
            return new ServerDefences(rate, DEFAULT.prefix4, DEFAULT.prefix6, k);
        }
        String[] parts = prefix.split(",", -1);
        if (parts.length != 2) {
            throw new UsageException("--rate-limit-prefix needs two prefix lengths, IPv4 and IPv6, as in 32,64; not '"
                    + prefix + "'");
        }
        return new ServerDefences(rate, bits(parts[0], prefix, 32), bits(parts[1], prefix, 128), k);
    }

    private static int bits(String part, String option, int max) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(part.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > max) {
            throw new UsageException("--rate-limit-prefix needs an IPv4 prefix length of 1 to 32 and an IPv6 one of 1"
                    + " to 128, as in 32,64; not '" + option + "'");
        }
        return n;
    }

    /** Sets these defences on {@code b}. */
    PssstServerChannel.Builder applyTo(PssstServerChannel.Builder b) {
        return b.rateLimit(rateLimit).rateLimitPrefixes(prefix4, prefix6).maxAmplification(maxAmplification);
    }
}
