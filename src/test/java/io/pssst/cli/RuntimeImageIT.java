package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime image for servers, made as README.md says ({@code image/build}), with the jlink
 * of the JDK that runs the build, from the packaged jar: its {@code bin/pssst} runs the demo;
 * it holds the modules PSSST needs and the JDK's JMX agent, and nothing else; and a
 * {@code pssst serve} started with the agent on loopback (docs/operations.md's example) serves
 * its MXBean to a remote JMX client, as {@code jconsole} reads it. Prints the image's size.
 * Run by failsafe in {@code mvn verify} (system properties {@code pssst.jar},
 * {@code pssst.basedir}).
 */
class RuntimeImageIT {
    private static Path jar;
    private static Path script;
    private static Path image;
    private static String built;

    @TempDir
    static Path dir;

    @BeforeAll
    static void buildImage() throws Exception {
        jar = Path.of(System.getProperty("pssst.jar", "target/pssst.jar")).toAbsolutePath();
        script = Path.of(System.getProperty("pssst.basedir", ".")).toAbsolutePath().resolve("image/build");
        assumeTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run with mvn verify");
        assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "bin", "jlink")),
                "this Java has no jlink: not a JDK");
        image = dir.resolve("image");
        Ran ran = exec(List.of("bash", script.toString(), "--jar", jar.toString(), "--output", image.toString()));
        assertEquals(0, ran.status, ran::toString);
        built = ran.out;
    }

    private record Ran(int status, String out) {
    }

    private static Ran exec(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = Async.supply("image output", () -> drain(p.getInputStream()));
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Ran(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void imageBuild_launcherRunsTheDemo_theModulesPssstAndTheJmxAgentNeed() throws Exception {
        Path launcher = image.resolve("bin").resolve("pssst");
        assertTrue(Files.isExecutable(launcher), built);

        Ran demo = exec(List.of(launcher.toString(), "demo", "--seconds", "0.2"));
        assertEquals(0, demo.status, demo::toString);
        assertTrue(demo.out.contains("Every step behaved"), demo::toString);

        Ran modules = exec(List.of(image.resolve("bin").resolve("java").toString(), "--list-modules"));
        Set<String> names = modules.out.lines().map(l -> l.replaceAll("@.*", "")).collect(Collectors.toSet());
        Set<String> expected = new TreeSet<>(Set.of("io.pssst", "java.base", "java.management",
                // the JMX agent and what it needs
                "jdk.management.agent", "jdk.management", "java.management.rmi", "java.rmi", "java.naming",
                "java.logging", "java.security.sasl", "jdk.unsupported"));
        if (Runtime.version().feature() < 22) {
            expected.add("jdk.crypto.ec");
        }
        assertEquals(expected, new TreeSet<>(names), modules::toString);
        System.out.printf("RuntimeImageIT: Java %d image, %.1f MB%n", Runtime.version().feature(),
                size(image) / 1e6);
    }

    /**
     * {@code pssst serve} in the image with the JMX agent on loopback, configured through
     * {@code JDK_JAVA_OPTIONS} as docs/operations.md shows: a JMX client reads its MXBean
     * through {@code service:jmx:rmi:///jndi/rmi://127.0.0.1:PORT/jmxrmi}, before and after a
     * request.
     */
    @Test
    void serveInTheImage_jmxAgentOnLoopback_remoteClientReadsTheMXBean() throws Exception {
        assertEquals(0, exec(List.of(image.resolve("bin").resolve("pssst").toString(), "keygen", "--out",
                dir.resolve("jmx.key").toString())).status);
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(image.resolve("bin").resolve("pssst").toString(), "serve", "--key",
                dir.resolve("jmx.key").toString(), "--bind", "127.0.0.1:0").directory(dir.toFile());
        pb.environment().put("JDK_JAVA_OPTIONS", String.join(" ", "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1", "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false"));
        Process p = pb.start();
        CompletableFuture<String> err = Async.supply("serve stderr", () -> drain(p.getErrorStream()));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.contains("listening on 127.0.0.1:"), () -> first + errors(p, err));
            String address = first.replaceAll(".*listening on (\\S+) .*", "$1");
            String key = first.replaceAll(".*server public key ([0-9a-f]{64}).*", "$1");
            ObjectName name = new ObjectName("io.pssst:type=ServerChannel,name=\"" + address + "\"");
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            try (JMXConnector c = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection remote = c.getMBeanServerConnection();
                assertEquals(0L, remote.getAttribute(name, "RequestsAccepted"));
                CliRun sent = CliRun.run("send", "--server", address, "--server-key", key, "hello");
                assertEquals(0, sent.status(), sent::toString);
                assertEquals(1L, remote.getAttribute(name, "RequestsAccepted"));
                assertEquals(1L, remote.getAttribute(name, "RepliesSent"));
                assertEquals(0L, remote.getAttribute(name, "DroppedTotal"));
            }
        } finally {
            p.toHandle().destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
            p.destroyForcibly();
        }
    }

    private static String errors(Process p, CompletableFuture<String> err) {
        p.destroyForcibly();
        try {
            return "\n" + err.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "\n(stderr unreadable: " + e + ")";
        }
    }
}
