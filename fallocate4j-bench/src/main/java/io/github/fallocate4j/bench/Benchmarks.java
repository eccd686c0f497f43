package io.github.fallocate4j.bench;

/** Runs every benchmark and prints BENCHMARKS.md's tables; {@code -Dbench.smoke=true} for a quick pass. */
public final class Benchmarks {
    private Benchmarks() {}

    static boolean smoke() {
        return Boolean.getBoolean("bench.smoke");
    }

    public static void main(String[] args) throws Exception {
        System.out.println("## 1. Per-call binding overhead\n");
        System.out.print(BindingOverhead.table(BindingOverhead.measure(smoke() ? BindingOverhead.SMOKE : BindingOverhead.FULL)));
    }
}
