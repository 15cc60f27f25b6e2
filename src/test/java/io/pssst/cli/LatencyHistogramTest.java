package io.pssst.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void index_lowerBound_roundTripsAndIsMonotonic() {
        int previous = -1;
        for (long v = 0; v < 5_000_000; v = v < 1000 ? v + 1 : v + v / 97) {
            int i = LatencyHistogram.index(v);
            assertTrue(i >= previous, "monotonic at " + v);
            assertTrue(LatencyHistogram.lower(i) <= v && v <= LatencyHistogram.upper(i), "bucket of " + v);
            previous = i;
        }
    }

    @Test
    void percentile_randomSamples_within2Percent() {
        Random r = new Random(42);
        long[] samples = new long[20_000];
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 50 + (long) Math.abs(r.nextGaussian() * 2000);
            (i % 2 == 0 ? a : b).record(samples[i]);
        }
        a.add(b);
        Arrays.sort(samples);
        assertEquals(samples.length, a.count());
        assertEquals(samples[samples.length - 1], a.max());
        for (double p : new double[] {50, 90, 99}) {
            long exact = samples[(int) Math.ceil(p / 100 * samples.length) - 1];
            long approx = a.percentile(p);
            assertTrue(Math.abs(approx - exact) <= exact * 0.02 + 1, p + ": " + approx + " vs " + exact);
        }
    }

    @Test
    void percentile_empty_isZero() {
        assertEquals(0, new LatencyHistogram().percentile(99));
    }

    @Test
    void svg_empty_saysNoRequests() {
        assertTrue(SvgChart.render(new LatencyHistogram(), "t<&>").contains("no completed requests"));
        assertTrue(SvgChart.render(new LatencyHistogram(), "t<&>").contains("t&lt;&amp;&gt;"));
    }
}
