package io.clipstream.tools.bench;

import java.util.Map;

/**
 * One timed phase of {@code bench ingest}: image events produced to {@code media.images} until every
 * one was searchable, and where the time went meanwhile.
 *
 * @param embedder          "pipelined" (the defaults) or "serial" (embedder.prepare.threads=0)
 * @param source            inline bytes or URL
 * @param images            events timed
 * @param produceSeconds    first send to the last broker acknowledgement
 * @param searchableSeconds first send to every event searchable
 * @param perSecond         images / searchableSeconds
 * @param stages            the embedder's stage times over the phase (seconds summed over threads; fetch is mostly waiting)
 * @param modelCalls        image model calls in the phase (images / calls = the mean batch the model saw)
 * @param cpuSeconds        CPU seconds of the process by thread group over the phase
 * @param wallCpuSeconds    searchableSeconds x processors: the CPU there was
 * @param fetches           requests the image server answered in the phase
 */
public record IngestPhase(String embedder, IngestBenchSettings.ImageSource source, int images, double produceSeconds,
                          double searchableSeconds, double perSecond, Map<String, Double> stages, long modelCalls,
                          Map<String, Double> cpuSeconds, double wallCpuSeconds, int fetches) {
}
