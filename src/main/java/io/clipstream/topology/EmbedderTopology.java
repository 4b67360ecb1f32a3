package io.clipstream.topology;

import io.clipstream.encoders.ClipModel;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageAnnotation;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.VectorRecord;
import io.clipstream.tagging.ZeroShotTagger;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The embedder application: {@code media.images} and {@code media.captions} in, vector records on
 * {@code vectors.image} and {@code vectors.text} out, a JPEG thumbnail of each image sent as bytes
 * on {@code media.thumbnails}, anything that cannot be processed on the dead-letter topic; with a
 * tagger, image records carry their zero-shot labels and each labelled image is also written to
 * the annotations topic. Values are read as bytes and deserialised inside the processors, so that a
 * record that is not even Avro still reaches the dead-letter topic with its original bytes.
 */
public final class EmbedderTopology {

    public static final String IMAGE_BUFFER = "embedder-image-buffer";
    public static final String CAPTION_BUFFER = "embedder-caption-buffer";

    private EmbedderTopology() {
    }

    public static Topology build(Topics topics, BatchSettings batch, ClipModel model, Deserializer<ImageEvent> imageEvents,
                                 Deserializer<CaptionEvent> captionEvents, Serializer<VectorRecord> vectors,
                                 ImageFetcher fetcher) {
        return build(topics, batch, model, imageEvents, captionEvents, vectors, fetcher, null, null, null);
    }

    /** Everything on the stream thread, one record after another, as the embedder once ran; tests compare against it. */
    static EmbedderRuntime serial(ClipModel model) {
        return EmbedderRuntime.serial(model, new StageTimes());
    }

    /** @param watchlists the watchlist wiring; null to embed without scoring images against watchlists */
    public static Topology build(Topics topics, BatchSettings batch, ClipModel model, Deserializer<ImageEvent> imageEvents,
                                 Deserializer<CaptionEvent> captionEvents, Serializer<VectorRecord> vectors,
                                 ImageFetcher fetcher, EmbedderWatchlists watchlists) {
        return build(topics, batch, model, imageEvents, captionEvents, vectors, fetcher, null, null, watchlists);
    }

    /**
     * @param tagger      zero-shot labels for every embedded image, or null for none (tagging off)
     * @param annotations serialiser of the {@code annotations} topic; used only with a tagger
     * @param watchlists  the watchlist wiring; null to embed without scoring images against watchlists
     */
    public static Topology build(Topics topics, BatchSettings batch, ClipModel model, Deserializer<ImageEvent> imageEvents,
                                 Deserializer<CaptionEvent> captionEvents, Serializer<VectorRecord> vectors,
                                 ImageFetcher fetcher, ZeroShotTagger tagger, Serializer<ImageAnnotation> annotations,
                                 EmbedderWatchlists watchlists) {
        return build(topics, batch, model, imageEvents, captionEvents, vectors, fetcher, tagger, annotations, watchlists,
                serial(model));
    }

    /**
     * @param runtime where preparation and model calls run: {@link EmbedderRuntime#parallel} in the service, shared by
     *                every task; the caller closes it after the application
     */
    public static Topology build(Topics topics, BatchSettings batch, ClipModel model, Deserializer<ImageEvent> imageEvents,
                                 Deserializer<CaptionEvent> captionEvents, Serializer<VectorRecord> vectors,
                                 ImageFetcher fetcher, ZeroShotTagger tagger, Serializer<ImageAnnotation> annotations,
                                 EmbedderWatchlists watchlists, EmbedderRuntime runtime) {
        Topology topology = new Topology();
        topology.addSource("images", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.images());
        topology.addSource("captions", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.captions());

        topology.addProcessor("embed-images", () -> new ImageEmbedProcessor(IMAGE_BUFFER, batch, "image-vectors",
                "dead-letters", "thumbnails", model, imageEvents, fetcher, topics.images(),
                tagger == null ? null : new ImageTagging(tagger, "annotations"),
                watchlists == null ? null : watchlists.scorer(model.id()), runtime), "images");
        topology.addProcessor("embed-captions", () -> new CaptionEmbedProcessor(CAPTION_BUFFER, batch, "text-vectors",
                "dead-letters", model, captionEvents, topics.captions(), runtime), "captions");

        // Changelogged and uncached: a buffered record must reach the changelog in the same
        // transaction as the consumed offset, or a crash between them would lose it.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IMAGE_BUFFER),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), "embed-images");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CAPTION_BUFFER),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), "embed-captions");

        topology.addSink("image-vectors", topics.imageVectors(), Serdes.String().serializer(), vectors, "embed-images");
        topology.addSink("text-vectors", topics.textVectors(), Serdes.String().serializer(), vectors, "embed-captions");
        // Raw JPEG bytes keyed by item id; a null value (URL image, deleted image) removes the thumbnail.
        topology.addSink("thumbnails", topics.thumbnails(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "embed-images");
        topology.addSink("dead-letters", topics.deadLetters(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "embed-images", "embed-captions");
        if (tagger != null) {
            topology.addSink("annotations", topics.annotations(), Serdes.String().serializer(), annotations, "embed-images");
        }
        if (watchlists != null) {
            watchlists.addTo(topology, topics, model, "embed-images");
        }
        return topology;
    }
}
