package io.clipstream.encoders;

import io.clipstream.encoders.image.DecodeLimits;

import java.nio.file.Path;

/**
 * Everything needed to open a {@link ClipModel}.
 *
 * @param modelDir       a clipstream manifest directory or a Hugging Face CLIP export
 * @param variant        which ONNX files of a Hugging Face export to use: {@code auto} (full
 *                       precision when present), or a suffix such as {@code quantized}, {@code fp16}
 * @param device         where to run
 * @param strictDevice   fail instead of falling back to CPU when the device cannot be used
 * @param intraOpThreads ONNX Runtime threads per session; 0 lets ONNX Runtime choose
 * @param maxBatch       the most inputs sent to ONNX Runtime in one call
 * @param imageLimits    bounds on encoded images
 * @param spinWait       ONNX Runtime's intra-op threads spin while waiting for work (its default, and what the
 *                       constructor without it keeps, for measuring a model alone): quicker hand-offs inside a call, but
 *                       CPU burnt that other threads on the same cores (the embedder's image preparation) could use;
 *                       the service's encoder.spin.wait is off by default
 */
public record EncoderSettings(Path modelDir, String variant, DeviceRequest device, boolean strictDevice,
                              int intraOpThreads, int maxBatch, DecodeLimits imageLimits, boolean spinWait) {

    public EncoderSettings(Path modelDir, String variant, DeviceRequest device, boolean strictDevice, int intraOpThreads,
                           int maxBatch, DecodeLimits imageLimits) {
        this(modelDir, variant, device, strictDevice, intraOpThreads, maxBatch, imageLimits, true);
    }

    public EncoderSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("encoder.batch.max must be >= 1, got " + maxBatch);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("encoder.threads must be >= 0, got " + intraOpThreads);
        }
    }

    public static EncoderSettings cpu(Path modelDir) {
        return new EncoderSettings(modelDir, "auto", DeviceRequest.CPU, false, 0, 32, DecodeLimits.DEFAULT);
    }

    public EncoderSettings withDevice(DeviceRequest newDevice, boolean strict) {
        return new EncoderSettings(modelDir, variant, newDevice, strict, intraOpThreads, maxBatch, imageLimits, spinWait);
    }
}
