package io.clipstream.fetch;

import java.net.InetAddress;
import java.net.URI;

/**
 * A URL that passed the {@link UrlPolicy}, with the address it was checked against. The fetcher
 * connects to exactly this address.
 *
 * @param uri     the URL as given (its host goes into the Host header and TLS SNI)
 * @param address the checked address to connect to
 * @param port    the port, defaulted from the scheme
 */
public record FetchTarget(URI uri, InetAddress address, int port) {

    public boolean https() {
        return uri.getScheme().equalsIgnoreCase("https");
    }
}
