package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.clipstream.common.EncodingException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged inputs never escape as anything but {@link EncodingException}: bit flips, truncation
 * and overwritten runs of every fixture format either decode to some image or are refused with a
 * typed reason.
 */
class ImageDecoderRobustnessTest {

    private static final int VARIANTS = 200;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a reader that loops forever, not a speed check
    void damagedVariantsOfEveryFixtureEitherDecodeOrFailTyped() {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        List<String> names = Fixtures.names();
        Random random = new Random(20240607L);
        Map<EncodingException.Reason, Integer> refusals = new EnumMap<>(EncodingException.Reason.class);
        int decoded = 0;
        List<String> escaped = new ArrayList<>();
        for (int i = 0; i < VARIANTS; i++) {
            String name = names.get(i % names.size());
            byte[] original = Fixtures.image(name);
            Variant variant = damage(original, random);
            String label = name + " #" + i + " (" + variant.how() + ")";
            try {
                BufferedImage image = decoder.decode(variant.bytes(), label);
                assertTrue(image.getWidth() > 0 && image.getHeight() > 0, label);
                assertEquals(BufferedImage.TYPE_INT_RGB, image.getType(), label);
                decoded++;
            } catch (EncodingException e) {
                assertEquals(label, e.input());
                refusals.merge(e.reason(), 1, Integer::sum);
            } catch (Throwable t) {
                escaped.add(label + ": " + t);
            }
        }
        System.out.printf("%d damaged variants: %d decoded, refused %s%n", VARIANTS, decoded, refusals);
        if (!escaped.isEmpty()) {
            fail("untyped failures:\n" + String.join("\n", escaped));
        }
        assertTrue(refusals.getOrDefault(EncodingException.Reason.CORRUPT_IMAGE, 0) > VARIANTS / 4,
                "most damage should be detected as corruption: " + refusals);
    }

    private record Variant(byte[] bytes, String how) {
    }

    private static Variant damage(byte[] original, Random random) {
        int kind = random.nextInt(4);
        byte[] b;
        String how;
        switch (kind) {
            case 0 -> {
                int keep = 1 + random.nextInt(original.length - 1);
                b = Arrays.copyOf(original, keep);
                how = "truncated to " + keep;
            }
            case 1 -> {
                b = original.clone();
                int flips = 1 + random.nextInt(16);
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                how = flips + " bit flips";
            }
            case 2 -> {
                b = original.clone();
                // Headers are where readers are most fragile: hit the first 64 bytes more often.
                int at = random.nextBoolean() ? random.nextInt(Math.min(64, b.length)) : random.nextInt(b.length);
                int run = Math.min(1 + random.nextInt(32), b.length - at);
                byte[] junk = new byte[run];
                random.nextBytes(junk);
                System.arraycopy(junk, 0, b, at, run);
                how = run + " bytes overwritten at " + at;
            }
            default -> {
                int keep = 1 + random.nextInt(original.length - 1);
                b = Arrays.copyOf(original, keep);
                for (int f = 0; f < 4; f++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                how = "truncated to " + keep + " and 4 bit flips";
            }
        }
        return new Variant(b, how);
    }
}
