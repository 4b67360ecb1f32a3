package io.clipstream.cli;

/**
 * A command's input is wrong in a way the user can fix (a bad combination of options, a missing model, a file that
 * is not what the option expects). The message names the input, the problem and the fix; it is printed as is.
 */
final class UserError extends RuntimeException {

    UserError(String message) {
        super(message);
    }

    UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
