package io.pssst.cli;

import java.util.Locale;

/**
 * The latency-distribution chart of {@code pssst bench --svg}: a histogram of request
 * latencies on a logarithmic time axis, with the p50, p90 and p99 marked. Plain SVG 1.1
 * written here, no dependency.
 */
final class SvgChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 50;
    private static final int BINS = 48;

    private SvgChart() {
    }

    /** The SVG document for {@code h}; {@code title} is escaped. */
    static String render(LatencyHistogram h, String title) {
        StringBuilder s = new StringBuilder(16_384);
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(s, WIDTH / 2.0, 22, "middle", 15, escape(title));
        if (h.count() == 0) {
            text(s, WIDTH / 2.0, HEIGHT / 2.0, "middle", 14, "no completed requests");
            return s.append("</svg>\n").toString();
        }
        double lo = Math.max(1, h.percentile(0.0) * 0.9);
        double hi = Math.max(lo * 10, h.max() * 1.1);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        long[] bins = new long[BINS];
        long peak = 1;
        for (int i = 0; i < BINS; i++) {
            long from = (long) Math.ceil(edge(lo, hi, i));
            long to = (long) Math.ceil(edge(lo, hi, i + 1));
            bins[i] = h.countBetween(from, i == BINS - 1 ? Long.MAX_VALUE : to);
            peak = Math.max(peak, bins[i]);
        }
        double barW = plotW / BINS;
        for (int i = 0; i < BINS; i++) {
            double bh = plotH * bins[i] / peak;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#4a78b5\"><title>%d requests</title></rect>%n",
                    LEFT + i * barW + 0.5, TOP + plotH - bh, Math.max(0.5, barW - 1), bh, bins[i]));
        }
        axes(s, lo, hi, plotW, plotH, peak);
        marker(s, "p50", h.percentile(50), lo, hi, plotW, "#2a9d4b");
        marker(s, "p90", h.percentile(90), lo, hi, plotW, "#e09b1a");
        marker(s, "p99", h.percentile(99), lo, hi, plotW, "#d0392b");
        return s.append("</svg>\n").toString();
    }

    private static double edge(double lo, double hi, int i) {
        return lo * Math.pow(hi / lo, (double) i / BINS);
    }

    private static double x(double v, double lo, double hi, double plotW) {
        return LEFT + plotW * Math.log(Math.max(v, lo) / lo) / Math.log(hi / lo);
    }

    private static void axes(StringBuilder s, double lo, double hi, double plotW, double plotH, long peak) {
        double y0 = TOP + plotH;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
                LEFT, y0, LEFT + plotW, y0));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\"/>%n",
                LEFT, TOP, LEFT, y0));
        for (double decade = Math.pow(10, Math.floor(Math.log10(lo))); decade <= hi; decade *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                double v = decade * m;
                if (v >= lo && v <= hi) {
                    double x = x(v, lo, hi, plotW);
                    s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                            + "stroke=\"black\"/>%n", x, y0, x, y0 + 5));
                    text(s, x, y0 + 18, "middle", 11, micros((long) v));
                }
            }
        }
        text(s, LEFT + plotW / 2, HEIGHT - 8, "middle", 12, "latency (log scale)");
        text(s, LEFT - 8, TOP + 4, "end", 11, Long.toString(peak));
        text(s, LEFT - 8, y0, "end", 11, "0");
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %.1f)\">requests</text>%n", TOP + plotH / 2, TOP + plotH / 2));
    }

    private static void marker(StringBuilder s, String name, long v, double lo, double hi, double plotW, String color) {
        double x = x(v, lo, hi, plotW);
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\" stroke-dasharray=\"5,3\"/>%n", x, TOP, x, HEIGHT - BOTTOM, color));
        int dy = name.equals("p50") ? 0 : name.equals("p90") ? 13 : 26;
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\" font-size=\"11\">%s %s</text>%n",
                x + 3, TOP + 10 + dy, color, name, micros(v)));
    }

    private static void text(StringBuilder s, double x, double y, String anchor, int size, String text) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, text));
    }

    /** A duration in microseconds as "850 µs", "1.2 ms" or "3.4 s". */
    static String micros(long us) {
        if (us < 1_000) {
            return us + " \u00b5s";
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, us < 10_000 ? "%.2f ms" : "%.1f ms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f s", us / 1e6);
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
