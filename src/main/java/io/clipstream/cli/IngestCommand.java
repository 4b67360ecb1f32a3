package io.clipstream.cli;

import io.clipstream.common.ProgressBars;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.ingest.CaptionsFile;
import io.clipstream.ingest.FolderIngest;
import io.clipstream.ingest.ImageFolder;
import io.clipstream.ingest.IngestPlan;
import io.clipstream.ingest.IngestSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** `clipstream ingest`: bulk-loads a folder of images (and captions) through the event topics of a running clipstream. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Send every image under --images (recursively, in sorted order of relative path) to topics.images, and "
                        + "every caption of --captions to topics.captions, through the schema registry like any producer; "
                        + "then wait until each one comes out on its vector topic or on the dead-letter topic.",
                "",
                "Settings are those of `clipstream serve` (kafka.bootstrap.servers, schema.registry.url, topics.*, "
                        + "image.max.bytes, kafka.* client settings) from --config and CLIPSTREAM_* environment variables.",
                "",
                "An image's id is its path under --images without the extension (animals/owl for DIR/animals/owl.png). "
                        + "Files that are neither by extension nor by content JPEG, PNG, GIF, BMP or WebP, empty files and "
                        + "files over image.max.bytes are skipped and listed with the reason.",
                "",
                "--captions: UTF-8 TSV, 'image<TAB>caption' per line, image being the file's path under --images or its id; "
                        + "any number of captions per image; caption ids are <imageId>#<n> (n from 1 in file order). Blank "
                        + "lines and lines starting with # are skipped; malformed lines stop the run before anything is "
                        + "sent, each named by its line number.",
                "",
                "Exit status: 0 every sent item indexed; 3 every sent item has an outcome but some were dead-lettered; "
                        + "1 some still pending at --timeout or refused by the broker; 2 bad arguments, input files or "
                        + "settings, or Kafka or the registry unreachable.",
                ""})
public final class IngestCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, description = "Folder of images (walked recursively).")
    Path images;

    @Option(names = "--captions", description = "Captions file: image<TAB>caption per line.")
    Path captions;

    @Option(names = "--config", description = "A properties file, as for serve (optional: environment variables alone also work).")
    Path config;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait, once everything is sent, for every "
            + "item to be indexed or dead-lettered (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--connect-timeout", defaultValue = "30", description = "Seconds to wait for Kafka to answer before giving up "
            + "(default: ${DEFAULT-VALUE}).")
    long connectTimeoutSeconds;

    @Option(names = "--tenant", description = "Tenant set on every event (a search filter).")
    String tenant;

    @Option(names = "--category", description = "Category set on every event (a search filter).")
    String category;

    @Option(names = "--language", defaultValue = "en", description = "Language of the captions, BCP 47 (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--no-progress", description = "Do not draw progress bars on stderr.")
    boolean noProgress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutSeconds <= 0 || connectTimeoutSeconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout and --connect-timeout must be positive");
        }
        ConfigSource source = config == null ? ConfigSource.fromEnvironment() : ConfigSource.load(config, System.getenv());
        ClipstreamConfig settings = ClipstreamConfig.from(source);
        // Bad input files and an unreachable cluster (IngestInputException, IngestFailedException) end in
        // ErrorReporter's one line and exit status 2.
        ImageFolder.Scan scan = ImageFolder.scan(images, settings.encoder().imageLimits().maxBytes());
        List<CaptionsFile.Line> lines = captions == null ? List.of() : CaptionsFile.read(captions);
        IngestPlan plan = IngestPlan.of(scan, lines, String.valueOf(captions));
        ProgressBars bars = noProgress ? ProgressBars.NONE : ProgressBars.on(err);
        IngestSummary summary = new FolderIngest(settings, new FolderIngest.Settings(Duration.ofSeconds(timeoutSeconds),
                Duration.ofSeconds(connectTimeoutSeconds), Optional.ofNullable(tenant), Optional.ofNullable(category), language),
                bars).run(plan, images.toString());
        out.print(summary.render());
        out.flush();
        return summary.exitCode();
    }
}
