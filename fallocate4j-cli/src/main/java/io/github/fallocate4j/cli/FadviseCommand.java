package io.github.fallocate4j.cli;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** {@code fadvise}: util-linux fadvise(1) as of 2.42, on fallocate4j. */
public final class FadviseCommand {
    static final String NAME = "fadvise";
    /** util-linux's names, in its order ("willneeded" is its spelling). */
    private static final Map<String, Advice> ADVICE = new LinkedHashMap<>();

    static {
        ADVICE.put("normal", Advice.NORMAL);
        ADVICE.put("sequential", Advice.SEQUENTIAL);
        ADVICE.put("random", Advice.RANDOM);
        ADVICE.put("noreuse", Advice.NOREUSE);
        ADVICE.put("willneeded", Advice.WILLNEED);
        ADVICE.put("dontneed", Advice.DONTNEED);
    }

    private static final String USAGE = """

            Usage:
             fadvise [options] file
             fadvise [options] --fd|-d file-descriptor

            Options:
             -a, --advice <advice> applying advice to the file (default: "dontneed")
             -d, --fd <num>        applying advice to the file descriptor
             -l, --length <num>    length for range operations, in bytes
             -o, --offset <num>    offset for range operations, in bytes

             -h, --help            display this help
             -V, --version         display version

            Available values for advice:
            """ + ADVICE.keySet().stream().map(name -> "  " + name + "\n").reduce("", String::concat) + """

            For more details see fadvise(1).
            """;
    private static final Getopt GETOPT = new Getopt("a:d:hl:o:V", List.of(
            new Getopt.LongOption("advice", true, 'a'),
            new Getopt.LongOption("fd", true, 'd'),
            new Getopt.LongOption("length", true, 'l'),
            new Getopt.LongOption("offset", true, 'o'),
            new Getopt.LongOption("version", false, 'V'),
            new Getopt.LongOption("help", false, 'h')));

    private final Console console;
    private int fd = -1;
    private long offset;
    private long length;
    private Advice advice = Advice.DONTNEED;

    private FadviseCommand(Console console) {
        this.console = console;
    }

    /** Runs as a process: exit status from {@link #run}. */
    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    /** Runs the command and returns its exit status. */
    static int run(String[] args, Console console) {
        try {
            new FadviseCommand(console).execute(args);
            return 0;
        } catch (Exit exit) {
            if (exit.getMessage() != null) {
                console.err().print(exit.getMessage());
            }
            return exit.status();
        } catch (Getopt.Failure failure) {
            console.err().print(console.argv0(NAME) + ": " + failure.getMessage() + "\n" + tryHelp());
            return 1;
        } finally {
            console.out().flush();
            console.err().flush();
        }
    }

    private static String tryHelp() {
        return "Try '" + NAME + " --help' for more information.\n";
    }

    private void execute(String[] args) throws Exit, Getopt.Failure {
        List<String> operands = GETOPT.parse(args, this::option).operands();
        if (operands.isEmpty() && fd == -1) {
            throw Exit.failure(NAME + ": no file specified\n" + tryHelp());
        }
        if (!operands.isEmpty() && fd != -1) {
            throw Exit.failure(NAME + ": specify either file descriptor or file name\n" + tryHelp());
        }
        if (operands.size() > 1) {
            throw Exit.failure(NAME + ": specify one file descriptor or file name\n" + tryHelp());
        }
        try {
            if (fd != -1) {
                Fallocate.posixFadvise(fd, offset, length, advice.value());
            } else {
                advisePath(operands.get(0));
            }
        } catch (FileSpaceException e) {
            throw Exit.failure(NAME + ": failed to advise: " + Strerror.of(e) + "\n");
        } catch (IllegalArgumentException e) {
            // A negative descriptor or range, which posix_fadvise(3) refuses.
            throw Exit.failure(NAME + ": failed to advise: "
                    + (fd < -1 ? Errno.EBADF : Errno.EINVAL).description() + "\n");
        } catch (IOException e) {
            throw Exit.failure(NAME + ": failed to advise: " + Strerror.of(e) + "\n");
        }
    }

    private void advisePath(String name) throws Exit, IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(Path.of(name), StandardOpenOption.READ);
        } catch (IOException e) {
            throw Exit.failure(NAME + ": cannot open " + name + ": " + Strerror.of(e) + "\n");
        }
        try (channel) {
            Fallocate.posixFadvise(channel, offset, length, advice.value());
        }
    }

    private void option(Getopt.Parsed parsed) throws Exit {
        String value = parsed.value();
        switch (parsed.option()) {
            case 'a' -> {
                advice = ADVICE.get(value);
                if (advice == null) {
                    throw Exit.failure(NAME + ": invalid advice argument: '" + value + "'\n");
                }
            }
            case 'd' -> fd = descriptor(value);
            case 'l' -> length = size(value, "invalid length");
            case 'o' -> offset = size(value, "invalid offset");
            case 'V' -> {
                console.out().print(Version.line(NAME));
                throw Exit.success();
            }
            case 'h' -> {
                console.out().print(USAGE);
                throw Exit.success();
            }
            default -> throw new IllegalStateException("unhandled option " + parsed.option());
        }
    }

    /** strtosize_or_err: the size, or util-linux's "MESSAGE: 'TEXT': Invalid argument". */
    private static long size(String text, String message) throws Exit {
        OptionalLong size = Sizes.parse(text);
        if (size.isEmpty()) {
            throw Exit.failure(NAME + ": " + message + ": '" + text + "': " + Errno.EINVAL.description() + "\n");
        }
        return size.getAsLong();
    }

    /** strtos32_or_err in base 10. */
    private static int descriptor(String text) throws Exit {
        String message = NAME + ": invalid fd argument: '" + text + "'";
        String digits = text.stripLeading();
        if (!digits.matches("[+-]?[0-9]+")) {
            throw Exit.failure(message + "\n");
        }
        try {
            return Integer.parseInt(digits.startsWith("+") ? digits.substring(1) : digits);
        } catch (NumberFormatException e) {
            throw Exit.failure(message + ": Numerical result out of range\n");
        }
    }
}
