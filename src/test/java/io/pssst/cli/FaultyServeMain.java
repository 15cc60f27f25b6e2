package io.pssst.cli;

import java.io.IOException;

/**
 * {@link Main#main} as the process's main, plus one real fault on cue: when a byte arrives on
 * standard input, the first server worker ({@code pssst-serve-0}) is interrupted, which closes
 * the socket it receives on (as any interrupt of a thread in channel I/O does). For
 * {@link LauncherIT}, which starts it as {@code java -cp JAR:TEST_CLASSES} to see how a
 * {@code serve} process that fails ends. {@code serve} never reads standard input.
 */
final class FaultyServeMain {
    private FaultyServeMain() {
    }

    public static void main(String[] args) {
        Thread saboteur = new Thread(() -> {
            try {
                if (System.in.read() < 0) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("pssst-serve-0")) {
                    t.interrupt();
                }
            }
        }, "saboteur");
        saboteur.setDaemon(true);
        saboteur.start();
        Main.main(args);
    }
}
