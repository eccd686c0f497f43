package io.github.fallocate4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Command-line parsing with the rules and the diagnostics of glibc's getopt_long(3), which util-linux
 * uses: clustered short options ({@code -nl 10}), attached values ({@code -l10}, {@code --length=10}),
 * unambiguous prefixes of long options ({@code --len}), options after operands, and {@code --}.
 * Scripts compare these messages, so they are reproduced word for word.
 */
final class Getopt {
    /** A long option: its name, whether it takes a value, and the short option it stands for. */
    record LongOption(String name, boolean hasArg, char shortName) {}

    /** One parsed option, with its value (or null). */
    record Parsed(char option, String value) {}

    /** The parse result: options in order, then the operands. */
    record Result(List<Parsed> options, List<String> operands) {}

    /** A getopt diagnostic, already worded as getopt prints it after the program name. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final String shortOptions;
    private final List<LongOption> longOptions;

    /**
     * @param shortOptions getopt's optstring: letters, each followed by ':' when it takes a value
     * @param longOptions  the long options, in the order getopt lists them when a prefix is ambiguous
     */
    Getopt(String shortOptions, List<LongOption> longOptions) {
        this.shortOptions = shortOptions;
        this.longOptions = longOptions;
    }

    /**
     * Parses {@code args}, calling {@code each} for every option as getopt returns it, so that a caller
     * can act on an option (and fail) before later ones are read, as util-linux programs do.
     */
    Result parse(String[] args, OptionHandler each) throws Failure, Exit {
        List<Parsed> options = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                operands.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                LongOption option = longOption(name, arg);
                String value = null;
                if (option.hasArg()) {
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new Failure("option '--" + option.name() + "' requires an argument");
                    }
                } else if (eq >= 0) {
                    throw new Failure("option '--" + option.name() + "' doesn't allow an argument");
                }
                Parsed parsed = new Parsed(option.shortName(), value);
                options.add(parsed);
                each.accept(parsed);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                for (int c = 1; c < arg.length(); c++) {
                    char letter = arg.charAt(c);
                    int at = letter == ':' ? -1 : shortOptions.indexOf(letter);
                    if (at < 0) {
                        throw new Failure("invalid option -- '" + letter + "'");
                    }
                    boolean hasArg = at + 1 < shortOptions.length() && shortOptions.charAt(at + 1) == ':';
                    String value = null;
                    if (hasArg) {
                        if (c + 1 < arg.length()) {
                            value = arg.substring(c + 1);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw new Failure("option requires an argument -- '" + letter + "'");
                        }
                        c = arg.length();
                    }
                    Parsed parsed = new Parsed(letter, value);
                    options.add(parsed);
                    each.accept(parsed);
                }
            } else {
                operands.add(arg);
            }
        }
        return new Result(options, operands);
    }

    private LongOption longOption(String name, String arg) throws Failure {
        List<LongOption> matches = new ArrayList<>();
        for (LongOption option : longOptions) {
            if (option.name().equals(name)) {
                return option;
            }
            if (option.name().startsWith(name)) {
                matches.add(option);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new Failure("unrecognized option '" + arg + "'");
        }
        StringBuilder sb = new StringBuilder("option '").append(arg).append("' is ambiguous; possibilities:");
        for (LongOption option : matches) {
            sb.append(" '--").append(option.name()).append('\'');
        }
        throw new Failure(sb.toString());
    }

    /** Acts on each option as it is parsed; may end the program by throwing. */
    @FunctionalInterface
    interface OptionHandler {
        void accept(Parsed option) throws Failure, Exit;
    }
}
