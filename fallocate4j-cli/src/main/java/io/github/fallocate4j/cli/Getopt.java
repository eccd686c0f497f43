package io.github.fallocate4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * glibc's {@code getopt_long(3)}, which util-linux parses with, so that every command line means the
 * same and every mistake gets the same message: clustered short options ({@code -nl1M}), option
 * arguments attached or separate, long options abbreviated to any unambiguous prefix, {@code --opt=value},
 * operands anywhere (GNU permutation, off under {@code POSIXLY_CORRECT}), and {@code --} ending options.
 */
final class Getopt {
    private Getopt() {}

    /** A long option: its name, whether it takes an argument, and the short option it stands for. */
    record LongOption(String name, boolean hasArg, char value) {}

    /** Receives each option in command-line order; {@code '?'} after a mistake getopt has reported. */
    @FunctionalInterface
    interface Handler {
        void option(char option, String argument) throws Program.Exit;
    }

    /**
     * Parses {@code args}, calling {@code handler} for each option, and returns the operands in order.
     *
     * @param program   where getopt's own messages go, under the full argv[0] as glibc prints it
     * @param shortOpts the optstring, e.g. {@code "hvl:o:"}
     */
    static List<String> parse(Program program, List<String> args, String shortOpts, List<LongOption> longOpts,
            Handler handler) throws Program.Exit {
        boolean permute = System.getenv("POSIXLY_CORRECT") == null;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.length() == 1) {
                if (!permute) {
                    operands.addAll(args.subList(i, args.size()));
                    break;
                }
                operands.add(arg);
                continue;
            }
            if (arg.startsWith("--")) {
                i = longOption(program, args, i, longOpts, handler);
                continue;
            }
            for (int k = 1; k < arg.length(); k++) {
                char c = arg.charAt(k);
                int at = c == ':' ? -1 : shortOpts.indexOf(c);
                if (at < 0) {
                    program.getoptError("invalid option -- '" + c + "'");
                    handler.option('?', null);
                    break;
                }
                if (at + 1 < shortOpts.length() && shortOpts.charAt(at + 1) == ':') {
                    String value;
                    if (k + 1 < arg.length()) {
                        value = arg.substring(k + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        program.getoptError("option requires an argument -- '" + c + "'");
                        handler.option('?', null);
                        break;
                    }
                    handler.option(c, value);
                    break;
                }
                handler.option(c, null);
            }
        }
        return operands;
    }

    /** Handles {@code args[i]}, a "--name[=value]"; returns the index of the last argument used. */
    private static int longOption(Program program, List<String> args, int i, List<LongOption> longOpts,
            Handler handler) throws Program.Exit {
        String text = args.get(i).substring(2);
        int eq = text.indexOf('=');
        String name = eq < 0 ? text : text.substring(0, eq);
        LongOption found = null;
        List<LongOption> matches = new ArrayList<>();
        for (LongOption o : longOpts) {
            if (o.name().equals(name)) {
                found = o;
                matches.clear();
                break;
            }
            if (o.name().startsWith(name)) {
                matches.add(o);
            }
        }
        if (found == null && matches.size() > 1) {
            StringBuilder message = new StringBuilder("option '--" + text + "' is ambiguous; possibilities:");
            for (LongOption o : matches) {
                message.append(" '--").append(o.name()).append('\'');
            }
            program.getoptError(message.toString());
            handler.option('?', null);
            return i;
        }
        if (found == null && matches.size() == 1) {
            found = matches.get(0);
        }
        if (found == null) {
            program.getoptError("unrecognized option '--" + text + "'");
            handler.option('?', null);
            return i;
        }
        if (!found.hasArg()) {
            if (eq >= 0) {
                program.getoptError("option '--" + found.name() + "' doesn't allow an argument");
                handler.option('?', null);
                return i;
            }
            handler.option(found.value(), null);
            return i;
        }
        if (eq >= 0) {
            handler.option(found.value(), text.substring(eq + 1));
            return i;
        }
        if (i + 1 < args.size()) {
            handler.option(found.value(), args.get(i + 1));
            return i + 1;
        }
        program.getoptError("option '--" + found.name() + "' requires an argument");
        handler.option('?', null);
        return i;
    }
}
