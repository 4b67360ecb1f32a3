package io.clipstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this process at one moment: in all (native threads such as ONNX Runtime's
 * intra-op pool, GC and JIT included) and by group of JVM threads, told apart by name. Subtract two
 * to see where a phase's CPU went; threads that ended in between are not counted.
 *
 * @param processNanos CPU time of the whole process
 * @param byGroup      CPU time of the JVM threads of each group; the rest of the process is {@link #NATIVE}
 */
record CpuSample(long processNanos, Map<String, Long> byGroup) {

    static final String PREPARE = "preparation pool";
    static final String MODEL = "model workers (Java side of the calls)";
    static final String EMBEDDER = "embedder stream threads";
    static final String INDEX = "index and responder stream threads";
    static final String OTHER = "Kafka broker, producers, HTTP, other JVM threads";
    static final String NATIVE = "native threads (ONNX Runtime's pool), GC, JIT";

    static CpuSample now() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new LinkedHashMap<>();
        for (String group : new String[]{PREPARE, MODEL, EMBEDDER, INDEX, OTHER}) {
            groups.put(group, 0L);
        }
        long javaThreads = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                groups.merge(group(info.getThreadName()), cpu, Long::sum);
                javaThreads += cpu;
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        groups.put(NATIVE, Math.max(0, process - javaThreads));
        return new CpuSample(process, groups);
    }

    static String group(String threadName) {
        if (threadName.startsWith("clipstream-prepare-")) {
            return PREPARE;
        }
        if (threadName.startsWith("clipstream-embed-")) {
            return MODEL;
        }
        if (threadName.contains("StreamThread") && threadName.contains("-embedder-")) {
            return EMBEDDER;
        }
        if (threadName.contains("StreamThread") && (threadName.contains("-index-") || threadName.contains("-responder-"))) {
            return INDEX;
        }
        return OTHER;
    }

    /** Seconds of CPU each group used since {@code earlier}. */
    Map<String, Double> secondsSince(CpuSample earlier) {
        Map<String, Double> out = new LinkedHashMap<>();
        byGroup.forEach((group, nanos) -> out.put(group, Math.max(0, nanos - earlier.byGroup.getOrDefault(group, 0L)) / 1e9));
        return out;
    }
}
