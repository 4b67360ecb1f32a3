package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import io.clipstream.common.EncodingException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.clipstream.encoders.text.TextTokenizer;
import io.clipstream.encoders.text.TokenizedText;

import java.nio.FloatBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns texts into unit vectors: tokenise, pad the batch to its longest text (or to the model's
 * fixed length), one ONNX Runtime call per batch, pool as the model says, L2-normalise.
 */
public final class TextEncoder {

    private final TextModelSpec spec;
    private final int dimension;
    private final TextTokenizer tokenizer;
    private final OrtSession session;
    private final OrtEnvironment environment;
    private final int maxBatch;
    private final int fixedLength;
    private final TensorBuffers inputBuffers = new TensorBuffers(ImageEncoder.INPUT_BUFFERS_RETAINED);

    TextEncoder(TextModelSpec spec, int dimension, TextTokenizer tokenizer, OrtSession session, OrtEnvironment environment,
                int maxBatch) {
        this.spec = spec;
        this.dimension = dimension;
        this.tokenizer = tokenizer;
        this.session = session;
        this.environment = environment;
        this.maxBatch = maxBatch;
        this.fixedLength = checkInputs();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Tokenises one text; throws {@link EncodingException} for text with nothing to embed. */
    public TokenizedText tokenize(String text, String inputName) {
        return tokenizer.forModel(text, inputName);
    }

    /** Embeds texts, failing on the first that cannot be embedded. */
    public List<TextEmbedding> embed(List<String> texts) {
        List<TokenizedText> tokenized = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            tokenized.add(tokenize(texts.get(i), "text[" + i + "]"));
        }
        float[][] vectors = embedTokenized(tokenized);
        List<TextEmbedding> result = new ArrayList<>(texts.size());
        for (int i = 0; i < vectors.length; i++) {
            result.add(new TextEmbedding(vectors[i], tokenized.get(i).truncated(), tokenized.get(i).ids().length));
        }
        return result;
    }

