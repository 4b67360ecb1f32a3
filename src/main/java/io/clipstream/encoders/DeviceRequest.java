package io.clipstream.encoders;

import java.util.Locale;

/**
 * Where the user asked the encoders to run: {@code cpu}, {@code cuda}, {@code cuda:N} or
 * {@code auto} (CUDA when ONNX Runtime's CUDA provider loads, CPU otherwise).
 */
public record DeviceRequest(Kind kind, int cudaDevice) {

    public enum Kind { CPU, CUDA, AUTO }

    public static final DeviceRequest CPU = new DeviceRequest(Kind.CPU, 0);

    public DeviceRequest {
        if (cudaDevice < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + cudaDevice);
        }
    }

    public static DeviceRequest parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("cpu")) {
            return CPU;
        }
        if (value.equals("auto")) {
            return new DeviceRequest(Kind.AUTO, 0);
        }
        if (value.equals("cuda") || value.equals("gpu")) {
            return new DeviceRequest(Kind.CUDA, 0);
        }
        if (value.startsWith("cuda:")) {
            try {
                return new DeviceRequest(Kind.CUDA, Integer.parseInt(value.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("device '" + text + "' is not one of cpu, cuda, cuda:N or auto");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CPU -> "cpu";
            case AUTO -> "auto";
            case CUDA -> "cuda:" + cudaDevice;
        };
    }
}
