package dev.mlops.ingest.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile DNS server for one name: the first lookup answers {@code first}, every later one {@code then} (as a
 * rebinding attacker answers a public address to the check and an internal one to the connect). Other names,
 * address literals included, resolve as usual.
 */
final class RebindingResolver implements HostResolver {

    private final String name;
    private final InetAddress first;
    private final InetAddress then;
    private final AtomicInteger lookups = new AtomicInteger();

    RebindingResolver(String name, String first, String then) throws UnknownHostException {
        this.name = name;
        this.first = InetAddress.getByName(first);
        this.then = InetAddress.getByName(then);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        if (!host.equalsIgnoreCase(name)) {
            return SYSTEM.resolve(host);
        }
        return List.of(lookups.getAndIncrement() == 0 ? first : then);
    }

    int lookups() {
        return lookups.get();
    }
}
