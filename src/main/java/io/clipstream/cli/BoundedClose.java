package io.clipstream.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes what a long-running command started, within a limit: every close inside is bounded, and this is the
 * guarantee on top, since a stop that hangs is worse than one that leaves something unclosed. Says on stdout what
 * happened; returns the exit status.
 */
record BoundedClose(String command, Duration limit) {

    int close(AutoCloseable resource, String stoppedBy, PrintWriter out, PrintWriter err) {
        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, task -> {
            Thread thread = new Thread(task, "clipstream-close");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            closing.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            out.printf("%s stopped (%s): everything closed in %.1f s%n", command, stoppedBy, (System.nanoTime() - start) / 1e9);
            out.flush();
            return ExitCodes.OK;
        } catch (TimeoutException e) {
            err.println(command + ": closing did not finish within " + limit.toSeconds() + " s of " + stoppedBy
                    + "; exiting without it");
            err.flush();
            // Not System.exit: its shutdown hooks (ONNX Runtime's) would free native memory the close still uses.
            Runtime.getRuntime().halt(ExitCodes.FAILED);
        } catch (ExecutionException e) {
            err.println(command + ": closing failed (" + e.getCause() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(command + ": interrupted while closing");
        }
        err.flush();
        return ExitCodes.FAILED;
    }
}
