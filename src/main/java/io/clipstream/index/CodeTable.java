package io.clipstream.index;

import io.github.jbellis.jvector.graph.similarity.ScoreFunction;

import java.util.List;

/**
 * The codes of one sealed segment's runs, addressed by graph ordinal ({@code run position << slotBits | slot}):
 * what its graph is built and walked on. One table per segment, made once, so that scoring a node is two array reads
 * and a dot product with nothing allocated. Sealed runs never change, so the arrays it holds are final.
 */
abstract sealed class CodeTable {

    final int slotBits;
    final int slotMask;
    final int dimension;

    CodeTable(int slotBits, int dimension) {
        this.slotBits = slotBits;
        this.slotMask = (1 << slotBits) - 1;
        this.dimension = dimension;
    }

    /** Similarities of {@code query} to every node, on JVector's dot-product scale {@code (1 + dot) / 2}. */
    abstract ScoreFunction.ExactScoreFunction scoresFor(float[] query);

    /** The vector the codes of a node stand for. */
    abstract float[] decode(int ordinal);

    /** How a walk ranks the nodes for {@code query}: the approximate dot product, unscaled to any range. */
    abstract FlatGraphSearch.NodeScores walkScores(float[] query);

    static final class Int8 extends CodeTable {
        private static final QuantizedDot DOT = QuantizedDots.BEST;
        private final byte[][] codes;
        private final float[][] scales;

        Int8(List<VectorRun> runs, int slotBits, int dimension) {
            super(slotBits, dimension);
            codes = new byte[runs.size()][];
            scales = new float[runs.size()][];
            for (int i = 0; i < runs.size(); i++) {
                Int8Codes run = (Int8Codes) runs.get(i).codes();
                codes[i] = run.codeArray();
                scales[i] = run.scaleArray();
            }
        }

        @Override
        ScoreFunction.ExactScoreFunction scoresFor(float[] query) {
            return ordinal -> {
                int run = ordinal >>> slotBits;
                int slot = ordinal & slotMask;
                return (1f + DOT.int8(query, codes[run], slot * dimension) * scales[run][slot]) / 2f;
            };
        }

        @Override
        FlatGraphSearch.NodeScores walkScores(float[] query) {
            return ordinal -> {
                int run = ordinal >>> slotBits;
                int slot = ordinal & slotMask;
                return DOT.int8(query, codes[run], slot * dimension) * scales[run][slot];
            };
        }

        @Override
        float[] decode(int ordinal) {
            int run = ordinal >>> slotBits;
            int slot = ordinal & slotMask;
            float[] vector = new float[dimension];
            float scale = scales[run][slot];
            byte[] c = codes[run];
            int offset = slot * dimension;
            for (int i = 0; i < dimension; i++) {
                vector[i] = c[offset + i] * scale;
            }
            return vector;
        }
    }

    static final class Fp16 extends CodeTable {
        private static final QuantizedDot DOT = QuantizedDots.BEST;
        private final short[][] codes;

        Fp16(List<VectorRun> runs, int slotBits, int dimension) {
            super(slotBits, dimension);
            codes = new short[runs.size()][];
            for (int i = 0; i < runs.size(); i++) {
                codes[i] = ((Fp16Codes) runs.get(i).codes()).codeArray();
            }
        }

        @Override
        ScoreFunction.ExactScoreFunction scoresFor(float[] query) {
            return ordinal -> (1f + DOT.fp16(query, codes[ordinal >>> slotBits], (ordinal & slotMask) * dimension)) / 2f;
        }

        @Override
        FlatGraphSearch.NodeScores walkScores(float[] query) {
            return ordinal -> DOT.fp16(query, codes[ordinal >>> slotBits], (ordinal & slotMask) * dimension);
        }

        @Override
        float[] decode(int ordinal) {
            short[] c = codes[ordinal >>> slotBits];
            int offset = (ordinal & slotMask) * dimension;
            float[] vector = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                vector[i] = Float.float16ToFloat(c[offset + i]);
            }
            return vector;
        }
    }

    static final class Binary extends CodeTable {
        private final long[][] bits;
        private final int words;

        Binary(List<VectorRun> runs, int slotBits, int dimension) {
            super(slotBits, dimension);
            words = BinaryCodes.words(dimension);
            bits = new long[runs.size()][];
            for (int i = 0; i < runs.size(); i++) {
                bits[i] = ((BinaryCodes) runs.get(i).codes()).bitArray();
            }
        }

        @Override
        ScoreFunction.ExactScoreFunction scoresFor(float[] query) {
            long[] q = new long[words];
            BinaryCodes.encode(query, q, 0);
            float d = dimension;
            return ordinal -> {
                long[] b = bits[ordinal >>> slotBits];
                int offset = (ordinal & slotMask) * words;
                int differing = 0;
                for (int i = 0; i < words; i++) {
                    differing += Long.bitCount(q[i] ^ b[offset + i]);
                }
                return 1f - differing / d;
            };
        }

        @Override
        FlatGraphSearch.NodeScores walkScores(float[] query) {
            ScoreFunction.ExactScoreFunction scores = scoresFor(query);
            return scores::similarityTo;
        }

        @Override
        float[] decode(int ordinal) {
            long[] b = bits[ordinal >>> slotBits];
            int offset = (ordinal & slotMask) * words;
            float magnitude = (float) (1 / Math.sqrt(dimension));
            float[] vector = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                vector[i] = (b[offset + i / 64] & (1L << (i % 64))) != 0 ? magnitude : -magnitude;
            }
            return vector;
        }
    }
}
