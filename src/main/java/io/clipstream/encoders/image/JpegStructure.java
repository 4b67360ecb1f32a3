package io.clipstream.encoders.image;

/**
 * What the decoder needs from a JPEG's marker segments, read from the bytes directly: the EXIF
 * orientation, the markers libjpeg uses to guess the colour space, and whether the first image's
 * data runs through to its EOI marker.
 *
 * <p>The walk follows libjpeg: segments are skipped by their length (so an EXIF thumbnail's own
 * markers are never mistaken for the image's), the entropy-coded data after each SOS is scanned
 * for the next real marker (0xFF00 stuffing and RSTn are data). A file that ends before the EOI is
 * truncated. Anything after the EOI is accepted: padding, and also the MP4 of a "motion photo" or
 * the second image of an MPF file, which phones append after the primary JPEG.
 *
 * @param orientation    EXIF orientation 1..8 from the first APP1 "Exif" segment, 1 when absent or invalid
 * @param jfif           an APP0 "JFIF" segment is present
 * @param adobeTransform the transform byte of an APP14 "Adobe" segment, -1 when absent
 * @param componentIds   component ids of the first SOF segment, empty when none was found
 * @param sampling       per component, horizontal factor * 16 + vertical factor (the SOF byte)
 * @param frameMarker    the first SOFn marker (0xC0..0xCF), 0 when none was found
 * @param complete       the EOI marker of the first image was reached
 */
record JpegStructure(int orientation, boolean jfif, int adobeTransform, int[] componentIds, int[] sampling,
                     int frameMarker, boolean complete) {

    private static final int[] NO_COMPONENTS = new int[0];

    /** Parses {@code b}, which starts with the SOI marker (the sniffer checked). Never throws. */
    static JpegStructure parse(byte[] b) {
        int orientation = 1;
        boolean exifSeen = false;
        boolean jfif = false;
        int adobe = -1;
        int[] ids = NO_COMPONENTS;
        int[] sampling = NO_COMPONENTS;
        int frameMarker = 0;
        boolean complete = false;
        int pos = 2;
        while (pos + 1 < b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++; // extraneous bytes between segments: libjpeg skips them with a warning
                continue;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD9) {
                complete = true;
                break;
            }
            if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // markers without a length
                continue;
            }
            if (pos + 3 >= b.length) {
                break;
            }
            int length = u16be(b, pos + 2);
            int payload = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > b.length) {
                break; // a segment that runs past the end: truncated
            }
            int payloadLength = end - payload;
            if (marker == 0xE0 && hasAscii(b, payload, payloadLength, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xE1 && !exifSeen && hasAscii(b, payload, payloadLength, "Exif\0\0")) {
                // Pillow keeps the first Exif segment only; so do we.
                exifSeen = true;
                orientation = ExifOrientation.parse(b, payload + 6, payloadLength - 6);
            } else if (marker == 0xEE && adobe < 0 && payloadLength >= 12 && hasAscii(b, payload, payloadLength, "Adobe")) {
                adobe = b[payload + 11] & 0xFF;
            } else if (isStartOfFrame(marker) && ids.length == 0 && payloadLength >= 6) {
                int count = b[payload + 5] & 0xFF;
                if (payloadLength >= 6 + 3 * count) {
                    frameMarker = marker;
                    ids = new int[count];
                    sampling = new int[count];
                    for (int i = 0; i < count; i++) {
                        ids[i] = b[payload + 6 + 3 * i] & 0xFF;
                        sampling[i] = b[payload + 7 + 3 * i] & 0xFF;
                    }
                }
            }
            pos = end;
            if (marker == 0xDA) {
                pos = skipEntropyCodedData(b, pos);
            }
        }
        return new JpegStructure(orientation, jfif, adobe, ids, sampling, frameMarker, complete);
    }

    /** SOF9..SOF11 and SOF13..SOF15: arithmetic entropy coding, which the JDK's libjpeg refuses. */
    boolean arithmeticCoded() {
        return frameMarker >= 0xC9 && frameMarker != 0xCC && frameMarker <= 0xCF;
    }

    /**
     * Components sampled at full width but half height of the largest factors (4:4:0 chroma).
     * libjpeg-turbo, which Pillow uses, interpolates those rows ("h1v2 fancy upsampling"); the
     * JDK's libjpeg 6b only repeats them, so {@link PilColorConversion} redoes that step.
     */
    boolean[] halfHeightComponents() {
        boolean[] half = new boolean[sampling.length];
        int maxH = 0;
        int maxV = 0;
        for (int s : sampling) {
            maxH = Math.max(maxH, s >> 4);
            maxV = Math.max(maxV, s & 15);
        }
        for (int i = 0; i < sampling.length; i++) {
            half[i] = (sampling[i] >> 4) == maxH && (sampling[i] & 15) * 2 == maxV;
        }
        return half;
    }

    /** SOF0..SOF15, which share the 0xC0..0xCF range with DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Position of the next marker after a scan's entropy-coded data, or b.length if there is none. */
    private static int skipEntropyCodedData(byte[] b, int pos) {
        while (pos + 1 < b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int next = b[pos + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2; // stuffed 0xFF byte or restart marker: still scan data
            } else if (next == 0xFF) {
                pos++;
            } else {
                return pos;
            }
        }
        return b.length;
    }

    private static boolean hasAscii(byte[] b, int at, int available, String ascii) {
        if (available < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16be(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
