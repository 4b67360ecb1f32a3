package io.clipstream.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production logging configuration (src/main/resources/logback.xml, as the jar reads it): DJL's GPU probe is
 * quiet until CUDA is asked for, while its errors and the rest of DJL's warnings still show.
 */
class CudaProbeLogsTest {

    @Test
    void theGpuProbeWarnsOnlyOnceCudaIsAskedFor() throws Exception {
        LoggerContext context = production();
        var probe = context.getLogger(CudaProbeLogs.LOGGER);
        assertFalse(probe.isWarnEnabled(), "a CPU command shows no 'Failed to detect GPU count' warnings");
        assertTrue(probe.isErrorEnabled(), "errors are never hidden");
        assertTrue(context.getLogger("ai.djl.huggingface.tokenizers.jni.LibUtils").isWarnEnabled(), "other DJL warnings show");

        CudaProbeLogs.show(context);
        assertTrue(probe.isWarnEnabled(), "with device=cuda or auto the probe's diagnosis is shown");
    }

    private static LoggerContext production() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
        return context;
    }
}
