package io.clipstream.http;

import io.clipstream.schema.Modality;
import io.clipstream.search.SearchResult;
import io.clipstream.store.ScoredHit;
import io.clipstream.common.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Zero-shot labels are shown with each REST hit and survive the peer protocol between instances. */
class JsonCodecLabelsTest {

    @Test
    void aHitsLabelsAreWrittenBestFirstAndReadBack() {
        ScoredHit hit = new ScoredHit("img-1", Modality.IMAGE, 0.75f, Map.of("sku", "1"), null,
                List.of(new Tag("dog", 0.5f), new Tag("animal", 0.25f)));

        var json = JsonCodec.searchResult(new SearchResult(List.of(hit), 3, List.of()));
        var labels = json.get("hits").get(0).get("labels");
        assertEquals(2, labels.size());
        assertEquals("dog", labels.get(0).get("label").asText());
        assertEquals(0.5, labels.get(0).get("score").asDouble(), 1e-6);

        assertEquals(hit, JsonCodec.hitFromJson(JsonCodec.hit(hit)));
    }

    @Test
    void aHitWithoutLabelsHasAnEmptyListAndOldPeersJsonReadsAsNoLabels() {
        ScoredHit caption = new ScoredHit("cap-1", Modality.TEXT, 0.5f, Map.of(), "a dog");
        assertEquals(0, JsonCodec.hit(caption).get("labels").size());
        var old = JsonCodec.hit(caption);
        old.remove("labels");
        assertEquals(List.of(), JsonCodec.hitFromJson(old).labels());
    }
}
