package io.clipstream.search;

import io.clipstream.schema.VectorRecord;

import java.util.Optional;

/** What the REST API asks of search: a search, and an indexed item by id. {@link SearchService} is the implementation. */
public interface SearchBackend extends Searcher {

    /** The indexed record with this id, whichever store holds it. */
    Optional<VectorRecord> item(String id);
}
