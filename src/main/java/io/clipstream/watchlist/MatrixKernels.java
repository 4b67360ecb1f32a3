package io.clipstream.watchlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the SIMD kernel when jdk.incubator.vector is on the module graph ({@code --add-modules}), else the scalar one. */
final class MatrixKernels {

    private static final Logger LOG = LoggerFactory.getLogger(MatrixKernels.class);

    static final MatrixKernel BEST = pick();

    private MatrixKernels() {
    }

    private static MatrixKernel pick() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // Loaded by name so that a JVM without the module never links the class.
                return (MatrixKernel) Class.forName("io.clipstream.watchlist.SimdMatrixKernel").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("the SIMD concept-matrix kernel failed to load ({}); scoring watchlists with scalar code", e.toString());
            }
        } else {
            LOG.info("jdk.incubator.vector is not loaded; watchlists are scored with scalar code "
                    + "(start the JVM with --add-modules jdk.incubator.vector for SIMD)");
        }
        return new ScalarMatrixKernel();
    }
}
