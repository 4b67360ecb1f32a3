package io.clipstream.tools.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineBenchSettingsTest {

    static PipelineBenchSettings with(List<Integer> vectors, int queries, int port) {
        return new PipelineBenchSettings(Path.of("m"), vectors, queries, 0, 0, 4, Path.of("d"), port, Optional.empty(), 0, 1,
                Duration.ofSeconds(1), 100, VectorData.RANDOM, false);
    }

    @Test
    void indexSizesMustAscendBecauseEachStepAddsToTheSameIndex() {
        assertDoesNotThrow(() -> with(List.of(10, 100), 1, 8080));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(List.of(100, 10), 1, 8080));
        assertTrue(e.getMessage().contains("ascending"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> with(List.of(0), 1, 8080));
        assertThrows(IllegalArgumentException.class, () -> with(List.of(), 1, 8080));
    }

    @Test
    void refusesSettingsThatCannotBeMeasured() {
        assertThrows(IllegalArgumentException.class, () -> with(List.of(10), 0, 8080));
        assertThrows(IllegalArgumentException.class, () -> with(List.of(10), 1, 0));
    }
}
