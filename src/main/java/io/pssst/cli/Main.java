package io.pssst.cli;

import io.pssst.PssstException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.SocketException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pssst} command: dispatches to a sub-command and turns its outcome into an exit
 * status — 0 success, 1 failure, 2 bad usage — with a one-line error on standard error
 * (a stack trace only with {@code --verbose}).
 *
 * <p>{@link #run} does everything except end the JVM, so tests call it in-process.
 */
public final class Main {
    /** Exit status: the command did its job. */
    static final int OK = 0;
    /** Exit status: the command failed (missing file, bad key, timeout, refused reply...). */
    static final int FAILURE = 1;
    /** Exit status: the command line is wrong. */
    static final int USAGE = 2;

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.of(new DemoCommand(), new KeygenCommand(), new PubkeyCommand(), new ServeCommand(),
                new SendCommand(), new BenchCommand(), new InspectCommand(), new CompatCommand())) {
            COMMANDS.put(c.name(), c);
        }
    }

    private Main() {
    }

    /** Runs a command as the whole process and exits with its status. */
    public static void main(String[] args) {
        Io io = new Io(System.in, System.out, System.err, onTerminal(), true);
        int status = run(args, io);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs a command in-process: reads {@code in}, writes {@code out} and {@code err}, and
     * returns the exit status. Never calls {@code System.exit}.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, new Io(in, out, err, false, false));
    }

    static int run(String[] argv, Io io) {
        List<String> args = Arrays.asList(argv);
        boolean verbose = args.contains("--verbose");
        int i = 0;
        while (i < args.size() && args.get(i).equals("--verbose")) {
            i++;
        }
        String name = i < args.size() ? args.get(i) : "--help";
        List<String> rest = args.subList(Math.min(i + 1, args.size()), args.size());
        switch (name) {
            case "--help", "-h", "help" -> {
                if (!rest.isEmpty() && COMMANDS.containsKey(rest.get(0))) {
                    io.out().print(COMMANDS.get(rest.get(0)).help());
                } else if (!rest.isEmpty()) {
                    io.err().println("pssst: no help for '" + oneLine(rest.get(0)) + "': not a command (try 'pssst --help')");
                    return USAGE;
                } else {
                    io.out().print(overview());
                }
                return OK;
            }
            case "--version" -> {
                io.out().println("pssst " + version());
                return OK;
            }
            default -> {
                Command command = COMMANDS.get(name);
                if (command == null) {
                    io.err().println("pssst: unknown command '" + oneLine(name) + "' (try 'pssst --help')");
                    return USAGE;
                }
                return run(command, rest, io, verbose);
            }
        }
    }

    /** Runs one command; every outcome, even running out of memory, becomes a status and one line. */
    static int run(Command command, List<String> argv, Io io, boolean verbose) {
        String prefix = "pssst " + command.name() + ": ";
        try {
            Args args = Args.parse(command.spec(), argv);
            if (args.flag("--help")) {
                io.out().print(command.help());
                return OK;
            }
            return command.run(args, io);
        } catch (UsageException e) {
            io.err().println(prefix + oneLine(e.getMessage()) + " (try 'pssst " + command.name() + " --help')");
            trace(e, io, verbose);
            return USAGE;
        } catch (OutOfMemoryError e) {
            io.err().println(prefix + "out of memory (run with --verbose for details)");
            trace(e, io, verbose);
            return FAILURE;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            io.err().println(prefix + oneLine(describe(e)));
            trace(e, io, verbose);
            return FAILURE;
        } finally {
            io.out().flush();
        }
    }

    /**
     * {@code text} on one line: control characters (a newline or an escape sequence in an
     * argument that a message quotes) are shown escaped, so an error stays the one line the
     * command promises and cannot rewrite the terminal.
     */
    static String oneLine(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c >= 0x7f && c < 0xa0 || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (control) {
                b.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    private static void trace(Throwable e, Io io, boolean verbose) {
        if (verbose) {
            e.printStackTrace(io.err());
        }
    }

    /** One line saying what went wrong, without the class names of the JDK's internals. */
    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        if (e instanceof CommandFailedException) {
            return e.getMessage();
        }
        if (e instanceof PssstException p) {
            return "refused (" + p.reason().wireName() + "): " + p.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "file already exists: " + f.getFile();
        }
        if (e instanceof CharacterCodingException) {
            return "not a text file (it holds bytes that are not valid text)";
        }
        if (e instanceof DirectoryNotEmptyException f) {
            return "directory not empty: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() == null) {
            return f.getFile() + ": " + f.getClass().getSimpleName().replace("Exception", "");
        }
        if (e instanceof IOException) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        if (e instanceof InterruptedException) {
            return "interrupted";
        }
        String m = e.getMessage();
        return "internal error: " + e.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                + " (run with --verbose for details)";
    }

    /**
     * Why a datagram could not be sent to {@code target}, in one line. A send refused with
     * "Permission denied" (EACCES, which the JDK reports as a {@code BindException}) is what
     * sending to a broadcast address without SO_BROADCAST gets.
     */
    static String cannotSend(String target, SocketException e) {
        String why = "Permission denied".equals(e.getMessage())
                ? "the system refused it (permission denied): a broadcast address? A PSSST request goes to one server"
                : describe(e);
        return "cannot send to " + target + ": " + why;
    }

    private static String overview() {
        StringBuilder b = new StringBuilder();
        b.append("""
                pssst - Packet Security for Stateless Server Transactions (PSSST) over UDP

                Usage: pssst [--verbose] COMMAND [OPTIONS] [ARGS]

                Commands:
                """);
        for (Command c : COMMANDS.values()) {
            b.append(String.format("  %-8s %s%n", c.name(), c.summary()));
        }
        b.append("""

                Every command takes --help. Exit status: 0 success, 1 failure, 2 bad usage.
                --verbose prints a stack trace with an error. Start with: pssst demo
                """);
        return b.toString();
    }

    /**
     * Whether this process talks to a terminal: {@code System.console() != null}, and on Java
     * 22 and later (where a console may exist with redirected streams) its {@code isTerminal()}.
     */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // Java 17 to 21: a console means a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The module's version, or the jar's, or "unknown" (running from classes). */
    static String version() {
        Module m = Main.class.getModule();
        if (m.isNamed() && m.getDescriptor().version().isPresent()) {
            return m.getDescriptor().version().map(ModuleDescriptor.Version::toString).orElseThrow();
        }
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(unknown version)" : v;
    }
}
