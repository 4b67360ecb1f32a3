package io.clipstream.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package structure read from the compiled classes: the flow topic -> encoders -> store -> search -> http must be
 * readable from the imports, so no package may reach itself back through others, the shared values import no stage,
 * and the service never depends on the tooling (benchmarks, evaluation, reference launchers) that only the CLI runs.
 */
class ArchitectureTest {

    private static JavaClasses service;

    @BeforeAll
    static void importMainClasses() {
        service = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.clipstream");
    }

    /** Every package is its own slice, sub-packages included: encoders and encoders.image may not import each other. */
    private static ArchRule packagesFreeOfCycles() {
        return slices().matching("io.clipstream.(**)").should().beFreeOfCycles();
    }

    @Test
    void noPackageImportsOneThatImportsItBack() {
        packagesFreeOfCycles().check(service);
    }

    @Test
    void theCycleRuleCatchesACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.clipstream.architecture.cyclefixture");
        EvaluationResult result = packagesFreeOfCycles().evaluate(fixture);
        assertTrue(result.hasViolation(), "the rule let the fixture's a <-> b cycle through");
        assertTrue(result.getFailureReport().toString().contains("cyclefixture.a"), result.getFailureReport().toString());
    }

    @Test
    void sharedValuesImportNoStage() {
        classes().that().resideInAPackage("io.clipstream.common..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.clipstream.common..", "io.clipstream.schema..", "java..", "org.apache.avro..")
                .because("every stage imports the shared values, so they may import only the Avro schema classes")
                .check(service);
    }

    @Test
    void theServiceNeverDependsOnTheTooling() {
        noClasses().that().resideOutsideOfPackages("io.clipstream.tools..", "io.clipstream.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.clipstream.tools..")
                .because("benchmarks, evaluation and the reference launchers are run by the CLI, never by the service")
                .check(service);
    }

    @Test
    void everyPackageSaysItsJobInAPackageInfo() throws IOException {
        Path root = Path.of("src", "main", "java", "io", "clipstream");
        try (Stream<Path> directories = Files.walk(root)) {
            List<Path> missing = directories.filter(Files::isDirectory).filter(ArchitectureTest::holdsJava)
                    .filter(directory -> !Files.isRegularFile(directory.resolve("package-info.java"))).toList();
            assertTrue(missing.isEmpty(), "packages without a package-info.java saying their job and place in the flow: " + missing);
        }
    }

    private static boolean holdsJava(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void onlyTheEntryPointsReadTheConfiguration() {
        noClasses().that().resideOutsideOfPackages("io.clipstream.config..", "io.clipstream.service..",
                        "io.clipstream.embedded..", "io.clipstream.cli..", "io.clipstream.tools..", "io.clipstream.ingest..")
                .should().dependOnClassesThat().resideInAPackage("io.clipstream.config..")
                .because("each stage takes its own typed settings; the configuration is built once and handed down")
                .check(service);
    }
}
