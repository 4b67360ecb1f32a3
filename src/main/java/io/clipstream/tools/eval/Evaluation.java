package io.clipstream.tools.eval;

import io.clipstream.common.ProgressBar;
import io.clipstream.common.ProgressBars;
import io.clipstream.encoders.ClipModel;
import io.clipstream.common.EncodingException;
import io.clipstream.encoders.TextEmbedding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code clipstream evaluate}: embeds the gallery and the texts through the model's own
 * encoders, ranks through {@link RetrievalEvaluator} and reports beside the random baseline.
 *
 * @param progress where progress bars go (stderr); null for none
 */
public record Evaluation(ClipModel model, SvgRasterizer svg, int batchSize, ProgressBars progress) {

    public static final String TEXT_TO_IMAGE = "text_to_image";
    public static final String IMAGE_TO_TEXT = "image_to_text";
    public static final String QUERIES = "queries";

    public Evaluation {
        progress = progress == null ? ProgressBars.NONE : progress;
    }

    public EvaluationReport run(List<GalleryImage> gallery, List<TextQuery> captions, List<TextQuery> queries) throws IOException {
        if (gallery.isEmpty()) {
            throw new IllegalArgumentException("the gallery has no images (png, jpg, jpeg, gif, bmp, webp or svg)");
        }
        Map<String, float[]> images = embedImages(gallery);
        RetrievalEvaluator evaluator = new RetrievalEvaluator(model.dimension());
        Map<String, RankMetrics> measured = new LinkedHashMap<>();
        Map<String, RankMetrics> random = new LinkedHashMap<>();
        if (!captions.isEmpty()) {
            List<float[]> captionVectors = embedTexts(captions, "captions");
            measured.put(TEXT_TO_IMAGE, RankMetrics.fromRanks(evaluator.textToImage(images, captions, captionVectors)));
            random.put(TEXT_TO_IMAGE, RandomBaseline.expected(captions.stream().map(c -> c.relevantIds().size()).toList(),
                    images.size()));
            measured.put(IMAGE_TO_TEXT, RankMetrics.fromRanks(evaluator.imageToText(images, captions, captionVectors)));
            random.put(IMAGE_TO_TEXT, RandomBaseline.expected(textsPerImage(images, captions), captions.size()));
        }
        if (!queries.isEmpty()) {
            List<float[]> queryVectors = embedTexts(queries, "queries");
            measured.put(QUERIES, RankMetrics.fromRanks(evaluator.textToImage(images, queries, queryVectors)));
            random.put(QUERIES, RandomBaseline.expected(queries.stream().map(q -> q.relevantIds().size()).toList(),
                    images.size()));
        }
        return new EvaluationReport(model.id(), model.dimension(), images.size(), captions.size(), queries.size(),
                measured, random);
    }

    private static List<Integer> textsPerImage(Map<String, float[]> images, List<TextQuery> texts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        texts.forEach(t -> t.relevantIds().forEach(id -> counts.merge(id, 1, Integer::sum)));
        return RetrievalEvaluator.imagesWithTexts(images, texts).stream().map(counts::get).toList();
    }

    /** Every gallery image's vector, by id, in gallery order. */
    Map<String, float[]> embedImages(List<GalleryImage> gallery) throws IOException {
        long svgFiles = Gallery.svgCount(gallery);
        if (svgFiles > 0) {
            svg.requireInstalled(svgFiles);
        }
        Map<String, float[]> vectors = new LinkedHashMap<>();
        ProgressBar bar = progress.start("images", gallery.size(), "images");
        for (int start = 0; start < gallery.size(); start += batchSize) {
            List<GalleryImage> batch = gallery.subList(start, Math.min(gallery.size(), start + batchSize));
            List<byte[]> bytes = new ArrayList<>(batch.size());
            for (GalleryImage image : batch) {
                bytes.add(Gallery.isSvg(image.file()) ? svg.render(image.file())
                        : Files.readAllBytes(image.file()));
            }
            List<float[]> embedded;
            try {
                embedded = model.image().embed(bytes);
            } catch (EncodingException e) {
                throw new IllegalArgumentException("cannot embed an image of " + describe(batch) + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < batch.size(); i++) {
                vectors.put(batch.get(i).id(), embedded.get(i));
            }
            bar.advance(batch.size());
        }
        bar.finish();
        return vectors;
    }

    private List<float[]> embedTexts(List<TextQuery> texts, String label) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        ProgressBar bar = progress.start(label, texts.size(), "texts");
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<TextQuery> batch = texts.subList(start, Math.min(texts.size(), start + batchSize));
            try {
                for (TextEmbedding embedding : model.text().embed(batch.stream().map(TextQuery::text).toList())) {
                    vectors.add(embedding.vector());
                }
            } catch (EncodingException e) {
                throw new IllegalArgumentException("cannot embed a text of " + batch.get(0).source() + " to "
                        + batch.get(batch.size() - 1).source() + ": " + e.getMessage(), e);
            }
            bar.advance(batch.size());
        }
        bar.finish();
        return vectors;
    }

    private static String describe(List<GalleryImage> batch) {
        return batch.size() == 1 ? batch.get(0).file().toString()
                : batch.get(0).file() + " .. " + batch.get(batch.size() - 1).file();
    }
}
