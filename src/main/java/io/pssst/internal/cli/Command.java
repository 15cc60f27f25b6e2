package io.pssst.internal.cli;

/** One {@code pssst} sub-command. Implementations are stateless; {@link #run} does the work. */
interface Command {
    /** The name typed after {@code pssst}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full help text printed by {@code --help}: usage line, description, options. */
    String help();

    /** The options and the number of positional arguments the command accepts. */
    Args.Spec spec();

    /**
     * Runs the command.
     *
     * @return the exit status (0 success, 1 failure)
     * @throws UsageException for a bad command line (exit 2)
     * @throws Exception for a failure (exit 1, one line on stderr)
     */
    int run(Args args, Io io) throws Exception;
}
