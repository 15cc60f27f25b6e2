package io.pssst.cli;

/** One {@code pssst} sub-command: its name, help and options, and {@link #run}. Stateless. */
abstract class Command {
    private final String name;
    private final String summary;
    private final Args.Spec spec;
    private final String help;

    /**
     * @param name the name typed after {@code pssst}
     * @param summary one line for the command list
     * @param spec the options and number of positional arguments accepted
     * @param help the full text printed by {@code --help}, starting with the usage line
     */
    Command(String name, String summary, Args.Spec spec, String help) {
        this.name = name;
        this.summary = summary;
        this.spec = spec;
        this.help = help;
    }

    final String name() {
        return name;
    }

    final String summary() {
        return summary;
    }

    final Args.Spec spec() {
        return spec;
    }

    final String help() {
        return help;
    }

    /**
     * Runs the command.
     *
     * @return the exit status (0 success, 1 failure)
     * @throws UsageException for a bad command line (exit 2)
     * @throws Exception for a failure (exit 1, one line on stderr)
     */
    abstract int run(Args args, Io io) throws Exception;
}
