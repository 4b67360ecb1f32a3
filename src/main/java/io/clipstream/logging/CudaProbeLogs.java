package io.clipstream.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * DJL probes for a GPU whenever its tokenizer library loads, and on a machine with CUDA's runtime libraries but no
 * usable driver its {@code CudaUtils} warns ("Failed to detect GPU count"), twice, although the tokenizer runs on the
 * CPU either way and the encoders' own use of CUDA is reported by OnnxSessionFactory. logback.xml therefore keeps
 * that one logger at ERROR. Once CUDA is asked for, the same lines explain why it cannot be used (driver too old, no
 * device), so they are let through again before the model and its tokenizer load.
 */
public final class CudaProbeLogs {

    /** The logger DJL's GPU probe writes to. */
    public static final String LOGGER = "ai.djl.util.cuda.CudaUtils";

    private CudaProbeLogs() {
    }

    /** Lets DJL's CUDA diagnostics through: CUDA was asked for, so they are about the user's request. */
    public static void show() {
        show(LoggerFactory.getILoggerFactory());
    }

    static void show(ILoggerFactory loggers) {
        // Under another SLF4J backend its own configuration decides; nothing here to raise.
        if (loggers.getLogger(LOGGER) instanceof Logger logger && !logger.isWarnEnabled()) {
            logger.setLevel(Level.WARN);
        }
    }
}
