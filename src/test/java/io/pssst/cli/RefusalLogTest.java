package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    @Test
    void tick_printsDifferencesOnly_andNothingWhenQuiet() {
        Map<String, Long> counts = new HashMap<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RefusalLog log = new RefusalLog(() -> counts, new PrintStream(bytes, true, StandardCharsets.UTF_8), "x: ");
        log.tick();
        counts.put("malformed", 3L);
        counts.put("decrypt-failed", 1L);
        log.tick();
        log.tick();
        counts.put("malformed", 10L);
        log.tick();
        assertEquals("x: refused in the last second: decrypt-failed 1, malformed 3\n"
                + "x: refused in the last second: malformed 7\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
