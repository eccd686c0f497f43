package io.github.fallocate4j.cli;

/** Ends a command with an exit status and, for a failure, the message for stderr. */
final class Exit extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    private Exit(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** Success, nothing more to print. */
    static Exit success() {
        return new Exit(0, null);
    }

    /** Failure: {@code message} (complete, with newlines) goes to stderr and the status is 1. */
    static Exit failure(String message) {
        return new Exit(1, message);
    }

    int status() {
        return status;
    }
}
