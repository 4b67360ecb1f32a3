package io.clipstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.clipstream.cli.ClipstreamCommand;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.config.Settings;
import io.clipstream.encoders.ClasspathModelFiles;
import io.clipstream.http.HttpSettings;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/Dockerfile, docker/Dockerfile.cuda and docker/compose.yaml, checked without a Docker engine:
 * the services and their wiring, the port, and that every CLIPSTREAM_* variable sets a real key.
 */
class DockerArtefactsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DOCKER = ClipstreamEnvironment.projectDir().resolve("docker");
    private static final String MODEL_IN_IMAGE = "/opt/clipstream/models/default";
    private static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector");

    private static JsonNode compose() throws Exception {
        return YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
    }

    /** A service's environment, in map or list (KEY=VALUE) form. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        } else {
            node.forEach(item -> {
                String[] pair = item.asText().split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        }
        return env;
    }

    /** The configuration a service's clipstream would run with (its CLIPSTREAM_* variables). */
    private static ClipstreamConfig config(JsonNode service) {
        Map<String, String> properties = new LinkedHashMap<>();
        // ConfigSource reads the environment; build the same values as properties through the catalog.
        environment(service).forEach((name, value) -> {
            if (ClipstreamEnvironment.isSetting(name)) {
                properties.put(io.clipstream.config.ConfigReference.forEnvironmentVariable(name).orElseThrow().key(), value);
            }
        });
        return ClipstreamConfig.from(ConfigSource.of(properties));
    }

    @Test
    void composeRunsKafkaARegistryClipstreamAndTheLoader() throws Exception {
        JsonNode services = compose().path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertTrue(names.containsAll(Set.of("kafka", "schema-registry", "clipstream", "loader")), names.toString());
        assertTrue(services.path("kafka").path("image").asText().startsWith("apache/kafka:"));
        assertTrue(environment(services.path("kafka")).get("KAFKA_PROCESS_ROLES").contains("controller"), "single-node KRaft");
        assertEquals("docker/Dockerfile", services.path("clipstream").path("build").path("dockerfile").asText());
        var subcommands = ClipstreamCommand.newCommandLine().getSubcommands().keySet();
        for (String service : List.of("clipstream", "loader")) {
            JsonNode command = services.path(service).path("command");
            assertTrue(subcommands.contains(command.get(0).asText()), service + " runs `" + command + "`, not a clipstream command");
        }
        assertEquals("serve", services.path("clipstream").path("command").get(0).asText());
        assertEquals("load-demo", services.path("loader").path("command").get(0).asText());
    }

    @Test
    void everyClipstreamVariableSetsAKnownKey() throws Exception {
        List<String> unknown = new ArrayList<>();
        compose().path("services").properties().forEach(service ->
                ClipstreamEnvironment.unknown(environment(service.getValue()).keySet())
                        .forEach(name -> unknown.add(service.getKey() + ": " + name)));
        for (String file : List.of("Dockerfile", "Dockerfile.cuda")) {
            ClipstreamEnvironment.unknown(Dockerfile.read(DOCKER.resolve(file)).runtimeEnvironment().keySet())
                    .forEach(name -> unknown.add(file + ": " + name));
        }
        assertTrue(unknown.isEmpty(), "CLIPSTREAM_* variables that set no configuration key (see docs/OPERATIONS.md): " + unknown);
    }

    @Test
    void clipstreamPublishesItsConfiguredHttpPort() throws Exception {
        JsonNode service = compose().path("services").path("clipstream");
        int port = config(service).http().port();
        List<String> ports = new ArrayList<>();
        service.path("ports").forEach(p -> ports.add(p.asText()));
        assertTrue(ports.stream().anyMatch(p -> p.endsWith(":" + port)), "clipstream listens on " + port + " but publishes " + ports);
        String health = service.path("healthcheck").path("test").toString();
        assertTrue(health.contains(":" + port + "/health/ready"), health);
        assertEquals(HttpSettings.DEFAULT.port(), port, "the compose port and the image's EXPOSE are both the default http.port");
    }

    @Test
    void bootstrapServersAndRegistryUrlNameTheComposeServices() throws Exception {
        JsonNode services = compose().path("services");
        JsonNode kafka = services.path("kafka");
        Map<String, String> kafkaEnv = environment(kafka);
        JsonNode registry = services.path("schema-registry");
        for (String name : List.of("clipstream", "loader")) {
            ClipstreamConfig config = config(services.path(name));
            String bootstrap = config.kafka().requireBootstrapServers();
            assertTrue(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS").contains("//" + bootstrap),
                    name + " uses " + bootstrap + " but kafka advertises " + kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS"));
            String port = bootstrap.substring(bootstrap.indexOf(':') + 1);
            assertTrue(kafkaEnv.get("KAFKA_LISTENERS").contains(":" + port), "kafka listens on " + kafkaEnv.get("KAFKA_LISTENERS"));
            assertEquals("kafka", bootstrap.substring(0, bootstrap.indexOf(':')));

            URI url = config.requireSchemaRegistry().urls().getFirst();
            assertEquals("schema-registry", url.getHost(), name + "'s " + SchemaRegistryConfig.URL);
            assertTrue(environment(registry).get("SCHEMA_REGISTRY_LISTENERS").endsWith(":" + url.getPort()),
                    "the registry listens on " + environment(registry).get("SCHEMA_REGISTRY_LISTENERS") + ", clipstream calls " + url);
            assertEquals(config.kafka().replicationFactor().orElseThrow().intValue(), 1, "one broker: replication factor 1");
        }
        assertTrue(environment(registry).get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").endsWith("kafka:9092"));
    }

    @Test
    void dependenciesWaitOnHealthchecksThatExist() throws Exception {
        JsonNode services = compose().path("services");
        services.properties().forEach(service -> service.getValue().path("depends_on").properties().forEach(dependency -> {
            if (dependency.getValue().path("condition").asText().equals("service_healthy")) {
                JsonNode check = services.path(dependency.getKey()).path("healthcheck");
                assertFalse(check.isMissingNode() || check.path("disable").asBoolean(false),
                        service.getKey() + " waits for " + dependency.getKey() + " to be healthy, which has no healthcheck");
            }
        }));
        assertEquals("service_healthy", services.path("loader").path("depends_on").path("clipstream").path("condition").asText(),
                "the corpus is loaded once clipstream has created its topics and is ready");
    }

    @Test
    void imagesRunTheJarWithTheModelAsANonRootUser() throws Exception {
        for (String file : List.of("Dockerfile", "Dockerfile.cuda")) {
            Dockerfile docker = Dockerfile.read(DOCKER.resolve(file));
            String build = docker.all().stream().filter(i -> i.keyword().equals("RUN") && i.arguments().contains("./mvnw"))
                    .map(Dockerfile.Instruction::arguments).findFirst().orElse("");
            assertTrue(build.contains("-DskipTests") && build.contains("package"), file + " builds with ./mvnw: " + build);
            assertEquals(file.endsWith(".cuda"), build.contains("-Pgpu"), file + ": the CUDA image builds with -Pgpu");

            assertEquals(List.of(Integer.toString(HttpSettings.DEFAULT.port())), docker.runtime("EXPOSE"), file);
            Map<String, String> env = docker.runtimeEnvironment();
            assertEquals(Integer.toString(HttpSettings.DEFAULT.port()), env.get(ConfigSource.environmentName(Settings.HTTP_PORT.key())), file);
            assertEquals(MODEL_IN_IMAGE, env.get(ConfigSource.environmentName(Settings.MODEL_DIR.key())), file);
            assertTrue(docker.runtime("COPY").contains("models/default " + MODEL_IN_IMAGE), file + " copies the default model");
            assertTrue(env.get(ConfigSource.environmentName(Settings.STATE_DIR.key())).startsWith("/var/lib/clipstream/"), file);
            if (file.endsWith(".cuda")) {
                assertEquals("cuda", env.get(ConfigSource.environmentName(Settings.DEVICE.key())));
                assertTrue(docker.runtime().getFirst().arguments().contains("CUDA_IMAGE"), "runtime stage on the CUDA base");
            } else {
                assertTrue(docker.runtime().getFirst().arguments().startsWith("eclipse-temurin:21-jre"), file);
            }

            List<String> users = docker.runtime("USER");
            assertEquals(1, users.size(), file);
            assertFalse(users.getFirst().startsWith("0") || users.getFirst().startsWith("root"), file + " runs as root");

            List<String> entrypoint = new ArrayList<>();
            YAML.readTree(docker.runtime("ENTRYPOINT").getFirst()).forEach(part -> entrypoint.add(part.asText()));
            assertEquals("java", entrypoint.getFirst(), file);
            assertTrue(entrypoint.containsAll(JVM_FLAGS), file + ": " + entrypoint);
            assertEquals(List.of("-jar", "/opt/clipstream/clipstream.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
            assertEquals("[\"serve\"]", docker.runtime("CMD").getFirst(), file);
            assertTrue(docker.runtime("HEALTHCHECK").getFirst().contains("/health/ready"), file);
        }
    }

    @Test
    void theDefaultModelsClasspathFilesAreInTheJarTheImageRuns() throws Exception {
        // The image copies models/default and runs the shaded jar: every classpath: entry of the manifest must
        // be a resource of this class path (the shaded jar holds the same dependencies).
        JsonNode manifest = new ObjectMapper().readTree(ClipstreamEnvironment.projectDir()
                .resolve("models/default/clipstream-model.json").toFile());
        List<String> classpath = new ArrayList<>();
        manifest.path("text").properties().forEach(e -> {
            if (ClasspathModelFiles.isClasspath(e.getValue().asText())) {
                classpath.add(e.getValue().asText());
            }
        });
        assertFalse(classpath.isEmpty(), "the default model's text tower comes from the class path");
        for (String entry : classpath) {
            String resource = entry.substring(ClasspathModelFiles.PREFIX.length()).replaceFirst("^/", "");
            assertNotNull(getClass().getClassLoader().getResource(resource), entry + " is not on the class path");
        }
        String ignored = java.nio.file.Files.readString(ClipstreamEnvironment.projectDir().resolve(".dockerignore"));
        assertFalse(ignored.lines().anyMatch(line -> line.strip().equals("models/default") || line.strip().equals("models")),
                ".dockerignore must not leave the default model out of the build context");
    }
}
