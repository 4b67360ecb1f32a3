package io.clipstream.deploy;

import io.clipstream.config.ConfigReference;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Checks shared by the deployment tests: CLIPSTREAM_* variables must set keys the service knows. */
final class ClipstreamEnvironment {

    static final String PREFIX = "CLIPSTREAM_";

    private ClipstreamEnvironment() {
    }

    static boolean isSetting(String name) {
        return name.startsWith(PREFIX) && !name.equals("CLIPSTREAM_JAVA_OPTS");
    }

    /** The CLIPSTREAM_* names among {@code names} that no catalogued key reads (so the service would ignore them). */
    static List<String> unknown(Collection<String> names) {
        return names.stream().filter(ClipstreamEnvironment::isSetting)
                .filter(name -> ConfigReference.forEnvironmentVariable(name).isEmpty())
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    static Path projectDir() {
        return Path.of(System.getProperty("clipstream.project.dir", "."));
    }
}
