package io.clipstream.cli;

import io.clipstream.config.ConfigReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `clipstream config-reference`: the configuration reference of docs/OPERATIONS.md, generated from
 * the catalog in {@link ConfigReference}. Hidden: it is a maintenance tool, not an operator's command.
 */
@Command(name = "config-reference", hidden = true, mixinStandardHelpOptions = true,
        description = "Print the configuration reference (markdown) generated from the settings catalog, "
                + "or rewrite it in place between the config-reference markers of a file.")
public final class ConfigReferenceCommand implements Callable<Integer> {

    @Option(names = "--update", paramLabel = "FILE",
            description = "Replace the section between the config-reference markers of FILE (e.g. docs/OPERATIONS.md).")
    Path update;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (update == null) {
            spec.commandLine().getOut().print(ConfigReference.markdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
        String before = Files.readString(update, StandardCharsets.UTF_8);
        String after;
        try {
            after = ConfigReference.updateSection(before);
        } catch (IllegalArgumentException e) {
            throw new UserError(update + ": " + e.getMessage(), e);
        }
        if (!after.equals(before)) {
            Files.writeString(update, after, StandardCharsets.UTF_8);
        }
        spec.commandLine().getOut().println(update + (after.equals(before) ? " is up to date" : " updated"));
        return 0;
    }
}
