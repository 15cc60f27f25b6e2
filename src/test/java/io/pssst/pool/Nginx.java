package io.pssst.pool;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx as a plain stateless UDP load balancer in front of a PSSST pool: its stream module,
 * one {@code upstream} of the pool's servers, {@code proxy_requests 1} and
 * {@code proxy_responses 1} so that every datagram is a session of its own, balanced on its
 * own, ended by its one reply, and {@code proxy_buffer_size 64k} so that no reply is cut
 * (the default 16k truncates larger ones, which clients then refuse). Run in the foreground as one process
 * ({@code daemon off; master_process off;}) that the test owns, with
 * {@code nginx -p DIR -c DIR/nginx.conf -e DIR/error.log}: the configuration, pid file and
 * logs are all in {@code DIR}; there is no {@code http} block, so no temporary paths under
 * {@code /var/lib/nginx} either.
 */
final class Nginx implements AutoCloseable {
    static final String INSTALL = "apt-get install -y nginx libnginx-mod-stream";
    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin", "/sbin");
    private static final Pattern MODULES_PATH = Pattern.compile("--modules-path=(\\S+)");
    private static final Pattern PREFIX = Pattern.compile("--prefix=(\\S+)");
    private static final int ATTEMPTS = 5;

    /**
     * An nginx that can balance UDP.
     *
     * @param executable the nginx binary
     * @param loadModule the {@code load_module} line its stream module needs, or "" if built in
     */
    record Installation(Path executable, String loadModule) {
    }

    private final PoolProcess process;
    private final InetSocketAddress address;
    private final Path dir;

    private Nginx(PoolProcess process, InetSocketAddress address, Path dir) {
        this.process = process;
        this.address = address;
        this.dir = dir;
    }

    /**
     * This machine's nginx and its stream module. Without either the test is skipped, and
     * the reason (with what to install) is printed, so that it shows in a build log too.
     */
    static Installation findOrSkip() throws IOException, InterruptedException {
        Optional<Path> exe = executable();
        if (exe.isEmpty()) {
            return skip("nginx not found (PATH, " + String.join(", ", SBIN) + ")");
        }
        String built = configureArguments(exe.get());
        if (built.matches("(?s).*--with-stream=dynamic\\b.*")) {
            Matcher m = MODULES_PATH.matcher(built);
            Matcher p = PREFIX.matcher(built);
            Path modules = m.find() ? Path.of(m.group(1)) : Path.of(p.find() ? p.group(1) : "/usr/local/nginx", "modules");
            Path module = modules.resolve("ngx_stream_module.so");
            if (!Files.isRegularFile(module)) {
                return skip("nginx's stream module is not installed (no " + module + ")");
            }
            return new Installation(exe.get(), "load_module " + quoted(module) + ";");
        }
        if (!built.matches("(?s).*--with-stream(\\s.*)?")) {
            return skip(exe.get() + " was built without the stream module (nginx -V shows no --with-stream)");
        }
        return new Installation(exe.get(), "");
    }

    private static Installation skip(String why) {
        String message = why + ": the pool-behind-nginx test is skipped. Debian: " + INSTALL;
        System.out.println("NginxPoolIT: " + message);
        assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> executable() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SBIN);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "nginx")).filter(Files::isExecutable)
                .findFirst();
    }

    /** What {@code nginx -V} prints (on standard error): version and configure arguments. */
    private static String configureArguments(Path nginx) throws IOException, InterruptedException {
        try (PoolProcess v = PoolProcess.start("nginx-V", Path.of("."), Duration.ofSeconds(30),
                List.of(nginx.toString(), "-V"))) {
            v.waitFor(Duration.ofSeconds(20));
            return v.output();
        }
    }

    /**
     * The configuration: nginx on {@code listen} (UDP) balancing every datagram across
     * {@code backends} round-robin, and relaying the one reply back, whatever its size. A
     * backend that refuses a datagram (ICMP port unreachable: it is down) is left out for 10 s.
     */
    static String config(Installation nginx, Path dir, InetSocketAddress listen, List<InetSocketAddress> backends) {
        StringBuilder upstream = new StringBuilder();
        for (InetSocketAddress b : backends) {
            upstream.append("        server ").append(hostPort(b)).append(" max_fails=1 fail_timeout=10s;\n");
        }
        return """
                # A PSSST pool behind nginx: a plain stateless UDP load balancer (written by the pool test).
                %s
                daemon off;          # the test owns the process
                master_process off;  # one process, nothing left behind when it is killed
                pid %s;
                lock_file %s;
                error_log %s warn;
                events {
                    worker_connections 1024;
                }
                stream {
                    log_format pool '$remote_addr:$remote_port -> $upstream_addr $status $bytes_received/$bytes_sent';
                    access_log %s pool;
                    upstream pssst_pool {
                %s    }
                    server {
                        listen %s udp;
                        proxy_pass pssst_pool;
                        proxy_requests 1;         # each datagram is a session of its own, balanced on its own,
                        proxy_responses 1;        # ... which ends with its one reply
                        proxy_timeout 2s;         # a request without a reply is forgotten after 2 s
                        proxy_buffer_size 64k;    # replies up to the largest datagram (the default 16k truncates)
                    }
                }
                """.formatted(nginx.loadModule(), quoted(dir.resolve("nginx.pid")), quoted(dir.resolve("nginx.lock")),
                quoted(dir.resolve("error.log")), quoted(dir.resolve("access.log")), upstream, hostPort(listen));
    }

    /**
     * Starts nginx on a free UDP port of {@code host}, in front of {@code backends}; returns
     * once it has bound its socket (it writes its pid file after that).
     */
    static Nginx start(Installation nginx, Path dir, String host, List<InetSocketAddress> backends)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("nginx.conf");
        Path pid = dir.resolve("nginx.pid");
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            InetSocketAddress listen = new InetSocketAddress(host, PoolServer.freeUdpPort(host));
            Files.writeString(conf, config(nginx, dir, listen, backends), StandardCharsets.UTF_8);
            Files.deleteIfExists(pid);
            PoolProcess p = PoolProcess.start("nginx", dir, LIFETIME, List.of(nginx.executable().toString(),
                    "-p", dir.toString(), "-c", conf.toString(), "-e", dir.resolve("error.log").toString()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p.isAlive() && !Files.exists(pid) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (p.isAlive() && Files.exists(pid)) {
                return new Nginx(p, listen, dir);
            }
            p.close();
            String said = p.output() + readQuietly(dir.resolve("error.log"));
            if (!said.contains("Address already in use")) {
                throw new AssertionError("nginx did not start (see " + conf + "):\n" + said);
            }
            failures.append(said);
        }
        throw new AssertionError("nginx found no free port in " + ATTEMPTS + " attempts:\n" + failures);
    }

    /** Where clients send their requests. */
    InetSocketAddress address() {
        return address;
    }

    /** nginx's error log so far (warnings and errors: refused datagrams, backends taken out). */
    String errorLog() {
        return readQuietly(dir.resolve("error.log"));
    }

    /** One line per UDP session: client, backend chosen, status, bytes. */
    String accessLog() {
        return readQuietly(dir.resolve("access.log"));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }

    /** A path as an nginx string: in double quotes, so that spaces do not split it. */
    private static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** SIGTERM (nginx's fast shutdown), then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (process.isAlive()) {
                process.terminate(Duration.ofSeconds(10));
            }
        } catch (AssertionError lingering) {
            // terminate() killed it
        } finally {
            process.close();
        }
    }
}
