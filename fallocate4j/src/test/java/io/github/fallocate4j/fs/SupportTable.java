package io.github.fallocate4j.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The filesystem × operation support table, filled in by {@link ModeMatrixTest} from what the kernel
 * answered, written to {@code target/support-table.md} and compared with README.md's section between
 * {@value #BEGIN} and {@value #END}.
 */
final class SupportTable {
    static final String BEGIN = "<!-- support-table:";
    static final String END = "<!-- /support-table -->";

    private final Map<String, Map<Fs, String>> cells = new ConcurrentHashMap<>();
    private final List<String> rows;

    SupportTable(List<String> rows) {
        this.rows = rows;
    }

    /** Records what {@code fs} answered for the row: {@code "yes"} or the errno name. */
    void record(Fs fs, String row, String outcome) {
        cells.computeIfAbsent(row, r -> new ConcurrentHashMap<>()).put(fs, outcome);
    }

    /** Whether every row has an answer from every filesystem of {@link Fs#MATRIX}. */
    boolean complete() {
        return rows.stream().allMatch(r -> cells.containsKey(r) && cells.get(r).keySet().containsAll(Fs.MATRIX));
    }

    /** The table as Markdown. */
    String markdown() {
        StringBuilder sb = new StringBuilder("| operation |");
        Fs.MATRIX.forEach(fs -> sb.append(' ').append(fs.type()).append(" |"));
        sb.append("\n|---|").append("---|".repeat(Fs.MATRIX.size())).append('\n');
        for (String row : rows) {
            sb.append("| ").append(row).append(" |");
            Map<Fs, String> answers = cells.getOrDefault(row, new LinkedHashMap<>());
            Fs.MATRIX.forEach(fs -> sb.append(' ').append(answers.getOrDefault(fs, "?")).append(" |"));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The text between the markers of {@code readme} (the marker lines excluded). */
    static String section(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException("README.md lacks the " + BEGIN + " ... " + END + " markers");
        }
        return readme.substring(readme.indexOf('\n', begin) + 1, end);
    }

    /** {@code readme} with the section between the markers replaced by {@code table}. */
    static String replaceSection(String readme, String table) {
        int from = readme.indexOf('\n', readme.indexOf(BEGIN)) + 1;
        return readme.substring(0, from) + table + readme.substring(readme.indexOf(END));
    }

    /** The project's README.md: found from the module directory Surefire runs in, upwards. */
    static Path readme() throws IOException {
        for (Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.exists(candidate) && Files.readString(candidate).contains(BEGIN)) {
                return candidate;
            }
        }
        throw new IOException("no README.md with a support-table section above " + System.getProperty("basedir", "."));
    }
}
