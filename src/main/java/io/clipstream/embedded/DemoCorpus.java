package io.clipstream.embedded;

import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The demo corpus bundled in the jar ({@code demo/corpus/index.tsv} and its images), published
 * through the real topics like any producer would: one image event and one caption event per item.
 */
public final class DemoCorpus {

    private static final String ROOT = "/demo/corpus/";

    /** One demo item: an image and the caption that describes it. */
    public record Item(String id, String imageResource, String category, String caption) {
    }

    private DemoCorpus() {
    }

    public static List<Item> items() {
        List<Item> items = new ArrayList<>();
        try (InputStream index = resource("index.tsv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", 4);
                items.add(new Item(fields[0], fields[1], fields[2], fields[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled demo corpus", e);
        }
        return items;
    }

    public static byte[] image(Item item) {
        try (InputStream in = resource(item.imageResource())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo image " + item.imageResource(), e);
        }
    }

    /**
     * Publishes every item: the image under its id, the caption under "caption-" + id. Every send is checked once the
     * producers are flushed: a record the broker did not take fails the call, naming it, instead of being lost.
     */
    public static int publish(Producer<String, ImageEvent> images, Producer<String, CaptionEvent> captions,
                              String imageTopic, String captionTopic) {
        List<Item> items = items();
        Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        for (Item item : items) {
            sent.put(imageTopic + "/" + item.id(), images.send(new ProducerRecord<>(imageTopic, item.id(), ImageEvent.newBuilder()
                    .setId(item.id())
                    .setBytes(ByteBuffer.wrap(image(item)))
                    .setContentType("image/png")
                    .setCategory(item.category())
                    .setTenant("demo")
                    .setMetadata(Map.of("source", "demo"))
                    .build())));
            String captionId = "caption-" + item.id();
            sent.put(captionTopic + "/" + captionId, captions.send(new ProducerRecord<>(captionTopic, captionId,
                    CaptionEvent.newBuilder()
                            .setId(captionId)
                            .setText(item.caption())
                            .setImageId(item.id())
                            .setCategory(item.category())
                            .setTenant("demo")
                            .build())));
        }
        images.flush();
        captions.flush();
        List<String> failed = new ArrayList<>();
        Throwable firstCause = null;
        for (Map.Entry<String, Future<RecordMetadata>> send : sent.entrySet()) {
            try {
                send.getValue().get();
            } catch (ExecutionException e) {
                failed.add(send.getKey());
                firstCause = firstCause == null ? e.getCause() : firstCause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking the demo corpus sends", e);
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " of " + sent.size() + " demo records were not published ("
                    + String.join(", ", failed.subList(0, Math.min(5, failed.size()))) + (failed.size() > 5 ? ", ..." : "")
                    + "): " + firstCause + "; run load-demo again (it overwrites the same ids)", firstCause);
        }
        return items.size();
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DemoCorpus.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IOException("resource " + ROOT + name + " is missing from the jar");
        }
        return in;
    }
}
