package dev.mlops.ingest.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Looks up a dataset server's addresses, once per request: the addresses checked by the {@link DatasetUrlPolicy}
 * are the ones connected to. Tests replace it to answer as a rebinding DNS server would.
 */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
