package io.clipstream.config;

import io.clipstream.encoders.DeviceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSourceTest {

    @Test
    void environmentOverridesFileAndFileOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clipstream.properties");
        Files.writeString(file, "device = cuda:1\nimage.max.bytes=1000\nencoder.batch.max=8\n");
        ConfigSource source = ConfigSource.load(file, Map.of("CLIPSTREAM_IMAGE_MAX_BYTES", "2000"));

        ClipstreamConfig config = ClipstreamConfig.from(source);

        assertEquals(new DeviceRequest(DeviceRequest.Kind.CUDA, 1), config.encoder().device());
        assertEquals(2000, config.encoder().imageLimits().maxBytes());
        assertEquals(8, config.encoder().maxBatch());
        assertEquals(Settings.MODEL_DIR.defaultValue(), config.encoder().modelDir());
    }

    @Test
    void malformedValueNamesKeyAndEnvironmentVariable() {
        ConfigSource source = ConfigSource.of(Map.of("encoder.batch.max", "lots"));
        ConfigException e = assertThrows(ConfigException.class, () -> ClipstreamConfig.from(source));
        assertTrue(e.getMessage().contains("encoder.batch.max"), e.getMessage());
        assertTrue(e.getMessage().contains("CLIPSTREAM_ENCODER_BATCH_MAX"), e.getMessage());
    }

    @Test
    void unknownDeviceIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ClipstreamConfig.from(ConfigSource.of(Map.of("device", "tpu"))));
        assertTrue(e.getMessage().contains("cpu, cuda, cuda:N or auto"), e.getMessage());
    }

    @Test
    void missingFileSaysWhichPath(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigSource.load(dir.resolve("nope.properties"), Map.of()));
        assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
    }
}
