package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import io.clipstream.common.EncodingException;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.clipstream.encoders.image.ClipImagePreprocessor;
import io.clipstream.encoders.image.CropWindow;
import io.clipstream.encoders.image.ImageDecoder;
import io.clipstream.encoders.image.ImagePreprocessing;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns encoded images into unit vectors: decode under limits, preprocess as CLIP does, one ONNX
 * Runtime call per batch, L2-normalise. Decoding is per image so that one bad image fails alone.
 */
public final class ImageEncoder {

    /** Input buffers kept for reuse: one per caller embedding at the same time (stream threads, searches). */
    static final int INPUT_BUFFERS_RETAINED = 4;

    private final ImageModelSpec spec;
    private final int dimension;
    private final ImageDecoder decoder;
    private final ClipImagePreprocessor preprocessor;
    /** At the model's explain scale: match localisation's input. */
    private final ClipImagePreprocessor explainPreprocessor;
    private final OrtSession session;
    private final OrtEnvironment environment;
    private final int maxBatch;
    private final TensorBuffers inputBuffers = new TensorBuffers(INPUT_BUFFERS_RETAINED);

    ImageEncoder(ImageModelSpec spec, int dimension, ImageDecoder decoder, OrtSession session, OrtEnvironment environment,
                 int maxBatch) {
        this.spec = spec;
        this.dimension = dimension;
        this.decoder = decoder;
        this.preprocessor = new ClipImagePreprocessor(spec.preprocessing());
        this.explainPreprocessor = spec.explainScale() == 1 ? preprocessor
                : new ClipImagePreprocessor(spec.preprocessing().scaled(spec.explainScale()));
        this.session = session;
        this.environment = environment;
        this.maxBatch = maxBatch;
        if (!session.getInputNames().contains(spec.input())) {
            throw new ModelLoadException(spec.onnx() + " has no input '" + spec.input() + "'; its inputs are " + session.getInputNames());
        }
        if (!session.getOutputNames().contains(spec.output())) {
            throw new ModelLoadException(spec.onnx() + " has no output '" + spec.output() + "'; its outputs are " + session.getOutputNames());
        }
        if (spec.patchOutput().isPresent() && !session.getOutputNames().contains(spec.patchOutput().get())) {
            throw new ModelLoadException(spec.onnx() + " has no output '" + spec.patchOutput().get()
                    + "' (image.patchOutput); its outputs are " + session.getOutputNames() + ". Fix or remove image.patchOutput");
        }
    }

    /** Decodes and preprocesses one image; throws {@link EncodingException} naming {@code inputName}. */
    public PreparedImage prepare(byte[] encoded, String inputName) {
        return prepare(decode(encoded, inputName));
    }

    /** Decodes one image (orientation applied, transparency over white) as the tower sees it before resizing. */
    public BufferedImage decode(byte[] encoded, String inputName) {
        return decoder.decode(encoded, inputName);
    }

    public PreparedImage prepare(BufferedImage image) {
        return new PreparedImage(preprocessor.toTensor(image), image.getWidth(), image.getHeight());
    }

    /** Whether {@link #patchGrid} can answer: the model names a spatial output. */
    public boolean hasSpatialFeatures() {
        return spec.patchOutput().isPresent();
    }

    /**
     * The tower's spatial features for one image at the embedding size: each grid cell's vector,
     * L2-normalised, and the part of the image the grid covers (the centre crop).
     *
     * @param model how the error names the model when it has no spatial output
     * @throws NoSpatialFeaturesException when the model exports none
     */
    public PatchGrid patchGrid(PreparedImage image, String model) {
        String output = spec.patchOutput().orElseThrow(() -> new NoSpatialFeaturesException(model));
        return runGrid(output, image.pixels(), spec.preprocessing(), preprocessor.cropWindow(image.width(), image.height()));
    }

    /** The spatial features match localisation uses: at the model's {@link ImageModelSpec#explainScale()}. */
    public PatchGrid explainGrid(BufferedImage image, String model) {
        return patchGrid(image, spec.explainScale(), model);
    }

    /**
     * The spatial features with the tower run at {@code scale} times its preprocessing's sizes (the
     * same crop of the image, sampled more finely): a fully convolutional tower then returns a grid
     * {@code scale} times finer. The ONNX file must declare its spatial dims dynamic for scales above 1.
     *
     * @throws NoSpatialFeaturesException when the model exports none
     */
    public PatchGrid patchGrid(BufferedImage image, int scale, String model) {
        String output = spec.patchOutput().orElseThrow(() -> new NoSpatialFeaturesException(model));
        ClipImagePreprocessor scaled = scale == 1 ? preprocessor : scale == spec.explainScale() ? explainPreprocessor
                : new ClipImagePreprocessor(spec.preprocessing().scaled(scale));
        return runGrid(output, scaled.toTensor(image), scaled.config(), scaled.cropWindow(image.getWidth(), image.getHeight()));
    }

