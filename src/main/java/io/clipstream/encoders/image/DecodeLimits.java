package io.clipstream.encoders.image;

/**
 * Bounds on what the decoder accepts, checked before any pixel is decoded so that a hostile header
 * cannot make the service allocate gigabytes.
 *
 * @param maxBytes  largest encoded image accepted
 * @param maxPixels largest width * height the header may declare
 */
public record DecodeLimits(long maxBytes, long maxPixels) {

    public static final DecodeLimits DEFAULT = new DecodeLimits(20L * 1024 * 1024, 40_000_000L);

    public DecodeLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive, got maxBytes=" + maxBytes + " maxPixels=" + maxPixels);
        }
    }
}
