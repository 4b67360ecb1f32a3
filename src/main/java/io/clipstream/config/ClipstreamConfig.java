package io.clipstream.config;

import io.clipstream.encoders.DeviceRequest;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.encoders.image.DecodeLimits;

import java.nio.file.Path;

/**
 * The service's whole configuration as one typed value, built once from a {@link ConfigSource}
 * and passed to the parts that need it. Every key is documented in docs/OPERATIONS.md and can be
 * overridden by an environment variable ({@code CLIPSTREAM_} + the key in upper case, dots as
 * underscores).
 */
public record ClipstreamConfig(EncoderSettings encoder) {

    public static final String MODEL_DIR = "model.dir";
    public static final String MODEL_VARIANT = "model.variant";
    public static final String DEVICE = "device";
    public static final String DEVICE_STRICT = "device.strict";
    public static final String ENCODER_THREADS = "encoder.threads";
    public static final String ENCODER_BATCH_MAX = "encoder.batch.max";
    public static final String IMAGE_MAX_BYTES = "image.max.bytes";
    public static final String IMAGE_MAX_PIXELS = "image.max.pixels";

    public static final Path DEFAULT_MODEL_DIR = Path.of("models/default");

    public static ClipstreamConfig from(ConfigSource source) {
        return new ClipstreamConfig(encoder(source));
    }

    static EncoderSettings encoder(ConfigSource source) {
        DeviceRequest device;
        try {
            device = DeviceRequest.parse(source.string(DEVICE, "cpu"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("setting " + DEVICE + ": " + e.getMessage());
        }
        return new EncoderSettings(
                source.path(MODEL_DIR, DEFAULT_MODEL_DIR),
                source.string(MODEL_VARIANT, "auto"),
                device,
                source.bool(DEVICE_STRICT, false),
                source.integer(ENCODER_THREADS, 0),
                source.integer(ENCODER_BATCH_MAX, 32),
                new DecodeLimits(source.longValue(IMAGE_MAX_BYTES, DecodeLimits.DEFAULT.maxBytes()),
                        source.longValue(IMAGE_MAX_PIXELS, DecodeLimits.DEFAULT.maxPixels())));
    }
}
