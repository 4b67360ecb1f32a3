package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import io.clipstream.logging.CudaProbeLogs;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens ONNX Runtime sessions on the requested device. When CUDA is asked for but cannot be used
 * (the CPU build of onnxruntime, no driver, no GPU), it logs one line and falls back to CPU, or
 * fails when the request is strict.
 */
public final class OnnxSessionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxSessionFactory.class);

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final DeviceRequest request;
    private final boolean strict;
    private final int intraOpThreads;
    private final boolean spinWait;
    private final AtomicBoolean fallbackLogged = new AtomicBoolean();

    public OnnxSessionFactory(DeviceRequest request, boolean strict, int intraOpThreads) {
        this(request, strict, intraOpThreads, true);
    }

    /** @param spinWait let the intra-op threads spin while waiting for work (ONNX Runtime's default) */
    public OnnxSessionFactory(DeviceRequest request, boolean strict, int intraOpThreads, boolean spinWait) {
        this.request = request;
        this.strict = strict;
        this.intraOpThreads = intraOpThreads;
        this.spinWait = spinWait;
    }

    /** A session and the device it actually runs on. */
    public record OpenedSession(OrtSession session, String device) {
    }

    public OrtEnvironment environment() {
        return environment;
    }

    public OpenedSession open(Path onnxFile) {
        boolean wantsCuda = request.kind() != DeviceRequest.Kind.CPU;
        if (wantsCuda) {
            CudaProbeLogs.show();
            String problem = cudaProblem();
            if (problem == null) {
                try {
                    return new OpenedSession(create(onnxFile, true), "cuda:" + request.cudaDevice());
                } catch (OrtException e) {
                    problem = "ONNX Runtime could not start CUDA device " + request.cudaDevice() + " (" + e.getMessage() + ")";
                }
            }
            if (strict && request.kind() == DeviceRequest.Kind.CUDA) {
                throw new ModelLoadException("device=" + request + " was requested with device.strict=true, but " + problem
                        + ". Run on a machine with an NVIDIA GPU and a jar built with -Pgpu, or set device=cpu");
            }
            if (request.kind() == DeviceRequest.Kind.CUDA && fallbackLogged.compareAndSet(false, true)) {
                LOG.warn("device={} requested but {}; running on CPU (set device.strict=true to fail instead)", request, problem);
            }
        }
        try {
            return new OpenedSession(create(onnxFile, false), "cpu");
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime cannot load " + onnxFile + ": " + e.getMessage()
                    + "; is it a valid ONNX model (opset supported by ONNX Runtime 1.28)?", e);
        }
    }

    private String cudaProblem() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "this build of ONNX Runtime has no CUDA provider (build with -Pgpu for onnxruntime_gpu)";
        }
        return null;
    }

    private OrtSession create(Path onnxFile, boolean cuda) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            // One model call at a time per session keeps thread use predictable beside Kafka Streams' threads.
            options.setInterOpNumThreads(1);
            if (!spinWait) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            if (cuda) {
                options.addCUDA(request.cudaDevice());
            }
            return environment.createSession(onnxFile.toString(), options);
        }
    }
}
