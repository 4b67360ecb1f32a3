package io.clipstream.fetch;

import io.clipstream.topology.InvalidEventException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * Fetches an image named by URL under {@link FetchLimits}: http and https only, redirects followed
 * by hand so each hop is checked, the body read only up to the byte limit.
 */
public final class ImageFetcher {

    private final FetchLimits limits;
    private final HttpClient client;

    public ImageFetcher(FetchLimits limits) {
        this.limits = limits;
        this.client = HttpClient.newBuilder()
                .connectTimeout(limits.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The body of {@code url}; throws {@link InvalidEventException} (code FETCH_FAILED) naming the item. */
    public byte[] fetch(String url, String itemId) {
        URI uri = parse(url, itemId);
        for (int hop = 0; hop <= limits.maxRedirects(); hop++) {
            HttpResponse<InputStream> response = send(uri, itemId);
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                String location = response.headers().firstValue("location").orElse(null);
                close(response);
                if (location == null) {
                    throw failed(itemId, url, "redirect " + status + " without a Location header");
                }
                uri = parse(uri.resolve(location).toString(), itemId);
                continue;
            }
            if (status != 200) {
                close(response);
                throw failed(itemId, url, "HTTP status " + status);
            }
            return readLimited(response, itemId, url);
        }
        throw failed(itemId, url, "more than " + limits.maxRedirects() + " redirects (fetch.max.redirects)");
    }

    private URI parse(String url, String itemId) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw failed(itemId, url, "not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw failed(itemId, url, "only http and https URLs are fetched");
        }
        if (uri.getHost() == null) {
            throw failed(itemId, url, "the URL has no host");
        }
        return uri;
    }

    private HttpResponse<InputStream> send(URI uri, String itemId) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(limits.timeout()).GET()
                .header("Accept", "image/*").header("User-Agent", "clipstream").build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failed(itemId, uri.toString(), "cannot fetch (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(itemId, uri.toString(), "interrupted while fetching");
        }
    }

    private byte[] readLimited(HttpResponse<InputStream> response, String itemId, String url) {
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > limits.maxBytes()) {
            close(response);
            throw failed(itemId, url, "the image is " + declared + " bytes, over the limit of " + limits.maxBytes()
                    + " (fetch.max.bytes)");
        }
        try (InputStream body = response.body()) {
            byte[] data = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
            if (data.length > limits.maxBytes()) {
                throw failed(itemId, url, "the image is over the limit of " + limits.maxBytes() + " bytes (fetch.max.bytes)");
            }
            return data;
        } catch (IOException e) {
            throw failed(itemId, url, "reading the body failed (" + e.getMessage() + ")");
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }

    private static InvalidEventException failed(String itemId, String url, String problem) {
        return new InvalidEventException("FETCH_FAILED", itemId + ": image URL " + url + ": " + problem);
    }
}
