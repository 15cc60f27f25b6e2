package io.pssst.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Parses {@code HOST:PORT}, {@code [IPV6]:PORT} and {@code :PORT} (the loopback address) into a socket address. */
final class HostPort {
    private static final byte[] LIMITED_BROADCAST = {-1, -1, -1, -1};

    private HostPort() {
    }

    /**
     * Parses and resolves {@code text}.
     *
     * @throws UsageException if it is not HOST:PORT with a port in 0..65535
     * @throws CommandFailedException if the host name does not resolve
     */
    static InetSocketAddress parse(String option, String text) throws UsageException, CommandFailedException {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new UsageException(option + " needs HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new UsageException(option + ": write an IPv6 address in brackets, as [::1]:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + text.substring(colon + 1) + "' is not a port number");
        }
        if (port < 0 || port > 65_535) {
            throw new UsageException(option + ": port " + port + " is out of range");
        }
        try {
            InetAddress address = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new CommandFailedException("unknown host '" + host + "'");
        }
    }

    /**
     * Parses and resolves the address of a server to send to: as {@link #parse}, and also
     * refuses what no request can be sent to.
     *
     * @throws UsageException if it is not HOST:PORT, its port is 0, or it is the broadcast
     *         address 255.255.255.255
     * @throws CommandFailedException if the host name does not resolve
     */
    static InetSocketAddress destination(String option, String text) throws UsageException, CommandFailedException {
        InetSocketAddress a = parse(option, text);
        if (a.getPort() == 0) {
            throw new UsageException(option + ": port 0 cannot be sent to; give the server's port");
        }
        if (Arrays.equals(a.getAddress().getAddress(), LIMITED_BROADCAST)) {
            throw new UsageException(option + ": 255.255.255.255 is the broadcast address; a PSSST request goes to one"
                    + " server");
        }
        return a;
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
