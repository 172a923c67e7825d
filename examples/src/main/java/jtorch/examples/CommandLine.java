package jtorch.examples;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * Options given as {@code --name value} pairs, with defaults, and {@code --switch}es, read as
     * argparse reads them: an unknown option or a missing value is an {@link IllegalArgumentException}
     * worded as argparse's, and so is a value that is not of the type asked for.
     *
     * <pre>{@code
     * var o = CommandLine.Options.parse(argv, new String[][] {{"epochs", "40"}, {"lr", "20"}}, "tied");
     * int epochs = o.positive("epochs");
     * double lr = o.real("lr");
     * boolean tied = o.isSet("tied");
     * }</pre>
     */
    public static final class Options {
        private final Map<String, String> values;
        private final Set<String> switches;

        private Options(Map<String, String> values, Set<String> switches) {
            this.values = values;
            this.switches = switches;
        }

        /**
         * @param defaults {name, default} pairs of the options that take a value (a null default: not given)
         * @param switchNames the options that take no value
         */
        public static Options parse(String[] argv, String[][] defaults, String... switchNames) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String[] d : defaults) values.put(d[0], d[1]);
            Set<String> known = Set.of(switchNames), given = new LinkedHashSet<>();
            for (int i = 0; i < argv.length; i++) {
                String flag = argv[i], name = flag.startsWith("--") ? flag.substring(2) : null;
                if (name != null && known.contains(name)) {
                    given.add(name);
                } else if (name == null || !values.containsKey(name)) {
                    throw new IllegalArgumentException("unrecognized arguments: " + flag);
                } else if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("argument " + flag + ": expected one argument");
                } else {
                    values.put(name, argv[++i]);
                }
            }
            return new Options(values, given);
        }

        /** The value of {@code --name}, or its default (null when it has none and was not given). */
        public String get(String name) {
            if (!values.containsKey(name)) throw new IllegalArgumentException("no option --" + name);
            return values.get(name);
        }

        /** Whether the switch {@code --name} was given. */
        public boolean isSet(String name) {
            return switches.contains(name);
        }

        /** {@code --name} as an int. */
        public int integer(String name) {
            long n = longInteger(name);
            if (n != (int) n) throw new IllegalArgumentException("argument --" + name + ": invalid int value: '" + get(name) + "'");
            return (int) n;
        }

        /** {@code --name} as an int of at least 1. */
        public int positive(String name) {
            int n = integer(name);
            if (n < 1) throw new IllegalArgumentException("argument --" + name + ": must be at least 1, got " + n);
            return n;
        }

        /** {@code --name} as a long. */
        public long longInteger(String name) {
            try {
                return Long.parseLong(get(name));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("argument --" + name + ": invalid int value: '" + get(name) + "'");
            }
        }

        /** {@code --name} as a double. */
        public double real(String name) {
            try {
                return Double.parseDouble(get(name));
            } catch (NumberFormatException | NullPointerException e) {
                throw new IllegalArgumentException("argument --" + name + ": invalid float value: '" + get(name) + "'");
            }
        }

        /** {@code --name}, which must be one of {@code choices}. */
        public String choice(String name, String... choices) {
            String v = get(name);
            if (!List.of(choices).contains(v)) {
                StringBuilder list = new StringBuilder();
                for (String c : choices) list.append(list.length() == 0 ? "" : ", ").append('\'').append(c).append('\'');
                throw new IllegalArgumentException("argument --" + name + ": invalid choice: '" + v + "' (choose from " + list + ")");
            }
            return v;
        }
    }

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
