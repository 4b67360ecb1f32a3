package io.clipstream.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process at one moment: in all, by group of JVM threads told apart by name, and,
 * on Linux, the native threads the JVM cannot see (garbage collector, JIT compilers, RocksDB's
 * flushes and compactions) from {@code /proc/self/task}; what remains is ONNX Runtime's pool and
 * the VM's own threads. Subtract two to see where a phase's CPU went; threads that ended in between
 * are not counted.
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
    static final String GC = "garbage collector threads";
    static final String JIT = "JIT compiler threads";
    static final String ROCKSDB = "RocksDB background threads (flush, compaction)";
    static final String NATIVE = "other native threads (ONNX Runtime's pool, VM)";
    /** Linux's clock ticks per second for /proc times (USER_HZ), 100 on every mainstream build. */
    static final long CLOCK_TICKS = 100;

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
        Map<String, Long> hidden = nativeThreads();
        long hiddenTotal = hidden.values().stream().mapToLong(Long::longValue).sum();
        groups.putAll(hidden);
        groups.put(NATIVE, Math.max(0, process - javaThreads - hiddenTotal));
        return new CpuSample(process, groups);
    }

    /** CPU of the threads the JVM does not list, by what they do; empty where /proc is not there. */
    static Map<String, Long> nativeThreads() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put(GC, 0L);
        out.put(JIT, 0L);
        out.put(ROCKSDB, 0L);
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Map.of();
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String group = name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC
                            : name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") ? JIT
                            : name.startsWith("rocksdb:") ? ROCKSDB : null;
                    if (group != null) {
                        String stat = Files.readString(task.resolve("stat"));
                        // Fields after the parenthesised name: state is the first, utime the 12th, stime the 13th.
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        out.merge(group, ticks * 1_000_000_000L / CLOCK_TICKS, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: it is not counted
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return out;
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
