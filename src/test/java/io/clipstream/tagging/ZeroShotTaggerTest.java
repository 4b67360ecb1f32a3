package io.clipstream.tagging;

import io.clipstream.common.Tag;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.encoders.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroShotTaggerTest {

    /** Three labels along the first three axes of a 4-dimensional space. */
    static ZeroShotTagger axes(int top) {
        float[] matrix = {
                1, 0, 0, 0,
                0, 1, 0, 0,
                0, 0, 1, 0};
        return new ZeroShotTagger(List.of("cat", "dog", "car"), matrix, 4, top);
    }

    @Test
    void keepsTheBestLabelsOfEachImageBestFirstWithTheirScores() {
        float[][] images = {
                Vectors.l2Normalize(new float[]{0.2f, 0.9f, 0.4f, 0}),
                Vectors.l2Normalize(new float[]{0, 0.1f, 0.3f, 0.9f})};

        List<List<Tag>> tags = axes(2).tag(images);

        assertEquals(2, tags.size());
        assertEquals(List.of("dog", "car"), tags.get(0).stream().map(Tag::label).toList());
        assertEquals(images[0][1], tags.get(0).get(0).score(), 1e-6f);
        assertEquals(images[0][2], tags.get(0).get(1).score(), 1e-6f);
        assertEquals(List.of("car", "dog"), tags.get(1).stream().map(Tag::label).toList());
    }

    @Test
    void scoresAreTheProductOfImagesAndLabelMatrix() {
        float[][] scores = axes(3).scores(new float[][]{{0.5f, -0.5f, 0.5f, 0.5f}});
        assertArrayEquals(new float[]{0.5f, -0.5f, 0.5f}, scores[0], 1e-6f);
    }

    @Test
    void equalScoresKeepVocabularyOrderAndTopIsCappedByTheVocabulary() {
        List<Tag> tags = axes(10).tag(new float[][]{{0.5f, 0.5f, 0.5f, 0.5f}}).get(0);
        assertEquals(List.of("cat", "dog", "car"), tags.stream().map(Tag::label).toList());
        assertEquals(3, axes(10).top());
    }

    @Test
    void bestFirstFindsTheLargestInOrder() {
        float[] values = {0.1f, 0.9f, -0.3f, 0.5f, 0.9f, 0.7f};
        assertArrayEquals(new int[]{1, 4, 5}, ZeroShotTagger.bestFirst(values, 3));
        assertArrayEquals(new int[]{1, 4, 5, 3, 0, 2}, ZeroShotTagger.bestFirst(values, 6));
        assertArrayEquals(new int[]{1}, ZeroShotTagger.bestFirst(values, 1));
    }

    @Test
    void refusesAnImageOfAnotherDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> axes(1).tag(new float[][]{{1, 0}}));
        assertTrue(e.getMessage().contains("dimension 2"), e.getMessage());
    }

    @Test
    void buildAveragesEachLabelsPromptsThroughTheTextTowerAndNormalises() {
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(Path.of("models/fixture-tiny")))) {
            TaggingSettings settings = new TaggingSettings(List.of("apple", "boat"), List.of("{}", "a photo of a {}"), 2);
            ZeroShotTagger tagger = ZeroShotTagger.build(model.text(), settings);

            List<float[]> prompts = model.text().embed(List.of("apple", "a photo of a apple", "boat", "a photo of a boat"))
                    .stream().map(e -> e.vector()).toList();
            float[] apple = mean(prompts.get(0), prompts.get(1));
            // Scoring the expected label vector itself must give exactly its own norm (1) for that label.
            float[][] scores = tagger.scores(new float[][]{apple});
            assertEquals(1.0f, scores[0][0], 1e-5f);
            float[] boat = mean(prompts.get(2), prompts.get(3));
            float cross = 0;
            for (int i = 0; i < apple.length; i++) {
                cross += apple[i] * boat[i];
            }
            assertEquals(cross, scores[0][1], 1e-5f);
        }
    }

    @Test
    void noLabelsMeansNoTagger() {
        assertEquals(null, ZeroShotTagger.build(null, TaggingSettings.OFF));
    }

    static float[] mean(float[] a, float[] b) {
        float[] m = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            m[i] = a[i] + b[i];
        }
        return Vectors.l2Normalize(m);
    }
}
