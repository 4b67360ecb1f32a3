package io.clipstream.fetch;

import java.net.InetAddress;
import java.util.Locale;

/**
 * What a kept-alive connection can serve again: the same scheme, host name (Host header, TLS name)
 * and port, opened to the same checked address. A later request to that host reuses it only when
 * the policy's fresh check of the request lands on the same address.
 */
record ConnectionKey(String scheme, String host, int port, InetAddress address) {

    static ConnectionKey of(FetchTarget target) {
        return new ConnectionKey(target.uri().getScheme().toLowerCase(Locale.ROOT), target.uri().getHost().toLowerCase(Locale.ROOT),
                target.port(), target.address());
    }
}
