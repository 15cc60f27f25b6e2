package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir
    Path dir;

    private Path serverKey;

    @BeforeEach
    void keys() {
        serverKey = dir.resolve("server.key");
        CliRun.keygen(serverKey);
    }

    @Test
    void bench_requestsJsonSvg_summaryAndWellFormedChart() throws Exception {
        Path client = dir.resolve("client.key");
        CliRun.keygen(client);
        Path svg = dir.resolve("latency.svg");
        try (ServeRun s = new ServeRun("--key", serverKey.toString())) {
            CliRun r = CliRun.run("bench", "--server", s.address, "--server-key", s.serverKeyHex, "--key", client.toString(),
                    "--clients", "3", "--requests", "60", "--size", "100", "--json", "--svg", svg.toString());
            assertEquals(0, r.status(), r::toString);
            assertEquals("", r.err(), "no progress line when not on a terminal");
            JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
            assertEquals(60, j.get("requests").getAsLong(), r::out);
            assertEquals(3, j.get("clients").getAsInt());
            assertTrue(j.get("authenticated").getAsBoolean());
            assertEquals(0, j.get("timeouts").getAsLong());
            assertEquals(0, j.get("refusals").getAsLong());
            JsonObject lat = j.getAsJsonObject("latency_us");
            assertTrue(lat.get("p50").getAsLong() <= lat.get("p90").getAsLong()
                    && lat.get("p90").getAsLong() <= lat.get("p99").getAsLong()
                    && lat.get("p99").getAsLong() <= lat.get("max").getAsLong(), r::out);
            assertTrue(j.get("requests_per_second").getAsDouble() > 0);
        }
        String chart = Files.readString(svg);
        assertTrue(chart.startsWith("<?xml") && chart.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                && chart.endsWith("</svg>\n"), chart);
        assertEquals(count(chart, "<text"), count(chart, "</text>"));
        assertTrue(count(chart, "<rect") > 10, chart);
        assertTrue(chart.contains(">p99 "));
    }

    @Test
    void bench_durationText_printsSummary() throws Exception {
        try (ServeRun s = new ServeRun("--key", serverKey.toString())) {
            CliRun r = CliRun.run("bench", "--server", s.address, "--server-key", s.serverKeyHex, "--clients", "2",
                    "--duration", "1");
            assertEquals(0, r.status(), r::toString);
            assertTrue(r.out().contains("req/s") && r.out().contains("p99") && r.out().contains("timeouts   0"), r::out);
        }
    }

    @Test
    void bench_noServer_exitsOneWithTimeouts() throws Exception {
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CliRun r = CliRun.run("bench", "--server", "127.0.0.1:" + port, "--server-key", serverKey + ".pub",
                "--clients", "2", "--requests", "4", "--timeout", "50", "--json");
        assertEquals(1, r.status(), r::toString);
        assertEquals(4, JsonParser.parseString(r.out()).getAsJsonObject().get("timeouts").getAsLong());
        assertTrue(r.errIsOneLine() && r.err().contains("no request completed"), r::toString);
    }

    @Test
    void bench_badUsage_exitsTwo() {
        assertEquals(2, CliRun.run("bench", "--server", "127.0.0.1:9", "--server-key", serverKey + ".pub",
                "--duration", "1", "--requests", "5").status());
        assertEquals(2, CliRun.run("bench", "--server", "127.0.0.1:9", "--server-key", serverKey + ".pub",
                "--clients", "0").status());
        assertEquals(2, CliRun.run("bench", "--server", "127.0.0.1:9", "--server-key", serverKey + ".pub",
                "--size", "70000").status());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void bench_svgNotWritable_failsBeforeRunning() throws Exception {
        String pub = CliRun.run("pubkey", serverKey.toString()).out().strip();
        for (Path svg : new Path[] {dir, dir.resolve("absent/chart.svg")}) {
            CliRun r = CliRun.run("bench", "--server", "127.0.0.1:9", "--server-key", pub, "--duration", "1",
                    "--timeout", "50", "--svg", svg.toString());
            assertEquals(1, r.status(), r::toString);
            assertEquals("", r.out(), "no run, no summary");
            assertTrue(r.errIsOneLine() && r.err().contains("--svg"), r::toString);
        }
    }
}
