package io.clipstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.clipstream.config.ConfigSource;
import io.clipstream.config.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** helm/clipstream linted and rendered through helm-java (Helm as a native library; no cluster, no helm binary). */
class HelmChartTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path CHART = ClipstreamEnvironment.projectDir().resolve("helm/clipstream");
    private static final String RELEASE = "search";
    private static final String NAMESPACE = "media";

    /** The rendered manifests, one JSON tree per document. */
    private static List<JsonNode> render(UnaryOperator<TemplateCommand> options) throws Exception {
        String rendered = options.apply(new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)).call();
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(rendered)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    documents.add(doc);
                }
            }
        }
        return documents;
    }

    private static List<JsonNode> renderDefault() throws Exception {
        return render(c -> c);
    }

    private static List<JsonNode> renderGpu() throws Exception {
        return render(c -> c.withValuesFile(CHART.resolve("values-gpu.yaml")));
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = ofKind(docs, kind);
        assertEquals(1, found.size(), "one " + kind + " expected, rendered: " + found);
        return found.getFirst();
    }

    private static JsonNode container(JsonNode workload) {
        return workload.path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** The container's env entries by name, in order. */
    private static Map<String, JsonNode> env(JsonNode workload) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container(workload).path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    private static JsonNode workload(List<JsonNode> docs, String kind, String component) {
        return ofKind(docs, kind).stream()
                .filter(d -> d.path("metadata").path("labels").path("app.kubernetes.io/component").asText().equals(component))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " for " + component));
    }

    /** Every CLIPSTREAM_* variable the manifests set: ConfigMap data, Secret data, container env. */
    private static List<String> clipstreamVariables(List<JsonNode> docs) {
        List<String> names = new ArrayList<>();
        for (JsonNode doc : docs) {
            doc.path("data").fieldNames().forEachRemaining(names::add);
            doc.path("stringData").fieldNames().forEachRemaining(names::add);
            if (doc.path("spec").path("template").path("spec").has("containers")) {
                doc.path("spec").path("template").path("spec").path("containers")
                        .forEach(c -> c.path("env").forEach(e -> names.add(e.path("name").asText())));
            }
        }
        return names.stream().filter(ClipstreamEnvironment::isSetting).toList();
    }

    @Test
    void chartLints() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), "helm lint: " + result.getMessages());
    }

    @Test
    void indexIsAStatefulSetWithItsOwnVolumeAndAHeadlessServiceForPeers() throws Exception {
        List<JsonNode> docs = renderDefault();
        JsonNode index = only(docs, "StatefulSet");
        String serviceName = index.path("spec").path("serviceName").asText();
        JsonNode headless = ofKind(docs, "Service").stream()
                .filter(s -> s.path("metadata").path("name").asText().equals(serviceName)).findFirst()
                .orElseThrow(() -> new AssertionError("serviceName " + serviceName + " names no rendered Service"));
        assertEquals("None", headless.path("spec").path("clusterIP").asText(), "the peer Service is headless");
        assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean());
        assertSelects(headless, index);

        JsonNode claims = index.path("spec").path("volumeClaimTemplates");
        assertEquals(1, claims.size());
        String claim = claims.get(0).path("metadata").path("name").asText();
        String mountPath = null;
        for (JsonNode mount : container(index).path("volumeMounts")) {
            if (mount.path("name").asText().equals(claim)) {
                mountPath = mount.path("mountPath").asText();
            }
        }
        JsonNode config = only(docs, "ConfigMap").path("data");
        assertEquals(config.path(ConfigSource.environmentName(Settings.STATE_DIR.key())).asText(), mountPath,
                "state.dir lies on the volume claim");
        assertFalse(claims.get(0).path("spec").path("resources").path("requests").path("storage").asText().isEmpty());

        JsonNode client = ofKind(docs, "Service").stream().filter(s -> !s.path("spec").path("clusterIP").asText().equals("None"))
                .findFirst().orElseThrow();
        assertSelects(client, index);
        assertFalse(client.path("spec").path("selector").equals(workload(docs, "Deployment", "embedder")
                .path("spec").path("template").path("metadata").path("labels")), "clients reach index pods only");
    }

    @Test
    void eachPodAdvertisesItsOwnDnsNameUnderTheHeadlessService() throws Exception {
        List<JsonNode> docs = renderDefault();
        JsonNode index = only(docs, "StatefulSet");
        Map<String, JsonNode> env = env(index);
        List<String> order = new ArrayList<>(env.keySet());
        assertEquals("metadata.name", env.get("POD_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText());
        assertEquals("metadata.namespace", env.get("POD_NAMESPACE").path("valueFrom").path("fieldRef").path("fieldPath").asText());
        String advertised = ConfigSource.environmentName(Settings.HTTP_ADVERTISED_HOST.key());
        assertEquals("$(POD_NAME)." + index.path("spec").path("serviceName").asText() + ".$(POD_NAMESPACE).svc.cluster.local",
                env.get(advertised).path("value").asText());
        assertTrue(order.indexOf("POD_NAME") < order.indexOf(advertised) && order.indexOf("POD_NAMESPACE") < order.indexOf(advertised),
                "Kubernetes expands $(VAR) only from variables defined before: " + order);
    }

    @Test
    void rolesSplitEmbeddersFromIndexAndResponder() throws Exception {
        List<JsonNode> docs = renderDefault();
        String roles = ConfigSource.environmentName(Settings.ROLES.key());
        assertEquals("index,responder", env(only(docs, "StatefulSet")).get(roles).path("value").asText());
        assertEquals("embedder", env(workload(docs, "Deployment", "embedder")).get(roles).path("value").asText());
        for (JsonNode workload : List.of(only(docs, "StatefulSet"), workload(docs, "Deployment", "embedder"))) {
            assertEquals("serve", container(workload).path("args").get(0).asText());
            assertEquals("configMapRef", container(workload).path("envFrom").get(0).fieldNames().next());
        }
    }

    @Test
    void bothRolesProbeReadinessAndLivenessOnTheirHttpPort() throws Exception {
        List<JsonNode> docs = renderDefault();
        for (JsonNode workload : List.of(only(docs, "StatefulSet"), workload(docs, "Deployment", "embedder"))) {
            probesOnHttpPort(docs, container(workload));
        }
    }

    private static void probesOnHttpPort(List<JsonNode> docs, JsonNode container) {
        assertEquals("/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("http", container.path("readinessProbe").path("httpGet").path("port").asText());
        int containerPort = container.path("ports").get(0).path("containerPort").asInt();
        assertEquals("http", container.path("ports").get(0).path("name").asText());
        assertEquals(Integer.toString(containerPort),
                only(docs, "ConfigMap").path("data").path(ConfigSource.environmentName(Settings.HTTP_PORT.key())).asText(),
                "the probed port is the one http.port opens");
    }

    @Test
    void gpuResourcesOnlyWithTheGpuValuesAndOnlyOnEmbedders() throws Exception {
        for (JsonNode workload : List.of(only(renderDefault(), "StatefulSet"), workload(renderDefault(), "Deployment", "embedder"))) {
            assertFalse(container(workload).path("resources").toString().contains("nvidia.com/gpu"), workload.path("kind").asText());
        }
        List<JsonNode> gpu = renderGpu();
        JsonNode embedder = workload(gpu, "Deployment", "embedder");
        assertEquals("1", container(embedder).path("resources").path("limits").path("nvidia.com/gpu").asText());
        assertFalse(container(embedder).path("resources").path("limits").path("memory").isMissingNode(),
                "the GPU limit is added to the memory limit, not instead of it");
        assertEquals("cuda", env(embedder).get(ConfigSource.environmentName(Settings.DEVICE.key())).path("value").asText());
        assertTrue(container(embedder).path("image").asText().endsWith("-cuda"), container(embedder).path("image").asText());
        assertFalse(container(only(gpu, "StatefulSet")).path("resources").toString().contains("nvidia.com/gpu"));
        assertFalse(container(only(gpu, "StatefulSet")).path("image").asText().endsWith("-cuda"));
    }

    @Test
    void serviceMonitorOnlyWhenEnabledAndItScrapesTheClientService() throws Exception {
        assertTrue(ofKind(renderDefault(), "ServiceMonitor").isEmpty());
        assertTrue(ofKind(renderGpu(), "ServiceMonitor").isEmpty());
        List<JsonNode> docs = render(c -> c.set("monitoring.serviceMonitor.enabled", true).set("auth.apiToken", "api-token-0123456789abcdef"));
        JsonNode monitor = only(docs, "ServiceMonitor");
        assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertEquals("/metrics", endpoint.path("path").asText());
        assertEquals("http", endpoint.path("port").asText());
        List<JsonNode> selected = ofKind(docs, "Service").stream().filter(service -> {
            JsonNode labels = service.path("metadata").path("labels");
            List<Boolean> matches = new ArrayList<>();
            monitor.path("spec").path("selector").path("matchLabels").properties()
                    .forEach(e -> matches.add(labels.path(e.getKey()).asText().equals(e.getValue().asText())));
            return !matches.contains(false);
        }).toList();
        assertEquals(1, selected.size(), "the monitor selects the client Service only (not also the headless one)");
        JsonNode secret = only(docs, "Secret");
        String tokenKey = ConfigSource.environmentName(Settings.HTTP_AUTH_TOKEN.key());
        assertTrue(secret.path("stringData").has(tokenKey));
        assertEquals(secret.path("metadata").path("name").asText(), endpoint.path("authorization").path("credentials").path("name").asText());
        assertEquals(tokenKey, endpoint.path("authorization").path("credentials").path("key").asText());
        for (JsonNode workload : List.of(only(docs, "StatefulSet"), workload(docs, "Deployment", "embedder"))) {
            assertTrue(container(workload).path("envFrom").toString().contains(secret.path("metadata").path("name").asText()),
                    "the tokens reach every instance");
        }
        JsonNode pods = only(docs, "PodMonitor");
        JsonNode embedderLabels = workload(docs, "Deployment", "embedder").path("spec").path("template").path("metadata").path("labels");
        pods.path("spec").path("selector").path("matchLabels").properties().forEach(e ->
                assertEquals(e.getValue().asText(), embedderLabels.path(e.getKey()).asText(), "the PodMonitor selects the embedder pods"));
        JsonNode podEndpoint = pods.path("spec").path("podMetricsEndpoints").get(0);
        assertEquals("/metrics", podEndpoint.path("path").asText());
        assertEquals("http", podEndpoint.path("port").asText());
        assertEquals(tokenKey, podEndpoint.path("authorization").path("credentials").path("key").asText());
        assertTrue(ofKind(renderDefault(), "PodMonitor").isEmpty());
    }

    @Test
    void everyClipstreamVariableSetsAKnownKey() throws Exception {
        List<String> unknown = new ArrayList<>();
        List<List<JsonNode>> renders = List.of(renderDefault(), renderGpu(),
                render(c -> c.set("auth.apiToken", "api-token-0123456789abcdef").set("auth.internalToken", "internal-0123456789abcdef")
                        .set("monitoring.serviceMonitor.enabled", true)));
        for (List<JsonNode> docs : renders) {
            assertFalse(clipstreamVariables(docs).isEmpty());
            unknown.addAll(ClipstreamEnvironment.unknown(clipstreamVariables(docs)));
        }
        assertTrue(unknown.isEmpty(), "the chart sets CLIPSTREAM_* variables that no configuration key reads: " + unknown);

        // The check sees keys given through values.config too, so a misspelt one is caught.
        List<JsonNode> misspelt = render(c -> c.set("config.topics\\.partitons", "8"));
        assertEquals(List.of("CLIPSTREAM_TOPICS_PARTITONS"), ClipstreamEnvironment.unknown(clipstreamVariables(misspelt)));
    }

    private static void assertSelects(JsonNode service, JsonNode workload) {
        JsonNode podLabels = workload.path("spec").path("template").path("metadata").path("labels");
        service.path("spec").path("selector").properties().forEach(e -> assertEquals(e.getValue().asText(),
                podLabels.path(e.getKey()).asText(), service.path("metadata").path("name").asText() + " selector " + e.getKey()));
    }
}
