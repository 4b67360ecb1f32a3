package io.clipstream.fetch;

/** A URL the {@link UrlPolicy} will not fetch; the message names the URL, the reason and the setting that allows it. */
public final class UrlRefusedException extends RuntimeException {

    public UrlRefusedException(String message) {
        super(message);
    }
}
