package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.clipstream.encoders.image.ImageDecoder;
import io.clipstream.encoders.text.TextTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A loaded dual encoder: one ONNX Runtime session per tower, reused for every call (sessions are
 * thread-safe), and the tokenizer. Closing it releases all native memory.
 */
public final class ClipModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClipModel.class);

    private final ModelSpec spec;
    private final TextEncoder text;
    private final ImageEncoder image;
    private final String device;
    private final List<AutoCloseable> resources;

    private ClipModel(ModelSpec spec, TextEncoder text, ImageEncoder image, String device, List<AutoCloseable> resources) {
        this.spec = spec;
        this.text = text;
        this.image = image;
        this.device = device;
        this.resources = resources;
    }

    public static ClipModel open(EncoderSettings settings) {
        ModelSpec loaded = ModelLoader.load(settings.modelDir(), settings.variant());
        OnnxSessionFactory sessions = new OnnxSessionFactory(settings.device(), settings.strictDevice(), settings.intraOpThreads(),
                settings.spinWait());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            OnnxSessionFactory.OpenedSession textSession = sessions.open(loaded.text().onnx());
            opened.add(textSession.session());
            OnnxSessionFactory.OpenedSession imageSession = sessions.open(loaded.image().onnx());
            opened.add(imageSession.session());
            ModelSpec spec = adaptToSession(loaded, textSession.session());
            TextTokenizer tokenizer = TextTokenizer.open(spec.text().tokenizer(), spec.text().maxLength());
            opened.add(tokenizer);
            TextEncoder text = new TextEncoder(spec.text(), spec.dimension(), tokenizer, textSession.session(),
                    sessions.environment(), settings.maxBatch());
            ImageEncoder image = new ImageEncoder(spec.image(), spec.dimension(), new ImageDecoder(settings.imageLimits()),
                    imageSession.session(), sessions.environment(), settings.maxBatch());
            LOG.info("model {} ({} layout, dimension {}) on {} from {}", spec.id(), spec.layout(), spec.dimension(),
                    textSession.device(), spec.directory());
            return new ClipModel(spec, text, image, textSession.device(), opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * Hugging Face exports differ in small ways: some text towers take no attention mask, BERT-style
     * ones also take token type ids. The
     * manifest layout states its inputs, so only the Hugging Face layout is adapted.
     */
    private static ModelSpec adaptToSession(ModelSpec spec, OrtSession textSession) {
        if (spec.layout() != ModelSpec.Layout.HUGGING_FACE) {
            return spec;
        }
        try {
            boolean hasMask = textSession.getInputInfo().containsKey("attention_mask");
            boolean hasTypes = textSession.getInputInfo().containsKey("token_type_ids");
            TextModelSpec t = spec.text();
            TextModelSpec adapted = new TextModelSpec(t.onnx(), t.tokenizer(), t.maxLength(), t.padId(), t.inputIds(),
                    hasMask ? t.attentionMask() : Optional.empty(), hasTypes ? Optional.of("token_type_ids") : Optional.empty(),
                    t.output(), t.pooling());
            return new ModelSpec(spec.id(), spec.dimension(), adapted, spec.image(), spec.directory(), spec.layout());
        } catch (OrtException e) {
            throw new ModelLoadException("cannot inspect " + spec.text().onnx() + ": " + e.getMessage(), e);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    public int dimension() {
        return spec.dimension();
    }

    /** Where the sessions actually run: {@code cpu} or {@code cuda:N}. */
    public String device() {
        return device;
    }

    public TextEncoder text() {
        return text;
    }

    public ImageEncoder image() {
        return image;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resources.get(i), e.toString());
            }
        }
    }
}