    /** Embeds already tokenised texts in batches of at most {@code encoder.batch.max}. */
    public float[][] embedTokenized(List<TokenizedText> texts) {
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += maxBatch) {
            List<TokenizedText> batch = texts.subList(start, Math.min(texts.size(), start + maxBatch));
            float[][] vectors = runBatch(batch);
            System.arraycopy(vectors, 0, out, start, vectors.length);
        }
        return out;
    }

    private float[][] runBatch(List<TokenizedText> batch) {
        int rows = batch.size();
        int length = fixedLength;
        if (length <= 0) {
            for (TokenizedText text : batch) {
                length = Math.max(length, text.ids().length);
            }
        }
        int cells = rows * length;
        // ids, mask and type ids side by side in one reused direct buffer (see TensorBuffers).
        ByteBuffer bytes = inputBuffers.acquire(3L * cells * Long.BYTES);
        LongBuffer ids = bytes.slice(0, cells * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        LongBuffer mask = bytes.slice(cells * Long.BYTES, cells * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        LongBuffer typeIds = bytes.slice(2 * cells * Long.BYTES, cells * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        int[] lengths = new int[rows];
        for (int row = 0; row < rows; row++) {
            long[] tokens = batch.get(row).ids();
            int n = Math.min(tokens.length, length);
            ids.put(tokens, 0, n);
            for (int i = n; i < length; i++) {
                ids.put(spec.padId());
            }
            for (int i = 0; i < length; i++) {
                mask.put(i < n ? 1L : 0L);
                // One segment per text, so every type id is 0.
                typeIds.put(0L);
            }
            lengths[row] = n;
        }
        ids.flip();
        mask.flip();
        typeIds.flip();
        long[] shape = {rows, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(spec.inputIds(), OnnxTensor.createTensor(environment, ids, shape));
            if (spec.attentionMask().isPresent()) {
                inputs.put(spec.attentionMask().get(), OnnxTensor.createTensor(environment, mask, shape));
            }
            if (spec.tokenTypeIds().isPresent()) {
                inputs.put(spec.tokenTypeIds().get(), OnnxTensor.createTensor(environment, typeIds, shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(spec.output()))) {
                OnnxTensor output = (OnnxTensor) result.get(0);
                return pool(output, rows, length, lengths);
            }
        } catch (OrtException e) {
            throw new EncodingException(EncodingException.Reason.MODEL_ERROR, "text batch of " + rows,
                    "the text model failed: " + e.getMessage(), "check that the model matches its tokenizer", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            inputBuffers.release(bytes);
        }
    }

    private float[][] pool(OnnxTensor output, int rows, int length, int[] lengths) {
        long[] shape = output.getInfo().getShape();
        FloatBuffer values = output.getFloatBuffer();
        float[][] vectors = new float[rows][];
        if (spec.pooling() == Pooling.OUTPUT) {
            requireShape(shape, 2);
            for (int row = 0; row < rows; row++) {
                vectors[row] = new float[dimension];
                values.get(row * dimension, vectors[row]);
            }
        } else {
            requireShape(shape, 3);
            int tokens = (int) shape[1];
            for (int row = 0; row < rows; row++) {
                float[] vector = new float[dimension];
                int base = row * tokens * dimension;
                switch (spec.pooling()) {
                    case EOS -> values.get(base + (lengths[row] - 1) * dimension, vector);
                    case CLS -> values.get(base, vector);
                    case MEAN -> {
                        for (int t = 0; t < lengths[row]; t++) {
                            for (int d = 0; d < dimension; d++) {
                                vector[d] += values.get(base + t * dimension + d);
                            }
                        }
                        for (int d = 0; d < dimension; d++) {
                            vector[d] /= lengths[row];
                        }
                    }
                    default -> throw new IllegalStateException("pooling " + spec.pooling());
                }
                vectors[row] = vector;
            }
        }
        for (float[] vector : vectors) {
            Vectors.l2Normalize(vector);
        }
        return vectors;
    }

    private void requireShape(long[] shape, int rank) {
        if (shape.length != rank || shape[rank - 1] != dimension) {
            throw new EncodingException(EncodingException.Reason.MODEL_ERROR, spec.onnx().toString(),
                    "output '" + spec.output() + "' has shape " + java.util.Arrays.toString(shape) + ", expected rank " + rank
                            + " ending in the model dimension " + dimension + " for pooling " + spec.pooling(),
                    "fix the manifest's output, pooling or dimension");
        }
    }

    /** Checks the declared inputs and returns the fixed sequence length, or -1 when it is dynamic. */
    private int checkInputs() {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            NodeInfo idsInfo = inputs.get(spec.inputIds());
            if (idsInfo == null) {
                throw new ModelLoadException(spec.onnx() + " has no input '" + spec.inputIds() + "'; its inputs are "
                        + inputs.keySet());
            }
            if (spec.attentionMask().isPresent() && !inputs.containsKey(spec.attentionMask().get())) {
                throw new ModelLoadException(spec.onnx() + " has no input '" + spec.attentionMask().get() + "'; its inputs are "
                        + inputs.keySet());
            }
            if (spec.tokenTypeIds().isPresent() && !inputs.containsKey(spec.tokenTypeIds().get())) {
                throw new ModelLoadException(spec.onnx() + " has no input '" + spec.tokenTypeIds().get() + "'; its inputs are "
                        + inputs.keySet());
            }
            if (!session.getOutputNames().contains(spec.output())) {
                throw new ModelLoadException(spec.onnx() + " has no output '" + spec.output() + "'; its outputs are "
                        + session.getOutputNames());
            }
            long[] shape = ((TensorInfo) idsInfo.getInfo()).getShape();
            return shape.length == 2 && shape[1] > 0 ? (int) shape[1] : -1;
        } catch (OrtException e) {
            throw new ModelLoadException("cannot inspect " + spec.onnx() + ": " + e.getMessage(), e);
        }
    }
}
