package io.clipstream.serde;

import io.clipstream.schemaregistry.SchemaRegistryException;

/**
 * Tells a record that cannot be read because of what it is (bad bytes, an unknown schema id) from
 * one that cannot be read right now because the registry is down, slow or refusing our
 * credentials. The first goes to the dead-letter topic; the second must fail the task so that it
 * is retried from the last commit, or good records would be dead-lettered during an outage.
 */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                return switch (registry.kind()) {
                    case UNREACHABLE, TIMEOUT, INTERRUPTED, UNAUTHORIZED, INVALID_RESPONSE -> true;
                    case OTHER -> registry.httpStatus() < 0 || registry.httpStatus() >= 500;
                    default -> false;
                };
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Rethrows {@code failure} when it is transient; returns normally when it is the record's fault. */
    public static void rethrowIfTransient(RuntimeException failure) {
        if (isTransient(failure)) {
            throw failure;
        }
    }
}
