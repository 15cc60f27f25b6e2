package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void demo_short_everyStepBehaves() {
        CliRun r = CliRun.run("demo", "--seconds", "0.3");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("Every step behaved"), r::toString);
        for (String s : new String[] {"dropped it (unmatched-reply, 1)", "counted as decrypt-failed", "policy-refused (1)", "+52", "+116", "req/s"}) {
            assertTrue(r.out().contains(s), () -> s + " missing from\n" + r);
        }
        assertTrue(!r.out().contains("NOT AS EXPECTED"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void demo_badSeconds_exitsTwo() {
        assertEquals(2, CliRun.run("demo", "--seconds", "abc").status());
        assertEquals(2, CliRun.run("demo", "--seconds", "0").status());
    }
}
