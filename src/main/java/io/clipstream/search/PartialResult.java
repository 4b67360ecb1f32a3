package io.clipstream.search;

import io.clipstream.store.KnnResult;

import java.util.List;
import java.util.Map;

/** What some partitions of one store answered, and which of the asked partitions did not. */
public record PartialResult(Map<Integer, KnnResult> answered, List<Integer> missing) {

    public PartialResult {
        answered = Map.copyOf(answered);
        missing = List.copyOf(missing);
    }
}
