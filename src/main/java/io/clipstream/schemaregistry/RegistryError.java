package io.clipstream.schemaregistry;

/** An error the in-process registry answers with, as Confluent sends it: an HTTP status and a JSON {error_code, message}. */
final class RegistryError extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    RegistryError(int httpStatus, int errorCode, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String subject, int version) {
        return new RegistryError(404, SchemaRegistryException.VERSION_NOT_FOUND,
                "Version " + version + " of subject '" + subject + "' not found.");
    }

    static RegistryError schemaNotFound(String message) {
        return new RegistryError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, message);
    }

    static RegistryError invalidSchema(String message) {
        return new RegistryError(422, SchemaRegistryException.INVALID_SCHEMA, message);
    }

    static RegistryError notFound() {
        return new RegistryError(404, SchemaRegistryException.NOT_FOUND, "HTTP 404 Not Found");
    }
}
