package io.clipstream.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options of the bench commands that run Python: the interpreter (Debian's, which has torch, onnx, numpy,
 * hnswlib and faiss) and the directory of the reference and model-making scripts.
 */
final class ReferencePython {

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch, onnx and numpy "
            + "(Debian's /usr/bin/python3), for the reference figures and to make missing benchmark models (default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--scripts", defaultValue = "scripts",
            description = "Directory of the reference and model-making scripts (default: ${DEFAULT-VALUE}).")
    Path scripts;

    Path script(String name) {
        return scripts.resolve(name);
    }
}
