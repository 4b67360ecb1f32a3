package io.clipstream.cli;

/** The exit statuses of every command, as README.md's "Exit status" table documents them. */
final class ExitCodes {

    static final int OK = 0;
    /**
     * The command ran and its work failed: a benchmark's reference or an input could not be measured, embed could not
     * embed some inputs, ingest still had items pending at --timeout, demo or serve could not close everything in time.
     */
    static final int FAILED = 1;
    /**
     * The user can fix it: bad arguments, a missing or unreadable file, an invalid setting or model, Kafka or the
     * schema registry unreachable, an external tool (rsvg-convert, python) missing. The one line on stderr says what.
     */
    static final int USER_ERROR = 2;
    /** ingest only: every item has an outcome, but some were dead-lettered (IngestSummary). */
    static final int DEAD_LETTERED = 3;
    /** Neither: a bug or a failure clipstream does not foresee; --verbose shows the stack trace. */
    static final int INTERNAL_ERROR = 4;

    private ExitCodes() {
    }
}
