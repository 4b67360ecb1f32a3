package io.clipstream.encoders;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.clipstream.encoders.image.ClipImagePreprocessor;
import io.clipstream.encoders.image.ImageDecoder;

import java.awt.image.BufferedImage;
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

    private final ImageModelSpec spec;
    private final int dimension;
    private final ImageDecoder decoder;
    private final ClipImagePreprocessor preprocessor;
    private final OrtSession session;
    private final OrtEnvironment environment;
    private final int maxBatch;

    ImageEncoder(ImageModelSpec spec, int dimension, ImageDecoder decoder, OrtSession session, OrtEnvironment environment,
                 int maxBatch) {
        this.spec = spec;
        this.dimension = dimension;
        this.decoder = decoder;
        this.preprocessor = new ClipImagePreprocessor(spec.preprocessing());
        this.session = session;
        this.environment = environment;
        this.maxBatch = maxBatch;
        if (!session.getInputNames().contains(spec.input())) {
            throw new ModelLoadException(spec.onnx() + " has no input '" + spec.input() + "'; its inputs are " + session.getInputNames());
        }
        if (!session.getOutputNames().contains(spec.output())) {
            throw new ModelLoadException(spec.onnx() + " has no output '" + spec.output() + "'; its outputs are " + session.getOutputNames());
        }
    }

    /** Decodes and preprocesses one image; throws {@link EncodingException} naming {@code inputName}. */
    public PreparedImage prepare(byte[] encoded, String inputName) {
        return prepare(decode(encoded, inputName));
    }

    /** Decodes one image under the limits to RGB, for callers that also use the pixels (thumbnails). */
    public BufferedImage decode(byte[] encoded, String inputName) {
        return decoder.decode(encoded, inputName);
    }

    /** Preprocesses an image that {@link #decode} returned. */
    public PreparedImage prepare(BufferedImage image) {
        return new PreparedImage(preprocessor.toTensor(image), image.getWidth(), image.getHeight());
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
        float[] pixels = new float[rows * perImage];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(batch.get(row).pixels(), 0, pixels, row * perImage, perImage);
        }
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels), new long[]{rows, 3, height, width});
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
        }
    }
}
