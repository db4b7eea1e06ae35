package dev.mlops.ingest.service;

import dev.mlops.common.text.UrlCredentials;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.ingest.config.IngestConfig;
import dev.mlops.runtime.config.S3Config;
import dev.mlops.runtime.stage.StageFailure;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which dataset URIs ingest may read: http(s) only to public addresses (unless configured otherwise), file: only
 * under the file roots (see {@link FileRoots}), s3 only from the allowed buckets, nothing else. A refused URI fails
 * the stage at once with a {@link StageFailure} that says why and which setting would allow it. URIs with
 * {@code user:password@} are refused whatever the scheme, and shown with the credentials hidden ({@link DatasetUrls}).
 */
@Startup
@ApplicationScoped
public class DatasetUrlPolicy {

    static final List<String> SCHEMES = List.of("http", "https", "file", "s3");
    private static final AddressRange UNIQUE_LOCAL = AddressRange.parse("fc00::/7");

    private final boolean allowPrivateAddresses;
    private final List<AddressRange> allowedPrivateNetworks;
    private final Set<String> s3Buckets;
    private final FileRoots fileRoots;
    private final HostResolver resolver;

    /** Reads only configuration: checked at start-up, without building the S3 client (which would slow the start). */
    @Inject
    public DatasetUrlPolicy(IngestConfig config, S3Config s3) {
        this(config, s3.bucket(), HostResolver.SYSTEM);
    }

    /** @param artifactBucket the bucket s3 datasets may come from when {@code mlops.ingest.s3-buckets} is not set */
    DatasetUrlPolicy(IngestConfig config, String artifactBucket, HostResolver resolver) {
        this.resolver = resolver;
        this.allowPrivateAddresses = config.allowPrivateAddresses();
        this.allowedPrivateNetworks = config.allowedPrivateNetworks().orElse(List.of()).stream()
                .map(AddressRange::parse).toList();
        this.s3Buckets = Set.copyOf(config.s3Buckets().orElseGet(() -> List.of(artifactBucket)));
        this.fileRoots = new FileRoots(config.fileRoots().orElse(List.of()));
    }

    /** The URI's scheme, lower case, if it is one ingest reads at all and the URI carries no credentials. */
    public String scheme(URI uri) {
        DatasetUrls.refuseCredentials(uri, UrlCredentials.hidden(uri));
        if (uri.getScheme() == null) {
            throw new StageFailure("dataset URI '" + uri + "' has no scheme: use one of " + SCHEMES);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new StageFailure("dataset URI scheme '" + scheme + "' is not allowed (" + uri + "): use one of "
                    + SCHEMES);
        }
        return scheme;
    }

    /**
     * Checks one http(s) request target (the dataset URL or a redirect): its scheme, that it has no credentials,
     * then every address its host resolves to, and returns those addresses: the request must connect to them and
     * to no other (see {@link HttpDatasetDownload}). {@code described} names the target in messages, credentials
     * hidden, e.g. "http://a/x (redirected to http://b/y)".
     */
    public List<InetAddress> checkHttp(URI target, String described) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new StageFailure("dataset URL " + described + " refused: " + UrlCredentials.hidden(target)
                    + " is not an http(s) URL");
        }
        DatasetUrls.refuseCredentials(target, described);
        String host = target.getHost();
        if (host == null) {
            throw new StageFailure("dataset URL " + described + " has no valid host name");
        }
        List<InetAddress> addresses;
        try {
            addresses = List.copyOf(resolver.resolve(host));
        } catch (UnknownHostException e) {
            throw new StageFailure("dataset URL " + described + ": host '" + host + "' is unknown");
        }
        if (addresses.isEmpty()) {
            throw new StageFailure("dataset URL " + described + ": host '" + host + "' has no address");
        }
        if (allowPrivateAddresses) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (!isAllowed(address)) {
                boolean literal = host.startsWith("[") || host.matches("[0-9.]+");
                String which = literal ? host + " is " + kind(address) + " address"
                        : host + " resolves to " + kind(address) + " address " + address.getHostAddress();
                throw new StageFailure("dataset URL " + described + " refused: " + which + "; only public addresses"
                        + " are allowed unless mlops.ingest.allow-private-addresses=true"
                        + " (MLOPS_INGEST_ALLOW_PRIVATE_ADDRESSES) or the network is listed in"
                        + " mlops.ingest.allowed-private-networks");
            }
        }
        return addresses;
    }

    /** The real path of a file: dataset, checked to lie under a file root. */
    public Path checkFile(URI uri) {
        return fileRoots.check(uri);
    }

    /** The object of an s3 dataset, checked to be in an allowed bucket with a key that has no '.' or '..' segments. */
    public ArtifactUri checkS3(URI uri) {
        ArtifactUri object;
        try {
            object = ArtifactUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new StageFailure("dataset URI " + uri + " is not an s3://bucket/key URI");
        }
        if (!s3Buckets.contains(object.bucket())) {
            throw new StageFailure("dataset " + uri + " refused: bucket '" + object.bucket() + "' is not one ingest"
                    + " reads from " + s3Buckets + " (mlops.ingest.s3-buckets)");
        }
        for (String segment : object.key().split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
                throw new StageFailure("dataset " + uri + " refused: its key must not contain empty, '.' or '..'"
                        + " segments or backslashes");
            }
        }
        return object;
    }

    private boolean isAllowed(InetAddress address) {
        return PublicAddresses.isPublic(address) || allowedPrivateNetworks.stream().anyMatch(n -> n.contains(address));
    }

    private static String kind(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback";
        }
        if (address.isLinkLocalAddress()) {
            return address.getHostAddress().equals("169.254.169.254") ? "the cloud metadata (link-local)"
                    : "a link-local";
        }
        if (address.isSiteLocalAddress() || UNIQUE_LOCAL.contains(address)) {
            return "a private";
        }
        return "a non-public";
    }
}
