package io.clipstream.it;

import io.clipstream.config.Settings;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The settings of one clipstream instance in a multi-instance test on the embedded broker. */
final class InstanceSettings {

    private InstanceSettings() {
    }

    static Map<String, String> of(EmbeddedKafkaBroker broker, InProcessSchemaRegistry registry, String appId, String roles,
                                  Path stateDir, int port) {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put(SchemaRegistryConfig.URL, registry.url().toString());
        settings.put("app.id", appId);
        settings.put("roles", roles);
        settings.put("state.dir", stateDir.toString());
        settings.put("topics.partitions", "4");
        settings.put("topics.replication.factor", "1");
        settings.put(Settings.HTTP_PORT.key(), Integer.toString(port));
        settings.put(Settings.HTTP_HOST.key(), "127.0.0.1");
        settings.put(Settings.HTTP_ADVERTISED_HOST.key(), "localhost");
        settings.put(Settings.MODEL_DIR.key(), "models/fixture-tiny");
        settings.put("kafka.session.timeout.ms", "10000");
        return settings;
    }
}
