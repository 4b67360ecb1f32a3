package io.clipstream.topology;

/** The topic names the applications read and write; each is a setting (topics.*). */
public record Topics(String images, String captions, String imageVectors, String textVectors, String deadLetters,
                     String searchRequests, String searchResponses) {

    public static final Topics DEFAULT = new Topics("media.images", "media.captions", "vectors.image", "vectors.text",
            "clipstream.dlq", "search.requests", "search.responses");
}
