package io.pssst.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures the log records of one {@code java.util.logging} logger and its children, at the
 * level asked for, while open; closing restores the logger's level and handlers. The JDK's
 * default {@link System.LoggerFinder} hands {@link System.Logger}s to {@code java.util.logging}
 * when the {@code java.logging} module is present (it is, on the class path the tests run
 * on): {@link #systemLoggersReachJul()} checks it, so a test never passes because nothing
 * was captured.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level oldLevel;
    private final boolean oldUseParents;
    private final Map<Handler, Level> silenced = new HashMap<>();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    /**
     * Starts capturing.
     *
     * @param name the logger ("" for the root: every record of the JVM)
     * @param level the level to set on it while capturing
     * @param quiet whether to keep the records from the console meanwhile: from the logger's
     *        parents, and from its own handlers (the root's console handler)
     */
    public LogCapture(String name, Level level, boolean quiet) {
        this.logger = Logger.getLogger(name);
        this.oldLevel = logger.getLevel();
        this.oldUseParents = logger.getUseParentHandlers();
        setLevel(Level.ALL);
        logger.addHandler(this);
        logger.setLevel(level);
        if (quiet) {
            logger.setUseParentHandlers(false);
            for (Handler h : logger.getHandlers()) {
                if (h != this) {
                    silenced.put(h, h.getLevel());
                    h.setLevel(Level.OFF);
                }
            }
        }
    }

    /** Whether {@code System.getLogger(name)} records reach JUL's logger of that name. */
    public static boolean systemLoggersReachJul(String name) {
        String canary = "canary " + System.nanoTime();
        try (LogCapture c = new LogCapture(name, Level.ALL, true)) {
            System.getLogger(name).log(System.Logger.Level.INFO, canary);
            return c.texts().stream().anyMatch(t -> t.contains(canary));
        }
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {
    }

    /** {@return the records so far} */
    public List<LogRecord> records() {
        return new ArrayList<>(records);
    }

    /** {@return each record as a line would show it: level, logger, message with its parameters, and the thrown chain} */
    public List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (LogRecord r : records) {
            StringBuilder b = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + ": " + formatter.formatMessage(r));
            if (r.getThrown() != null) {
                StringWriter w = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(w));
                b.append('\n').append(w);
            }
            texts.add(b.toString());
        }
        return texts;
    }

    /** Stops capturing and restores the logger. */
    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(oldLevel);
        logger.setUseParentHandlers(oldUseParents);
        silenced.forEach(Handler::setLevel);
    }
}
