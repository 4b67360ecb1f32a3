package io.clipstream.search;

/** Answers one validated search; {@link SearchService} is the implementation. */
@FunctionalInterface
public interface Searcher {

    SearchResult search(SearchQuery query);
}
