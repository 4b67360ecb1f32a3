package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.fetch.FetchLimits;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.fetch.UrlPolicy;
import io.clipstream.fetch.UrlPolicySettings;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbedderTopologyTest {

    static final Path IMAGES = Path.of("src/test/resources/fixtures/model-parity/images");
    static ClipModel model;

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> images;
    TestInputTopic<String, byte[]> captions;
    TestOutputTopic<String, VectorRecord> imageVectors;
    TestOutputTopic<String, VectorRecord> textVectors;
    TestOutputTopic<String, byte[]> deadLetters;
    TestOutputTopic<String, byte[]> thumbnails;

    @BeforeAll
    static void openModel() {
        model = ClipModel.open(EncoderSettings.cpu(Path.of("models/fixture-tiny")));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "embedder-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/embedder-test");
        Topics topics = Topics.DEFAULT;
        driver = new TopologyTestDriver(EmbedderTopology.build(topics, new BatchSettings(4, Duration.ofMillis(500)), model,
                PlainAvro.deserializer(ImageEvent.class), PlainAvro.deserializer(CaptionEvent.class),
                PlainAvro.serializer(VectorRecord.class), new ImageFetcher(new FetchLimits(1 << 20, Duration.ofSeconds(2), 2),
                        new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE))),
                props);
        images = driver.createInputTopic(topics.images(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        captions = driver.createInputTopic(topics.captions(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        imageVectors = driver.createOutputTopic(topics.imageVectors(), Serdes.String().deserializer(), PlainAvro.deserializer(VectorRecord.class));
        textVectors = driver.createOutputTopic(topics.textVectors(), Serdes.String().deserializer(), PlainAvro.deserializer(VectorRecord.class));
        deadLetters = driver.createOutputTopic(topics.deadLetters(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        thumbnails = driver.createOutputTopic(topics.thumbnails(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    static byte[] png(int width, int height) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(java.awt.Color.RED);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static java.awt.image.BufferedImage decodeJpeg(byte[] bytes) throws Exception {
        assertTrue(bytes.length > 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8, "JPEG magic bytes");
        return javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    }

    @Test
    void anImageSentAsBytesGetsAJpegThumbnailThatFitsAndKeepsItsAspect() throws Exception {
        images.pipeInput("wide", imageEvent("wide", png(600, 300), null));
        images.pipeInput("tall", imageEvent("tall", png(120, 900), null));
        images.pipeInput("small", imageEvent("small", png(40, 30), null));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        Map<String, byte[]> out = new HashMap<>();
        thumbnails.readKeyValuesToList().forEach(kv -> out.put(kv.key, kv.value));
        assertEquals(java.util.Set.of("wide", "tall", "small"), out.keySet());
        java.awt.image.BufferedImage wide = decodeJpeg(out.get("wide"));
        assertEquals(256, wide.getWidth());
        assertEquals(128, wide.getHeight());
        java.awt.image.BufferedImage tall = decodeJpeg(out.get("tall"));
        assertEquals(256, tall.getHeight());
        assertEquals(34, tall.getWidth(), "120 x 900 scaled by 256/900, rounded");
        java.awt.image.BufferedImage small = decodeJpeg(out.get("small"));
        assertEquals(40, small.getWidth(), "an image that fits is not enlarged");
        assertEquals(30, small.getHeight());
        int centre = wide.getRGB(128, 64);
        assertTrue(((centre >> 16) & 0xFF) > 200 && ((centre >> 8) & 0xFF) < 60, "the red circle survives: " + Integer.toHexString(centre));
        assertEquals(3, imageVectors.readKeyValuesToList().size());
    }

    @Test
    void aDeletedOrUndecodableImageLeavesNoThumbnail() throws Exception {
        images.pipeInput("gone", imageEvent("gone", png(300, 300), null));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(thumbnails.readValue().length > 0);

        images.pipeInput("gone", (byte[]) null);
        images.pipeInput("broken", imageEvent("broken", Arrays.copyOf(png(300, 300), 80), null));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<TestRecord<String, byte[]>> out = thumbnails.readRecordsToList();
        assertEquals(1, out.size(), "the tombstone only; the broken image went to the dead-letter topic: " + out);
        assertEquals("gone", out.get(0).key());
        assertNull(out.get(0).value());
        assertEquals("broken", deadLetters.readRecord().key());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static byte[] imageEvent(String id, byte[] bytes, String url) {
        ImageEvent event = ImageEvent.newBuilder().setId(id).setBytes(bytes == null ? null : ByteBuffer.wrap(bytes)).setUrl(url)
                .setTenant("acme").setCategory("fruit").setMetadata(Map.of("sku", id)).build();
        return PlainAvro.serializer(ImageEvent.class).serialize("t", event);
    }

    static byte[] captionEvent(String id, String text) {
        return PlainAvro.serializer(CaptionEvent.class).serialize("t",
                CaptionEvent.newBuilder().setId(id).setText(text).setImageId("img-" + id).build());
    }

    static byte[] fixtureImage(int index) throws Exception {
        try (var files = Files.list(IMAGES)) {
            return Files.readAllBytes(files.sorted().toList().get(index));
        }
    }

    @Test
    void embedsImagesAndCaptionsWhenTheWallClockFlushes() throws Exception {
        images.pipeInput("img-1", imageEvent("img-1", fixtureImage(0), null));
        captions.pipeInput("cap-1", captionEvent("cap-1", "a red apple"));
        assertTrue(imageVectors.isEmpty(), "a record waits for its batch");

        driver.advanceWallClockTime(Duration.ofMillis(600));

        VectorRecord image = imageVectors.readValue();
        assertEquals("img-1", image.getId());
        assertEquals(Modality.IMAGE, image.getModality());
        assertEquals("fixture-tiny", image.getModelId());
        assertEquals(32, image.getDimension());
        assertEquals("acme", image.getTenant());
        assertEquals(Map.of("sku", "img-1"), image.getMetadata());
        double norm = image.getVector().stream().mapToDouble(v -> v * v).sum();
        assertEquals(1.0, norm, 1e-4);
        float[] direct = model.image().embed(List.of(fixtureImage(0))).get(0);
        assertArrayEquals(direct, VectorRecords.toArray(image.getVector()), 1e-6f);

        VectorRecord caption = textVectors.readValue();
        assertEquals("cap-1", caption.getId());
        assertEquals(Modality.TEXT, caption.getModality());
        assertEquals("a red apple", caption.getText());
        assertEquals("img-cap-1", caption.getImageId());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aFullBatchFlushesWithoutWaiting() throws Exception {
        for (int i = 0; i < 4; i++) {
            images.pipeInput("img-" + i, imageEvent("img-" + i, fixtureImage(i), null));
        }
        assertEquals(4, imageVectors.readKeyValuesToList().size());
    }

    @Test
    void tombstonesPassThroughAndCancelABufferedVersion() throws Exception {
        images.pipeInput("img-1", imageEvent("img-1", fixtureImage(0), null));
        images.pipeInput("img-1", (byte[]) null);
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        List<TestRecord<String, VectorRecord>> out = imageVectors.readRecordsToList();
        assertEquals(1, out.size(), "only the tombstone: the buffered version was cancelled");
        assertEquals("img-1", out.get(0).key());
        assertNull(out.get(0).value());
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirBytesAndGoodOnesAreIndexed() throws Exception {
        byte[] notAvro = "{\"id\": \"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] truncated = Arrays.copyOf(fixtureImage(4), 60);
        Map<String, byte[]> bad = new HashMap<>();
        bad.put("not-avro", notAvro);
        bad.put("no-image", imageEvent("no-image", null, null));
        bad.put("corrupt", imageEvent("corrupt", truncated, null));
        bad.put("pdf", imageEvent("pdf", "%PDF-1.4\n%...".getBytes(StandardCharsets.US_ASCII), null));
        bad.put("unreachable", imageEvent("unreachable", null, "http://127.0.0.1:9/cat.png"));
        bad.put("ftp", imageEvent("ftp", null, "ftp://example.org/cat.png"));
        bad.forEach(images::pipeInput);
        images.pipeInput("good-1", imageEvent("good-1", fixtureImage(1), null));
        images.pipeInput("good-2", imageEvent("good-2", fixtureImage(2), null));
        captions.pipeInput("empty", captionEvent("empty", "   "));
        captions.pipeInput("cap-ok", captionEvent("cap-ok", "a cat"));
        captions.pipeInput("garbage", new byte[]{1, 2, 3});
        images.pipeInput((String) null, imageEvent("x", fixtureImage(1), null));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        assertEquals(List.of("good-1", "good-2"),
                imageVectors.readKeyValuesToList().stream().map(kv -> kv.key).sorted().toList());
        assertEquals(List.of("cap-ok"), textVectors.readKeyValuesToList().stream().map(kv -> kv.key).toList());

        Map<String, TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList().stream()
                .collect(Collectors.toMap(r -> r.key() == null ? "<null>" : r.key(), r -> r));
        assertEquals(bad.size() + 3, letters.size(), letters.keySet().toString());
        bad.forEach((key, value) -> assertArrayEquals(value, letters.get(key).value(), "original bytes of " + key));
        assertEquals("NO_IMAGE", header(letters.get("no-image"), "clipstream.dlq.reason.code"));
        assertEquals("CORRUPT_IMAGE", header(letters.get("corrupt"), "clipstream.dlq.reason.code"));
        assertEquals("UNSUPPORTED_FORMAT", header(letters.get("pdf"), "clipstream.dlq.reason.code"));
        assertEquals("FETCH_FAILED", header(letters.get("unreachable"), "clipstream.dlq.reason.code"));
        assertEquals("FETCH_REFUSED", header(letters.get("ftp"), "clipstream.dlq.reason.code"));
        assertEquals("EMPTY_TEXT", header(letters.get("empty"), "clipstream.dlq.reason.code"));
        assertEquals("INVALID_RECORD", header(letters.get("not-avro"), "clipstream.dlq.reason.code"));
        assertEquals("INVALID_RECORD", header(letters.get("garbage"), "clipstream.dlq.reason.code"));
        assertEquals("NO_KEY", header(letters.get("<null>"), "clipstream.dlq.reason.code"));
        assertEquals("media.images", header(letters.get("corrupt"), "clipstream.dlq.source.topic"));
        assertTrue(header(letters.get("unreachable"), "clipstream.dlq.reason").contains("unreachable"));
        assertTrue(header(letters.get("no-image"), "clipstream.dlq.reason").contains("neither bytes nor url"));
        for (TestRecord<String, byte[]> letter : letters.values()) {
            assertTrue(Long.parseLong(header(letter, "clipstream.dlq.source.offset")) >= 0);
        }
        double counted = driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-clipstream-metrics") && e.getKey().name().equals("dead-letters-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
        assertEquals(letters.size(), counted, 0.0, "every dead letter is counted in the dead-letters metric");
    }

    @Test
    void imagesByUrlAreFetchedAndANonImageUrlIsDeadLettered() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] png = fixtureImage(0);
        server.createContext("/cat.png", exchange -> {
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        server.createContext("/page.html", exchange -> {
            byte[] html = "<html><body>not an image</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", "/cat.png");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            images.pipeInput("by-url", imageEvent("by-url", null, base + "/cat.png"));
            images.pipeInput("redirected", imageEvent("redirected", null, base + "/moved"));
            images.pipeInput("html", imageEvent("html", null, base + "/page.html"));
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            Map<String, VectorRecord> vectors = new HashMap<>();
            imageVectors.readKeyValuesToList().forEach(kv -> vectors.put(kv.key, kv.value));
            assertEquals(java.util.Set.of("by-url", "redirected"), vectors.keySet());
            assertEquals(base + "/cat.png", vectors.get("by-url").getImageUrl());
            Map<String, byte[]> thumbs = new HashMap<>();
            thumbnails.readKeyValuesToList().forEach(kv -> thumbs.put(kv.key, kv.value));
            assertEquals(java.util.Set.of("by-url", "redirected"), thumbs.keySet(),
                    "an image by URL clears any thumbnail an earlier version by bytes left");
            assertNull(thumbs.get("by-url"));
            TestRecord<String, byte[]> letter = deadLetters.readRecord();
            assertEquals("html", letter.key());
            assertEquals("UNSUPPORTED_FORMAT", header(letter, "clipstream.dlq.reason.code"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRegistryOutageFailsTheTaskInsteadOfDeadLetteringGoodRecords() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "embedder-outage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/embedder-outage-test");
        org.apache.kafka.common.serialization.Deserializer<ImageEvent> down = (topic, data) -> {
            throw RegistryOutageTest.outage();
        };
        try (TopologyTestDriver outage = new TopologyTestDriver(EmbedderTopology.build(Topics.DEFAULT,
                new BatchSettings(1, Duration.ofMillis(500)), model, down, PlainAvro.deserializer(CaptionEvent.class),
                PlainAvro.serializer(VectorRecord.class), new ImageFetcher(FetchLimits.DEFAULT)), props)) {
            TestInputTopic<String, byte[]> in = outage.createInputTopic(Topics.DEFAULT.images(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> letters = outage.createOutputTopic(Topics.DEFAULT.deadLetters(),
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
            RuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> in.pipeInput("good", imageEvent("good", fixtureImage(0), null)));
            assertTrue(io.clipstream.serde.RegistryFailures.isTransient(failure), failure.toString());
            assertTrue(letters.isEmpty(), "a good record must not be dead-lettered because the registry is down");
        }
    }

    static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
