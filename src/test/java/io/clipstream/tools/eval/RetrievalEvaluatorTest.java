package io.clipstream.tools.eval;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetrievalEvaluatorTest {

    private static float[] unit(double angleDegrees) {
        double a = Math.toRadians(angleDegrees);
        return new float[]{(float) Math.cos(a), (float) Math.sin(a)};
    }

    private final Map<String, float[]> images = new LinkedHashMap<>(Map.of(
            "a", unit(0), "b", unit(40), "c", unit(90)));

    @Test
    void textToImageRanksTheFirstRightImage() {
        List<TextQuery> texts = List.of(
                new TextQuery("near a", Set.of("a"), "t:1"),
                new TextQuery("near a, about b", Set.of("b"), "t:2"),
                new TextQuery("near c, about a or b", Set.of("a", "b"), "t:3"));
        List<float[]> vectors = List.of(unit(5), unit(10), unit(85));
        // t2 at 10 degrees: a (10 away) before b (30 away) -> rank 2. t3 at 85: c, b, a -> b at rank 2.
        assertArrayEquals(new int[]{1, 2, 2}, new RetrievalEvaluator(2).textToImage(images, texts, vectors));
    }

    @Test
    void imageToTextRanksTheFirstTextNamingTheImageAndSkipsUnnamedImages() {
        List<TextQuery> texts = List.of(
                new TextQuery("about a", Set.of("a"), "t:1"),
                new TextQuery("about c", Set.of("c"), "t:2"));
        List<float[]> vectors = List.of(unit(60), unit(80));
        // Image a (0 degrees): text 1 at 60 is nearer than text 2 at 80 -> rank 1. Image c (90): text 2 first -> 1.
        // Image b is named by no text and so is not a query.
        assertArrayEquals(new int[]{1, 1}, new RetrievalEvaluator(2).imageToText(images, texts, vectors));
        List<float[]> swapped = List.of(unit(80), unit(60));
        assertArrayEquals(new int[]{2, 2}, new RetrievalEvaluator(2).imageToText(images, texts, swapped));
    }

    @Test
    void anIdOutsideTheGalleryIsAnError() {
        List<TextQuery> texts = List.of(new TextQuery("lost", Set.of("z"), "queries.tsv:7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RetrievalEvaluator(2).textToImage(images, texts, List.of(unit(0))));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("queries.tsv:7"), e.getMessage());
    }
}
