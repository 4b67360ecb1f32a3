package io.clipstream.index;

/**
 * How a search may answer. {@link #auto()} is what the service uses: the planner chooses per segment.
 * {@link #exact()} scans every live vector at full precision (audits, recall measurements). {@link #graphOnly(int)}
 * walks every segment's graph with the given beam and never falls back to a scan (benchmarks sweep the beam).
 *
 * @param beam the search beam of every walk, or 0 for the one {@link AnnSettings} gives for k
 */
public record SearchOptions(Mode mode, int beam) {

    public enum Mode { AUTO, EXACT, GRAPH_ONLY }

    private static final SearchOptions AUTO = new SearchOptions(Mode.AUTO, 0);
    private static final SearchOptions EXACT = new SearchOptions(Mode.EXACT, 0);

    public SearchOptions {
        if ((mode == Mode.GRAPH_ONLY && beam < 1) || beam < 0) {
            throw new IllegalArgumentException("search beam is " + beam + ": use at least 1");
        }
    }

    public static SearchOptions auto() {
        return AUTO;
    }

    public static SearchOptions exact() {
        return EXACT;
    }

    public static SearchOptions graphOnly(int beam) {
        return new SearchOptions(Mode.GRAPH_ONLY, beam);
    }
}
