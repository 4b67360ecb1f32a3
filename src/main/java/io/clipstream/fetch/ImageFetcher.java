package io.clipstream.fetch;

import io.clipstream.encoders.image.ImageFormat;
import io.clipstream.topology.InvalidEventException;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * Fetches an image named by URL under {@link FetchLimits} and a {@link UrlPolicy}: every hop,
 * redirects included, is checked by the policy and fetched from exactly the address checked; the
 * body is read only up to the byte limit; a declared Content-Type other than image/* or
 * application/octet-stream, or bytes that start like no image format we decode, are refused.
 */
public final class ImageFetcher {

    private final FetchLimits limits;
    private final UrlPolicy policy;
    private final PinnedHttpGet http;

    public ImageFetcher(FetchLimits limits, UrlPolicy policy) {
        this(limits, policy, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** @param tls how https connections are made (tests trust their own certificate) */
    ImageFetcher(FetchLimits limits, UrlPolicy policy, SSLSocketFactory tls) {
        this.limits = limits;
        this.policy = policy;
        this.http = new PinnedHttpGet(limits, tls);
    }

    /** A fetcher with the default policy: public addresses only. */
    public ImageFetcher(FetchLimits limits) {
        this(limits, new UrlPolicy(UrlPolicySettings.STRICT));
    }

    /**
     * The body of {@code url}; throws {@link InvalidEventException} naming the item: code
     * FETCH_REFUSED for a URL the policy refuses, UNSUPPORTED_FORMAT for a body that is not an
     * image, FETCH_FAILED for everything else.
     */
    public byte[] fetch(String url, String itemId) {
        URI uri = parse(url, itemId);
        for (int hop = 0; hop <= limits.maxRedirects(); hop++) {
            FetchTarget target = check(uri, itemId);
            PinnedHttpGet.Response response;
            try {
                response = http.get(target);
            } catch (IOException e) {
                throw failed(itemId, uri.toString(), "cannot fetch (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
            int status = response.status();
            if (status >= 300 && status < 400) {
                String location = response.header("location").orElse(null);
                if (location == null) {
                    throw failed(itemId, url, "redirect " + status + " without a Location header");
                }
                try {
                    uri = parse(uri.resolve(location.trim()).toString(), itemId);
                } catch (IllegalArgumentException e) {
                    throw failed(itemId, url, "redirect to an invalid URL '" + location + "'");
                }
                continue;
            }
            if (status != 200) {
                throw failed(itemId, url, "HTTP status " + status);
            }
            if (response.truncated()) {
                throw failed(itemId, url, "the image is over the limit of " + limits.maxBytes() + " bytes (fetch.max.bytes)");
            }
            return checkedImage(response, itemId, url);
        }
        throw failed(itemId, url, "more than " + limits.maxRedirects() + " redirects (fetch.max.redirects)");
    }

    private FetchTarget check(URI uri, String itemId) {
        try {
            return policy.check(uri);
        } catch (UrlRefusedException e) {
            throw new InvalidEventException("FETCH_REFUSED", itemId + ": " + e.getMessage());
        }
    }

    private static byte[] checkedImage(PinnedHttpGet.Response response, String itemId, String url) {
        String type = response.header("content-type").map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        // An absent type is left to the magic-byte check below: many plain file servers send none.
        if (!type.isEmpty() && !type.startsWith("image/") && !type.equals("application/octet-stream")) {
            throw new InvalidEventException("UNSUPPORTED_FORMAT", itemId + ": image URL " + url + " returned Content-Type '"
                    + type + "', not an image; point the URL at the image itself (image/* or application/octet-stream)");
        }
        byte[] body = response.body();
        if (ImageFormat.sniff(body).isEmpty()) {
            throw new InvalidEventException("UNSUPPORTED_FORMAT", itemId + ": image URL " + url + " returned "
                    + ImageFormat.describeUnsupported(body) + ", not an image in " + ImageFormat.SUPPORTED);
        }
        return body;
    }

    private static URI parse(String url, String itemId) {
        try {
            return URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw failed(itemId, url, "not a valid URL");
        }
    }

    private static InvalidEventException failed(String itemId, String url, String problem) {
        return new InvalidEventException("FETCH_FAILED", itemId + ": image URL " + url + ": " + problem);
    }
}
