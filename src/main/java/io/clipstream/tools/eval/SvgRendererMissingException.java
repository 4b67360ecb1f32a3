package io.clipstream.tools.eval;

import java.io.IOException;

/**
 * The SVG renderer cannot be started: its message is the whole story for a command line (what is
 * missing, what needed it, what to install), so commands print it as one line.
 */
public final class SvgRendererMissingException extends IOException {

    public SvgRendererMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
