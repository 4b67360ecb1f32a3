package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a manifest path of the form {@code classpath:/path/in/jar} into a file. ONNX Runtime and
 * the tokenizer bindings read files, so a model file shipped inside a jar (the default model's
 * text tower comes from a Maven Central artifact) is copied once into
 * {@code <cacheRoot>/<key>/<file name>}, where the key is a hash of the resource's URL and size:
 * a new version of the jar gets a new key, a second start reuses the copy.
 */
public final class ClasspathModelFiles {

    public static final String PREFIX = "classpath:";

    private final Path cacheRoot;
    private final ClassLoader loader;

    /**
     * @param cacheRoot where extracted files are kept; created when missing
     * @param loader    where resources are looked up
     */
    public ClasspathModelFiles(Path cacheRoot, ClassLoader loader) {
        this.cacheRoot = cacheRoot;
        this.loader = loader;
    }

    public static boolean isClasspath(String manifestPath) {
        return manifestPath.startsWith(PREFIX);
    }

    /** The file holding the resource's bytes, extracting it on first use. */
    public Path resolve(String manifestPath, Path referencedBy) {
        String name = manifestPath.substring(PREFIX.length());
        String resource = name.startsWith("/") ? name.substring(1) : name;
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new ModelLoadException(referencedBy + " names '" + manifestPath + "', which is not on the class path; "
                    + "run clipstream from its jar (or with the Maven dependency that ships it), or point the manifest at a file");
        }
        try {
            URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            String fileName = resource.substring(resource.lastIndexOf('/') + 1);
            Path target = cacheRoot.resolve(key(url + "#" + size)).resolve(fileName);
            if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
                return target;
            }
            Files.createDirectories(target.getParent());
            // Copy to a private name and move into place, so a concurrent or interrupted start never
            // sees half a model.
            Path partial = Files.createTempFile(target.getParent(), fileName, ".partial");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return target;
        } catch (IOException e) {
            throw new ModelLoadException("cannot extract " + manifestPath + " (named by " + referencedBy + ") into " + cacheRoot
                    + ": " + e.getMessage() + "; make that folder writable or set another model cache", e);
        }
    }

    private static String key(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
