package io.clipstream.watchlist;

import io.clipstream.schema.WatchConcept;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConceptSetTest {

    static WatchedConcept concept(String id) {
        return new WatchedConcept(id, "label " + id, 0.5f, null, new float[]{1, 0});
    }

    @Test
    void theMatrixIsRebuiltOnlyAfterAChange() {
        ConceptSet set = new ConceptSet(2, 10);
        assertEquals(0, set.matrix().size());
        set.put(concept("b"));
        set.put(concept("a"));
        ConceptMatrix first = set.matrix();
        assertEquals(2, first.size());
        assertEquals("a", first.concept(0).id(), "ordered by id, the same on every instance");
        assertSame(first, set.matrix());
        set.remove("a");
        set.remove("no-such");
        assertEquals(1, set.matrix().size());
        assertEquals("b", set.matrix().concept(0).id());
    }

    @Test
    void conceptsBeyondTheBoundAreLeftOutAndCounted() {
        ConceptSet set = new ConceptSet(2, 3);
        for (String id : new String[]{"e", "d", "c", "b", "a"}) {
            set.put(concept(id));
        }
        ConceptMatrix matrix = set.matrix();
        assertEquals(3, matrix.size());
        assertEquals("c", matrix.concept(2).id());
        assertEquals(2, set.leftOut());
        assertEquals(5, set.size());
        assertThrows(IllegalArgumentException.class, () -> set.put(new WatchedConcept("x", "x", 0, null, new float[3])));
    }

    @Test
    void conceptChecksNameTheProblem() {
        WatchConcept.Builder valid = WatchConcept.newBuilder().setId("k").setLabel("weapon").setThreshold(0.3f).setPrompt("a gun");
        assertNull(ConceptCheck.problem("k", valid.build()));
        assertNull(ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build()).setPrompt(null)
                .setImage(ByteBuffer.wrap(new byte[]{1})).build()));
        assertEquals("KEY_MISMATCH", ConceptCheck.problem("other", valid.build()).code());
        assertEquals("NO_LABEL", ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build()).setLabel(" ").build()).code());
        for (float bad : new float[]{1.01f, -1.01f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertEquals("BAD_THRESHOLD", ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build()).setThreshold(bad).build()).code());
        }
        assertNull(ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build()).setThreshold(-1f).build()));
        assertEquals("NO_EXAMPLE", ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build()).setPrompt(null).build()).code());
        assertEquals("NO_EXAMPLE", ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build()).setPrompt("  ").build()).code());
        assertEquals("NO_EXAMPLE", ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build())
                .setImage(ByteBuffer.wrap(new byte[]{1})).build()).code());
        assertEquals("NO_EXAMPLE", ConceptCheck.problem("k", WatchConcept.newBuilder(valid.build()).setPrompt(null)
                .setImage(ByteBuffer.allocate(0)).build()).code());
    }
}