    private PatchGrid runGrid(String output, float[] pixels, ImagePreprocessing size, CropWindow window) {
        int height = size.cropHeight();
        int width = size.cropWidth();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels), new long[]{1, 3, height, width});
             OrtSession.Result result = session.run(Map.of(spec.input(), input), Set.of(output))) {
            OnnxTensor tensor = (OnnxTensor) result.get(0);
            long[] shape = tensor.getInfo().getShape();
            if (shape.length != 4 || shape[0] != 1 || shape[3] != dimension || shape[1] <= 0 || shape[2] <= 0) {
                throw new EncodingException(EncodingException.Reason.MODEL_ERROR, spec.onnx().toString(),
                        "output '" + output + "' has shape " + Arrays.toString(shape) + ", expected [batch, rows, cols, " + dimension + "]",
                        "fix the manifest's image.patchOutput or export the grid channels-last");
            }
            int rows = (int) shape[1];
            int cols = (int) shape[2];
            float[] vectors = new float[rows * cols * dimension];
            tensor.getFloatBuffer().get(vectors);
            float[] cell = new float[dimension];
            for (int c = 0; c < rows * cols; c++) {
                System.arraycopy(vectors, c * dimension, cell, 0, dimension);
                Vectors.l2Normalize(cell);
                System.arraycopy(cell, 0, vectors, c * dimension, dimension);
            }
            return new PatchGrid(rows, cols, dimension, vectors, window);
        } catch (OrtException e) {
            throw new EncodingException(EncodingException.Reason.MODEL_ERROR, "image", "the image model failed at "
                    + width + "x" + height + ": " + e.getMessage(), "check the model's input size against its preprocessing; "
                    + "for image.explainScale above 1 the ONNX file's spatial dims must be dynamic "
                    + "(scripts/default_model/dynamic_spatial.py)", e);
        }
    }

    /** Embeds images, failing on the first that cannot be decoded. */
    public List<float[]> embed(List<byte[]> images) {
        List<PreparedImage> prepared = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            prepared.add(prepare(images.get(i), "image[" + i + "]"));
        }
        return Arrays.asList(embedPrepared(prepared));
    }

    public float[][] embedPrepared(List<PreparedImage> images) {
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += maxBatch) {
            List<PreparedImage> batch = images.subList(start, Math.min(images.size(), start + maxBatch));
            float[][] vectors = runBatch(batch);
            System.arraycopy(vectors, 0, out, start, vectors.length);
        }
        return out;
    }

    private float[][] runBatch(List<PreparedImage> batch) {
        int rows = batch.size();
        int height = spec.preprocessing().cropHeight();
        int width = spec.preprocessing().cropWidth();
        int perImage = 3 * height * width;
        ByteBuffer bytes = inputBuffers.acquire((long) rows * perImage * Float.BYTES);
        FloatBuffer pixels = bytes.asFloatBuffer();
        for (PreparedImage image : batch) {
            pixels.put(image.pixels(), 0, perImage);
        }
        pixels.flip();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, pixels, new long[]{rows, 3, height, width});
             OrtSession.Result result = session.run(Map.of(spec.input(), input), Set.of(spec.output()))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            long[] shape = output.getInfo().getShape();
            if (shape.length != 2 || shape[1] != dimension) {
                throw new EncodingException(EncodingException.Reason.MODEL_ERROR, spec.onnx().toString(),
                        "output '" + spec.output() + "' has shape " + Arrays.toString(shape) + ", expected [batch, " + dimension + "]",
                        "fix the manifest's image output or dimension");
            }
            FloatBuffer values = output.getFloatBuffer();
            float[][] vectors = new float[rows][dimension];
            for (int row = 0; row < rows; row++) {
                values.get(row * dimension, vectors[row]);
                Vectors.l2Normalize(vectors[row]);
            }
            return vectors;
        } catch (OrtException e) {
            throw new EncodingException(EncodingException.Reason.MODEL_ERROR, "image batch of " + rows,
                    "the image model failed: " + e.getMessage(), "check the model's input size against its preprocessing", e);
        } finally {
            inputBuffers.release(bytes);
        }
    }
}
