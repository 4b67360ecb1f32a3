package io.clipstream.encoders.image;

import com.twelvemonkeys.imageio.plugins.webp.vp8.VP8Frame;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Decodes a VP8 frame with TwelveMonkeys' VP8 decoder and returns its Y, U and V planes as they are
 * after the loop filter, i.e. before any chroma upsampling or colour conversion.
 *
 * <p>Why reflection: TwelveMonkeys' public API only yields RGB made with nearest-neighbour chroma,
 * and its public {@code getDebugImage*Buffer()} methods read macroblocks that its row-windowed
 * decoder (3.14+) has already discarded. What it does offer publicly is a progress callback after
 * each macroblock row, so this class reads, via reflection, the just-decoded row
 * ({@code VP8Frame.previousMacroBlockRow}) and each sub-block's samples ({@code MacroBlock.getYSubBlock}
 * etc., {@code SubBlock.getDest}). A row is copied out one callback later, once the next row's loop
 * filter has finished adjusting its bottom pixels. All reflective access is confined to this class;
 * when the internals are missing or change shape it throws {@link InternalsChanged} so the caller can
 * fall back to the plain reader.
 *
 * <p>Checked against libwebp 1.2.4 ({@code dwebp -yuv}): with TwelveMonkeys 3.15.0 the planes are
 * bit-exact for PIL-encoded images and for cwebp output without loop filter. 3.14.0 predicts intra
 * blocks from loop-filtered neighbours (fixed upstream in TwelveMonkeys PR #1315), which makes its
 * planes drift by several levels. Remaining gaps are in TwelveMonkeys' loop filter: a frame without
 * segmentation (e.g. {@code cwebp -segments 1}; libwebp itself always writes segments) is not
 * filtered at all, its per-macroblock level ignores segment strengths when loop-filter deltas are on,
 * and some cwebp {@code -q 60} encodes differ by up to 5 levels on about 0.25% of pixels.
 */
final class TwelveMonkeysVp8Planes {

    /** The installed TwelveMonkeys lacks, or has reshaped, the internals this class reads. */
    static final class InternalsChanged extends Exception {
        InternalsChanged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Internals(Field previousRow, Method ySubBlock, Method uSubBlock, Method vSubBlock, Method dest) {
    }

    private static final Internals INTERNALS;
    private static final ReflectiveOperationException RESOLUTION_FAILURE;

    static {
        Internals internals = null;
        ReflectiveOperationException failure = null;
        try {
            internals = resolve();
        } catch (ReflectiveOperationException e) {
            failure = e;
        } catch (RuntimeException e) { // InaccessibleObjectException, SecurityException
            failure = new ReflectiveOperationException(e.toString(), e);
        }
        INTERNALS = internals;
        RESOLUTION_FAILURE = failure;
    }

    private TwelveMonkeysVp8Planes() {
    }

    private static Internals resolve() throws ReflectiveOperationException {
        Field previousRow = VP8Frame.class.getDeclaredField("previousMacroBlockRow");
        Class<?> macroBlock = previousRow.getType().getComponentType();
        if (macroBlock == null) {
            throw new NoSuchFieldException("VP8Frame.previousMacroBlockRow is no longer an array of macroblocks");
        }
        Method y = macroBlock.getDeclaredMethod("getYSubBlock", int.class, int.class);
        Method u = macroBlock.getDeclaredMethod("getUSubBlock", int.class, int.class);
        Method v = macroBlock.getDeclaredMethod("getVSubBlock", int.class, int.class);
        Method dest = y.getReturnType().getDeclaredMethod("getDest");
        if (dest.getReturnType() != int[][].class) {
            throw new NoSuchMethodException("SubBlock.getDest() no longer returns int[][]");
        }
        previousRow.setAccessible(true);
        y.setAccessible(true);
        u.setAccessible(true);
        v.setAccessible(true);
        dest.setAccessible(true);
        return new Internals(previousRow, y, u, v, dest);
    }

    /**
     * @throws IOException      the VP8 data is corrupt (message names the problem)
     * @throws InternalsChanged TwelveMonkeys' internals are not what this class expects
     */
    static Vp8Planes decode(byte[] webp, WebpContainer container) throws IOException, InternalsChanged {
        if (INTERNALS == null) {
            throw new InternalsChanged("TwelveMonkeys VP8 internals not found: " + RESOLUTION_FAILURE.getMessage(),
                    RESOLUTION_FAILURE);
        }
        int width = container.width();
        int height = container.height();
        PlaneCollector collector;
        try (ImageInputStream in = new ByteArrayImageInputStream(webp, container.vp8Offset(), container.vp8Length())) {
            VP8Frame frame = new VP8Frame(in, false);
            collector = new PlaneCollector(INTERNALS, frame, width, height);
            frame.setProgressListener(collector);
            // TwelveMonkeys also writes RGB into the raster it is given, clipped to the raster's bounds;
            // we do not use that RGB, so a 1x1 raster saves allocating a full-size one.
            WritableRaster unused = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 1, 1, 3, null);
            boolean keyFrame;
            try {
                keyFrame = frame.decode(unused, null);
            } catch (CollectorFailure f) {
                throw new InternalsChanged("TwelveMonkeys VP8 internals changed: " + f.getCause(), f.getCause());
            } catch (IOException | RuntimeException e) {
                throw new IOException("corrupt lossy WebP: TwelveMonkeys could not decode the VP8 frame ("
                        + e + ")", e);
            }
            if (!keyFrame) {
                throw new IOException("corrupt lossy WebP: the VP8 frame is not a key frame");
            }
            if (frame.getWidth() != width || frame.getHeight() != height) {
                throw new IOException("corrupt lossy WebP: VP8 header says " + width + "x" + height
                        + " but the decoder saw " + frame.getWidth() + "x" + frame.getHeight());
            }
        }
        return collector.finish();
    }

    /** Unchecked carrier for a reflection failure inside the progress callback. */
    private static final class CollectorFailure extends RuntimeException {
        CollectorFailure(Throwable cause) {
            super(cause);
        }
    }

    /**
     * Receives TwelveMonkeys' per-row progress callback and copies finished macroblock rows into
     * the planes. It holds one row back because the next row's loop filter still adjusts the
     * bottom three pixel rows of the previous one (RFC 6386 section 15).
     */
    private static final class PlaneCollector implements IIOReadProgressListener {
        private final Internals internals;
        private final int width;
        private final int height;
        private final int chromaWidth;
        private final int macroBlockRows;
        private final int macroBlockCols;
        private final byte[] y;
        private final byte[] u;
        private final byte[] v;
        private final VP8Frame frame;
        private Object[] heldRow;
        private int rowsSeen;

        PlaneCollector(Internals internals, VP8Frame frame, int width, int height) {
            this.internals = internals;
            this.frame = frame;
            this.width = width;
            this.height = height;
            this.chromaWidth = (width + 1) / 2;
            this.macroBlockRows = (height + 15) / 16;
            this.macroBlockCols = (width + 15) / 16;
            this.y = new byte[width * height];
            this.u = new byte[chromaWidth * ((height + 1) / 2)];
            this.v = new byte[u.length];
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            try {
                Object row = internals.previousRow().get(frame);
                if (!(row instanceof Object[] macroBlocks) || macroBlocks.length < macroBlockCols + 1) {
                    throw new IllegalStateException("VP8Frame.previousMacroBlockRow holds " + row);
                }
                if (heldRow != null) {
                    copyRow(heldRow, rowsSeen - 1);
                }
                heldRow = macroBlocks;
                rowsSeen++;
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new CollectorFailure(e);
            }
        }

        Vp8Planes finish() throws InternalsChanged {
            if (rowsSeen != macroBlockRows || heldRow == null) {
                throw new InternalsChanged("TwelveMonkeys reported " + rowsSeen + " macroblock rows, expected "
                        + macroBlockRows, null);
            }
            try {
                copyRow(heldRow, rowsSeen - 1);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new InternalsChanged("TwelveMonkeys VP8 internals changed: " + e, e);
            }
            heldRow = null;
            return new Vp8Planes(width, height, y, u, v);
        }

        /** Row arrays have a border macroblock at index 0, so column c sits at index c + 1. */
        private void copyRow(Object[] macroBlocks, int mbRow) throws ReflectiveOperationException {
            for (int mbCol = 0; mbCol < macroBlockCols; mbCol++) {
                Object mb = macroBlocks[mbCol + 1];
                for (int sy = 0; sy < 4; sy++) {
                    for (int sx = 0; sx < 4; sx++) {
                        copyBlock(subBlockSamples(internals.ySubBlock(), mb, sx, sy), y, width, height,
                                mbCol * 16 + sx * 4, mbRow * 16 + sy * 4);
                    }
                }
                int chromaHeight = (height + 1) / 2;
                for (int sy = 0; sy < 2; sy++) {
                    for (int sx = 0; sx < 2; sx++) {
                        int x0 = mbCol * 8 + sx * 4;
                        int y0 = mbRow * 8 + sy * 4;
                        copyBlock(subBlockSamples(internals.uSubBlock(), mb, sx, sy), u, chromaWidth, chromaHeight, x0, y0);
                        copyBlock(subBlockSamples(internals.vSubBlock(), mb, sx, sy), v, chromaWidth, chromaHeight, x0, y0);
                    }
                }
            }
        }

        private int[][] subBlockSamples(Method getter, Object mb, int sx, int sy) throws ReflectiveOperationException {
            try {
                return (int[][]) internals.dest().invoke(getter.invoke(mb, sx, sy));
            } catch (InvocationTargetException e) {
                throw new ReflectiveOperationException("TwelveMonkeys sub-block accessor failed", e.getCause());
            }
        }

        /** {@code samples} is indexed [x][y], as TwelveMonkeys stores it; blocks past the frame edge are cropped. */
        private static void copyBlock(int[][] samples, byte[] plane, int planeWidth, int planeHeight, int x0, int y0) {
            for (int dy = 0; dy < 4 && y0 + dy < planeHeight; dy++) {
                int rowStart = (y0 + dy) * planeWidth;
                for (int dx = 0; dx < 4 && x0 + dx < planeWidth; dx++) {
                    plane[rowStart + x0 + dx] = (byte) samples[dx][dy];
                }
            }
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {
        }

        @Override
        public void sequenceComplete(ImageReader source) {
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
        }

        @Override
        public void imageComplete(ImageReader source) {
        }

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
        }

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {
        }

        @Override
        public void thumbnailComplete(ImageReader source) {
        }

        @Override
        public void readAborted(ImageReader source) {
        }
    }
}
