package io.clipstream.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. The fetcher resolves once through this, checks every address,
 * and connects to the checked one, so a second lookup (DNS rebinding) never decides where it goes.
 * Tests inject a fake to make names resolve to loopback or private addresses.
 */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
