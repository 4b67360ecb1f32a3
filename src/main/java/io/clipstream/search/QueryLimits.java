package io.clipstream.search;

/**
 * Bounds on what a search caller controls; each refusal says which bound and its setting.
 *
 * @param maxK        search.max.k: most hits per search
 * @param maxFilters  search.max.filters: most metadata filters
 * @param maxTextChars search.max.text.chars: longest query text
 */
public record QueryLimits(int maxK, int maxFilters, int maxTextChars) {

    public static final QueryLimits DEFAULT = new QueryLimits(1000, 32, 4096);
}
