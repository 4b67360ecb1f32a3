package io.clipstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/**
 * How every command reports a failure: one line on stderr, {@code clipstream <command>: <problem>. <fix>}, and the
 * exit status of {@link ExitCodes}. A stack trace helps only with a bug, and only the one who asks for it: it comes
 * with --verbose, never in the way of the line that says what to fix.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    static final String VERBOSE = "--verbose";

    /** Bad arguments: picocli's message, what it may have meant, and where the options are listed (no usage dump). */
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        String who = command.getCommandSpec().qualifiedName(" ");
        StringBuilder line = new StringBuilder(who).append(": ").append(sentence(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append(" Did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append('?');
        }
        line.append(" See '").append(who).append(" --help'.");
        PrintWriter err = command.getErr();
        err.println(line);
        if (Arrays.asList(args).contains(VERBOSE)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USER_ERROR;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
        String who = command.getCommandSpec().qualifiedName(" ");
        PrintWriter err = command.getErr();
        boolean verbose = verbose(parsed);
        var problem = UserErrors.describe(ex);
        int code;
        if (problem.isPresent()) {
            err.println(who + ": " + problem.get());
            code = ExitCodes.USER_ERROR;
        } else {
            err.println(who + ": internal error (" + ex + ")" + (verbose ? "" : "; run with --verbose for the stack trace")
                    + ", and report it if it persists");
            code = ExitCodes.INTERNAL_ERROR;
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** Picocli's messages have no full stop; the hint after them reads as a second sentence. */
    private static String sentence(String message) {
        String text = message == null ? "invalid arguments" : message.strip();
        return List.of('.', '?', '!').contains(text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) ? text : text + ".";
    }
}
