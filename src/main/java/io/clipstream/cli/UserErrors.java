package io.clipstream.cli;

import io.clipstream.common.KafkaUnreachableException;
import io.clipstream.common.ModelLoadException;
import io.clipstream.config.ConfigException;
import io.clipstream.ingest.IngestFailedException;
import io.clipstream.ingest.IngestInputException;
import io.clipstream.tools.eval.SvgRendererMissingException;

import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Optional;

/**
 * Which failures are the user's to fix (their input or their environment), and the line that says how. Anything
 * else is unexpected and reported as such. A failure counts when it or any of its causes is of a listed type, so a
 * wrapper (ExecutionException, UncheckedIOException, a library's own) does not hide it.
 */
final class UserErrors {

    /** Their messages already name the input, the problem and the fix. */
    private static final List<Class<? extends Throwable>> SELF_EXPLAINING = List.of(UserError.class, ConfigException.class,
            ModelLoadException.class, SvgRendererMissingException.class, IngestInputException.class,
            IngestFailedException.class, KafkaUnreachableException.class);

    private UserErrors() {
    }

    /** The problem and its fix, when {@code failure} is the user's to fix. */
    static Optional<String> describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<String> line = describeOne(t, failure);
            if (line.isPresent()) {
                return line;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> describeOne(Throwable t, Throwable outermost) {
        for (Class<? extends Throwable> type : SELF_EXPLAINING) {
            if (type.isInstance(t)) {
                return Optional.of(t.getMessage());
            }
        }
        return switch (t) {
            case NoSuchFileException e -> Optional.of(e.getFile() + ": no such file or directory. Check the path (relative "
                    + "paths are from the directory clipstream was started in)");
            case AccessDeniedException e -> Optional.of(e.getFile() + ": permission denied. Make it readable (or writable, "
                    + "for an output) by this user, or choose another path");
            case NotDirectoryException e -> Optional.of(e.getFile() + ": not a directory. Give a directory");
            case FileSystemException e -> Optional.of(e.getFile() + ": " + (e.getReason() == null ? "cannot be used" : e.getReason())
                    + ". Check the path");
            // The outermost message says what was being reached (the registry, a URL); the cause only that it failed.
            case BindException e -> Optional.of(context(outermost, e) + "cannot listen (" + e.getMessage() + "). Another "
                    + "process holds the port: stop it or choose another port (--port, http.port)");
            case ConnectException e -> Optional.of(context(outermost, e) + "cannot connect (" + e.getMessage() + "). Check that "
                    + "the service is up and its address in the settings");
            case UnknownHostException e -> Optional.of(context(outermost, e) + "unknown host " + e.getMessage()
                    + ". Check the address in the settings");
            default -> Optional.empty();
        };
    }

    private static String context(Throwable outermost, Throwable cause) {
        return outermost == cause || outermost.getMessage() == null ? "" : outermost.getMessage() + ": ";
    }
}
