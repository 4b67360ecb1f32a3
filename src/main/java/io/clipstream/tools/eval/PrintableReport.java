package io.clipstream.tools.eval;

/** An evaluation's figures, as a table for people or one JSON object for scripts. */
public interface PrintableReport {

    String toTable();

    String toJson();

    /** The table, or the JSON object on one line. */
    default String render(boolean json) {
        return json ? toJson() + System.lineSeparator() : toTable();
    }
}
