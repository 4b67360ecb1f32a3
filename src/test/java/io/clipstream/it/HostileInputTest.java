package io.clipstream.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.config.Settings;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.service.ClipstreamService;
import io.clipstream.testing.Await;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fuzz run through the embedder on the real in-process broker: 10,800 records, of which
 * 10,000 are hostile (mutated Avro: truncated, bit-flipped, garbage, foreign wire format; mutated
 * images inside valid events: truncated, bit-flipped, huge declared dimensions in PNG, JPEG and BMP
 * headers, PNGs with a huge IHDR and a tiny IDAT, zlib decompression bombs). The application must
 * stay RUNNING with no stream thread ever failing, every record must end in exactly one place (a
 * vector or a dead letter with a reason), the records that cannot be images must be dead letters,
 * and the heap after GC must stay bounded. Takes about a minute; figures go to docs/RELIABILITY.md.
 */
class HostileInputTest {

    static final Duration WAIT = Duration.ofMinutes(4);
    static final long HEAP_BOUND = 1024L * 1024 * 1024;

    /** Which mutations must never become a vector. */
    record Input(String key, String topic, byte[] value, boolean mustBeDeadLettered, String kind) {
    }

    @Test
    void hostileRecordsAreDeadLetteredAndTheEmbedderStaysUp() throws Exception {
        Path base = Path.of("target", "it", "hostile-" + UUID.randomUUID());
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        Logger serviceLog = (Logger) LoggerFactory.getLogger(ClipstreamService.class);
        serviceLog.addAppender(errors);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
             InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
             SchemaRegistryClient registryClient = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()))) {
            AvroSerdes serdes = new AvroSerdes(registryClient, true);
            List<Input> inputs = inputs(serdes, new Random(20261122));
            long hostile = inputs.stream().filter(i -> !i.kind().equals("valid")).count();
            assertTrue(hostile >= 10_000, "at least 10,000 hostile records, got " + hostile);

            Map<String, String> settings = new HashMap<>();
            settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
            settings.put(SchemaRegistryConfig.URL, registry.url().toString());
            settings.put("app.id", "it-hostile");
            settings.put("roles", "embedder");
            settings.put("state.dir", base.resolve("state").toString());
            settings.put("topics.partitions", "2");
            settings.put("topics.replication.factor", "1");
            settings.put(Settings.MODEL_DIR.key(), "models/fixture-tiny");
            settings.put(Settings.HTTP_PORT.key(), Integer.toString(Rest.freePort()));
            try (ClipstreamService service = ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)))) {
                Await.until(Duration.ofSeconds(60), "the embedder to run", service::ready);
                AtomicReference<String> notRunning = new AtomicReference<>();
                AtomicLong maxHeap = new AtomicLong();
                Thread watcher = Thread.ofPlatform().daemon().start(() -> watch(service, notRunning, maxHeap));
                long started = System.nanoTime();
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024), new StringSerializer(), new ByteArraySerializer())) {
                    for (Input input : inputs) {
                        producer.send(new ProducerRecord<>(input.topic(), input.key(), input.value()));
                    }
                }
                Set<String> all = new HashSet<>();
                inputs.forEach(i -> all.add(i.key()));
                Map<String, Integer> vectors = new HashMap<>();
                Map<String, Integer> letters = new HashMap<>();
                Map<String, String> reasons = new HashMap<>();
                Await.until(WAIT, "every one of " + all.size() + " inputs to come out as a vector or a dead letter", () -> {
                    try {
                        vectors.clear();
                        letters.clear();
                        for (String topic : List.of("vectors.image", "vectors.text")) {
                            IndexClusterTest.readAllFrom(broker.bootstrapServers(), topic, 0).stream()
                                    .filter(r -> r.value() != null).forEach(r -> vectors.merge(r.key(), 1, Integer::sum));
                        }
                        for (ConsumerRecord<String, byte[]> letter : IndexClusterTest.readAllFrom(broker.bootstrapServers(), "clipstream.dlq", 0)) {
                            letters.merge(letter.key(), 1, Integer::sum);
                            Header reason = letter.headers().lastHeader("clipstream.dlq.reason");
                            Header code = letter.headers().lastHeader("clipstream.dlq.reason.code");
                            reasons.put(letter.key(), (code == null ? "" : new String(code.value(), StandardCharsets.UTF_8)) + ": "
                                    + (reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8)));
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return vectors.size() + letters.size() >= all.size();
                });
                double seconds = (System.nanoTime() - started) / 1e9;
                watcher.interrupt();
                watcher.join();

                Map<String, Integer> byKind = new java.util.TreeMap<>();
                Map<String, Integer> letteredByKind = new java.util.TreeMap<>();
                for (Input input : inputs) {
                    String key = input.key();
                    int v = vectors.getOrDefault(key, 0);
                    int d = letters.getOrDefault(key, 0);
                    assertEquals(1, v + d, key + " (" + input.kind() + ") must end exactly once: vectors " + v + ", dead letters " + d);
                    if (input.mustBeDeadLettered()) {
                        assertEquals(1, d, key + " (" + input.kind() + ") must be dead-lettered");
                    }
                    if (input.kind().equals("valid")) {
                        assertEquals(1, v, key + " is valid and must be indexed: " + reasons.get(key));
                    }
                    if (d == 1) {
                        String reason = reasons.get(key);
                        assertTrue(reason != null && reason.matches("[A-Z_]+: \\S.*"), key + " has no reason: " + reason);
                    }
                    byKind.merge(input.kind(), 1, Integer::sum);
                    letteredByKind.merge(input.kind(), d, Integer::sum);
                }
                assertEquals(null, notRunning.get(), "the embedder left RUNNING");
                List<String> threadFailures = errors.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                        .map(ILoggingEvent::getFormattedMessage).toList();
                assertEquals(List.of(), threadFailures, "no stream thread failed");
                assertTrue(maxHeap.get() < HEAP_BOUND, "heap after GC peaked at " + maxHeap.get() / (1 << 20) + " MiB");
                System.out.printf("FIGURES hostile: %d records (%d hostile) in %.1f s; %d vectors, %d dead letters; "
                                + "max heap after GC %d MiB; per kind (total/dead-lettered): %s / %s%n",
                        inputs.size(), hostile, seconds, vectors.size(), letters.size(), maxHeap.get() / (1 << 20), byKind, letteredByKind);
            }
        } finally {
            serviceLog.detachAppender(errors);
        }
    }

    /** Samples the application state and the heap after GC until interrupted. */
    private static void watch(ClipstreamService service, AtomicReference<String> notRunning, AtomicLong maxHeap) {
        Runtime runtime = Runtime.getRuntime();
        long lastGc = 0;
        while (!Thread.currentThread().isInterrupted()) {
            Map<String, String> states = service.states();
            if (!states.values().stream().allMatch("RUNNING"::equals)) {
                notRunning.compareAndSet(null, states.toString());
            }
            if (System.nanoTime() - lastGc > 2_000_000_000L) {
                System.gc();
                maxHeap.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                lastGc = System.nanoTime();
            }
            try {
                Thread.sleep(50); // a sampling interval, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static List<Input> inputs(AvroSerdes serdes, Random random) throws IOException {
        List<Input> inputs = new ArrayList<>();
        byte[] png = image(random, "png", 24, 24);
        byte[] jpeg = image(random, "jpeg", 24, 24);
        byte[] bmp = image(random, "bmp", 16, 16);
        int n = 0;
        // 800 valid records interleaved, so good input keeps flowing between the bad.
        for (int i = 0; i < 400; i++) {
            inputs.add(new Input("valid-cap-" + i, "media.captions", caption(serdes, "valid-cap-" + i, "a photo number " + i), false, "valid"));
            String id = "valid-img-" + i;
            inputs.add(new Input(id, "media.images", imageEvent(serdes, id, i % 2 == 0 ? png : jpeg), false, "valid"));
        }
        // 4,000 mutated Avro records.
        byte[] captionTemplate = caption(serdes, "template", "a dog on a red sofa, photographed from above");
        byte[] imageTemplate = imageEvent(serdes, "template", png);
        for (int i = 0; i < 4000; i++) {
            boolean image = i % 2 == 0;
            byte[] template = image ? imageTemplate : captionTemplate;
            String topic = image ? "media.images" : "media.captions";
            String key = "avro-" + i;
            switch (i % 5) {
                case 0 -> inputs.add(new Input(key, topic, truncate(random, template, 6), false, "avro-truncated"));
                case 1 -> inputs.add(new Input(key, topic, flip(random, template, 5, 1 + random.nextInt(8)), false, "avro-bitflip"));
                case 2 -> inputs.add(new Input(key, topic, garbage(random, 1 + random.nextInt(300)), true, "avro-garbage"));
                case 3 -> {
                    byte[] foreign = template.clone();
                    ByteBuffer.wrap(foreign).putInt(1, 900_000 + random.nextInt(1000)); // a schema id the registry never issued
                    inputs.add(new Input(key, topic, foreign, true, "avro-unknown-schema"));
                }
                default -> {
                    byte[] hugeLength = template.clone();
                    // Overwrite bytes after the id with 0xFF...: Avro varints claiming enormous lengths.
                    for (int b = 5 + 10; b < Math.min(hugeLength.length, 5 + 20); b++) {
                        hugeLength[b] = (byte) 0xFF;
                    }
                    inputs.add(new Input(key, topic, hugeLength, false, "avro-huge-length"));
                }
            }
            n++;
        }
        // 6,000 mutated images in well-formed events.
        for (int i = 0; i < 6000; i++) {
            String key = "img-" + i;
            byte[] source = switch (i % 3) {
                case 0 -> png;
                case 1 -> jpeg;
                default -> bmp;
            };
            Input input = switch (i % 10) {
                case 0, 1 -> new Input(key, "media.images", imageEvent(serdes, key, truncate(random, source, 1)), false, "image-truncated");
                case 2 -> new Input(key, "media.images", imageEvent(serdes, key, java.util.Arrays.copyOf(source, 4 + random.nextInt(8))),
                        true, "image-header-only");
                case 3, 4, 5 -> new Input(key, "media.images", imageEvent(serdes, key, flip(random, source, 0, 1 + random.nextInt(16))),
                        false, "image-bitflip");
                case 6 -> new Input(key, "media.images", imageEvent(serdes, key, hugeDimensions(random, source, i % 3)), true,
                        "image-huge-dimensions");
                case 7 -> new Input(key, "media.images", imageEvent(serdes, key, png(20_000 + random.nextInt(40_000),
                        20_000 + random.nextInt(40_000), 1 + random.nextInt(4))), true, "png-huge-ihdr-tiny-idat");
                case 8 -> new Input(key, "media.images", imageEvent(serdes, key, png(4000, 4000, 2)), true,
                        "png-allowed-ihdr-tiny-idat");
                default -> new Input(key, "media.images", imageEvent(serdes, key, garbage(random, 1 + random.nextInt(2000))), true,
                        "image-garbage");
            };
            inputs.add(input);
        }
        // A few full decompression bombs: 100 KB that inflate to 48 MB of pixels. Within the pixel
        // limit, so they are valid images; what matters is that memory stays bounded.
        byte[] bomb = png(4000, 4000, 4000);
        for (int i = 0; i < 10; i++) {
            inputs.add(new Input("bomb-" + i, "media.images", imageEvent(serdes, "bomb-" + i, bomb), false, "png-decompression-bomb"));
        }
        java.util.Collections.shuffle(inputs, random);
        return inputs;
    }

    static byte[] caption(AvroSerdes serdes, String id, String text) {
        return serdes.captionEvent().serializer().serialize("media.captions", CaptionEvent.newBuilder().setId(id).setText(text).build());
    }

    static byte[] imageEvent(AvroSerdes serdes, String id, byte[] bytes) {
        return serdes.imageEvent().serializer().serialize("media.images",
                ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(bytes)).build());
    }

    static byte[] image(Random random, String format, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0xFFFFFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    static byte[] truncate(Random random, byte[] bytes, int keepAtLeast) {
        return java.util.Arrays.copyOf(bytes, keepAtLeast + random.nextInt(Math.max(1, bytes.length - keepAtLeast - 1)));
    }

    static byte[] flip(Random random, byte[] bytes, int from, int bits) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < bits; i++) {
            int at = from + random.nextInt(copy.length - from);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    static byte[] garbage(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length > 0 && bytes[0] == 0) {
            bytes[0] = 1; // never the Confluent magic byte by accident
        }
        return bytes;
    }

    /** The same image with its header claiming dimensions far over the pixel limit. */
    static byte[] hugeDimensions(Random random, byte[] source, int format) {
        int width = 50_000 + random.nextInt(15_000);
        int height = 50_000 + random.nextInt(15_000);
        return switch (format) {
            case 0 -> png(width, height, 1);
            case 1 -> {
                byte[] copy = source.clone();
                for (int i = 2; i + 9 < copy.length; i++) { // the SOF0/SOF2 segment: FF C0|C2 len(2) precision(1) height(2) width(2)
                    if ((copy[i] & 0xFF) == 0xFF && ((copy[i + 1] & 0xFF) == 0xC0 || (copy[i + 1] & 0xFF) == 0xC2)) {
                        ByteBuffer.wrap(copy).putShort(i + 5, (short) 65000).putShort(i + 7, (short) 65000);
                        break;
                    }
                }
                yield copy;
            }
            default -> {
                byte[] copy = source.clone();
                ByteBuffer.wrap(copy).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(18, width).putInt(22, height);
                yield copy;
            }
        };
    }

    /** An RGB PNG whose IHDR says width x height but whose IDAT holds only {@code rows} rows of zeros. */
    static byte[] png(int width, int height, int rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater(9);
        byte[] row = new byte[1 + width * 3];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int r = 0; r < rows; r++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
