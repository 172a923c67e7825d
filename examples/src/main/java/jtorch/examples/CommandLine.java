package jtorch.examples;

import java.util.List;

/**
 * The command-line shell the example programs share, in the manner of Python's {@code argparse}:
 * a bad option prints the usage and {@code "<program>: error: <message>"} and exits with status 2;
 * a user's mistake found while running (a missing data file, a bad option value) prints
 * {@code "<program>: <message>"} and exits with status 2; anything else propagates.
 *
 * <pre>{@code
 * public static void main(String[] argv) throws IOException {
 *     CommandLine.run("Generate", USAGE, argv, Args::parse, args -> run(args, System.out),
 *             List.of(FileNotFoundException.class, IllegalArgumentException.class));
 * }
 * }</pre>
 */
public final class CommandLine {
    private CommandLine() {}

    /** Parses the arguments; throws {@link IllegalArgumentException} naming what is wrong. */
    @FunctionalInterface
    public interface Parser<A> {
        A parse(String[] argv);
    }

    /** Runs the program on parsed arguments. */
    @FunctionalInterface
    public interface Program<A> {
        void run(A args) throws java.io.IOException;
    }

    /**
     * Parses {@code argv} and runs the program.
     *
     * @param userErrors the exception types that report a user's mistake rather than a bug
     */
    public static <A> void run(String program, String usage, String[] argv, Parser<A> parser, Program<A> body,
            List<Class<? extends Exception>> userErrors) throws java.io.IOException {
        A args;
        try {
            args = parser.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("usage: " + program + " " + usage);
            System.err.println(program + ": error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            body.run(args);
        } catch (java.io.IOException | RuntimeException e) {
            for (Class<? extends Exception> userError : userErrors) {
                if (userError.isInstance(e)) {
                    System.err.println(program + ": " + e.getMessage());
                    System.exit(2);
                    return;
                }
            }
            throw e;
        }
    }
}
