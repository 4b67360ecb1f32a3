package io.clipstream.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT (Ctrl-C), taken from the JVM for the commands that run until stopped. The JVM's own handling
 * starts every shutdown hook at once, and ONNX Runtime's hook frees its native environment while a model call may
 * still run in it: a demo stopped while it embedded its corpus died in libonnxruntime (SIGSEGV, exit 134). Here the
 * command closes everything in order first and exits afterwards, when the hooks find nothing running. A second
 * signal while closing ends the process at once, for the user who will not wait.
 */
final class StopSignals {

    private final CountDownLatch received = new CountDownLatch(1);
    private volatile String name = "";

    private StopSignals() {
    }

    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : new String[]{"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (signals.received.getCount() == 0) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                signals.name = "SIG" + signal.getName();
                signals.received.countDown();
            });
        }
        return signals;
    }

    /** Blocks until the first signal; returns its name (SIGTERM, SIGINT). */
    String await() throws InterruptedException {
        received.await();
        return name;
    }
}
