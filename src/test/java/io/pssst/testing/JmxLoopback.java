package io.pssst.testing;

import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * The platform MBean server served over JMX's RMI connector on loopback only, the way the
 * JDK's agent serves it for {@code -Dcom.sun.management.jmxremote.port} and {@code jconsole}
 * reaches it: an RMI registry holding the connector's stub at {@code jmxrmi}, and the URL
 * {@code service:jmx:rmi:///jndi/rmi://127.0.0.1:PORT/jmxrmi}. Every socket, the registry's
 * and the connector's, listens on the loopback address; the connector's stub connects to the
 * loopback address whatever host name the JVM thinks it has. JDK only
 * ({@code java.management.rmi}, {@code java.rmi}, {@code java.naming}).
 */
public final class JmxLoopback implements AutoCloseable {
    private final Registry registry;
    private final JMXConnectorServer server;
    private final JMXServiceURL url;

    /** Listens on loopback, on ports the system picks. */
    public JmxLoopback() throws IOException {
        LoopbackServerSockets sockets = new LoopbackServerSockets();
        LoopbackClientSockets clients = new LoopbackClientSockets();
        this.registry = LocateRegistry.createRegistry(0, clients, sockets);
        int port = sockets.ports.get(0);
        this.url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clients);
        JMXConnectorServer s = JMXConnectorServerFactory.newJMXConnectorServer(url, env,
                ManagementFactory.getPlatformMBeanServer());
        try {
            s.start();
        } catch (IOException | RuntimeException e) {
            UnicastRemoteObject.unexportObject(registry, true);
            throw e;
        }
        this.server = s;
    }

    /** {@return the URL a JMX client (jconsole) connects to} */
    public JMXServiceURL url() {
        return url;
    }

    /**
     * Connects as a JMX client does.
     *
     * @return the connection; close it
     * @throws IOException if it cannot connect
     */
    public JMXConnector connect() throws IOException {
        return JMXConnectorFactory.connect(url);
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } finally {
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    /** Server sockets on the loopback address; remembers their ports (the registry's first). */
    private static final class LoopbackServerSockets implements RMIServerSocketFactory {
        final List<Integer> ports = new CopyOnWriteArrayList<>();

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
            ports.add(s.getLocalPort());
            return s;
        }
    }

    /** Client sockets to the loopback address, whatever host a stub names. */
    private static final class LoopbackClientSockets implements RMIClientSocketFactory, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return new Socket(InetAddress.getByName("127.0.0.1"), port);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LoopbackClientSockets;
        }

        @Override
        public int hashCode() {
            return LoopbackClientSockets.class.hashCode();
        }
    }
}
