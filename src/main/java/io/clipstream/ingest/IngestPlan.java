package io.clipstream.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one ingest sends: the images of a folder scan and the captions of the captions file, each
 * caption tied to its image, plus everything left out and why.
 */
public record IngestPlan(List<ImageFile> images, List<Caption> captions, List<SkippedInput> skipped) {

    /**
     * A caption to send. Its id is {@code <imageId>#<n>}, n counting the image's captions from 1 in
     * file order, so that ingesting the same files again replaces rather than duplicates.
     */
    public record Caption(String id, String imageId, String text, int line) {
    }

    public IngestPlan {
        images = List.copyOf(images);
        captions = List.copyOf(captions);
        skipped = List.copyOf(skipped);
    }

    public int items() {
        return images.size() + captions.size();
    }

    /**
     * Ties each caption line to an image of the scan. A line naming a file the scan skipped is
     * skipped too (its image is not sent, so the caption would describe nothing); a line naming
     * nothing under the folder is an error, since it is most likely a typo.
     */
    public static IngestPlan of(ImageFolder.Scan scan, List<CaptionsFile.Line> lines, String captionsSource) {
        Map<String, String> idByName = new HashMap<>();
        for (ImageFile image : scan.images()) {
            idByName.put(image.relative(), image.id());
            idByName.putIfAbsent(image.id(), image.id());
        }
        Map<String, String> skippedByName = new HashMap<>();
        for (SkippedInput skipped : scan.skipped()) {
            skippedByName.put(skipped.what(), skipped.reason());
            skippedByName.putIfAbsent(ImageFolder.idOf(skipped.what()), skipped.reason());
        }
        List<Caption> captions = new ArrayList<>();
        List<SkippedInput> skipped = new ArrayList<>(scan.skipped());
        List<String> errors = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (CaptionsFile.Line line : lines) {
            String image = line.image().replace('\\', '/');
            String id = idByName.get(image);
            if (id != null) {
                int n = counts.merge(id, 1, Integer::sum);
                captions.add(new Caption(id + "#" + n, id, line.text(), line.number()));
            } else if (skippedByName.containsKey(image)) {
                skipped.add(new SkippedInput("captions line " + line.number(), "its image " + image + " is skipped"));
            } else {
                errors.add("line " + line.number() + ": no image '" + image + "' under " + scan.root()
                        + " (give the file's path relative to the folder, or its id: the path without extension)");
            }
        }
        CaptionsFile.requireNone(errors, captionsSource);
        return new IngestPlan(scan.images(), captions, skipped);
    }
}
