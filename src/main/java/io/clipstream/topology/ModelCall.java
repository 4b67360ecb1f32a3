package io.clipstream.topology;

import io.clipstream.common.EncodingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * One model call over a batch, and when the call fails as a whole, one call per input so that only
 * the culprit is reported and every other input still gets its vector.
 */
final class ModelCall {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCall.class);

    private ModelCall() {
    }

    static <P> ModelResult isolating(List<P> inputs, Function<List<P>, float[][]> model) {
        try {
            return ModelResult.allOf(model.apply(inputs));
        } catch (EncodingException e) {
            if (inputs.size() == 1) {
                return new ModelResult(new float[1][], new EncodingException[]{e});
            }
            LOG.warn("batch of {} failed ({}); embedding one at a time to isolate the input", inputs.size(), e.getMessage());
        }
        float[][] vectors = new float[inputs.size()][];
        EncodingException[] failures = new EncodingException[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            try {
                vectors[i] = model.apply(List.of(inputs.get(i)))[0];
            } catch (EncodingException single) {
                failures[i] = single;
            }
        }
        return new ModelResult(vectors, failures);
    }
}
