package dev.mlops.ingest.service;

import dev.mlops.common.text.UrlCredentials;
import dev.mlops.runtime.stage.StageFailure;

import java.net.URI;

/**
 * Dataset URLs as ingest shows them: a {@code user:password@} part is never printed, stored or logged. Credentials
 * in a dataset URL are refused rather than used (a password in a URL ends up in run specs, events and shell
 * histories): {@link #refuseCredentials} fails the stage naming the URL with its credentials replaced by ***.
 */
public final class DatasetUrls {

    private DatasetUrls() {
    }

    /** The URL with any userinfo replaced by ***, e.g. {@code https://***@host/path}. */
    public static String shown(URI url) {
        return shown(url.toString());
    }

    /** As {@link #shown(URI)}, for text that may not even parse as a URI. */
    public static String shown(String url) {
        return UrlCredentials.hidden(url);
    }

    /** Fails the stage if the URL carries credentials (anything before an '@' in its authority). */
    public static void refuseCredentials(URI url, String described) {
        if (UrlCredentials.present(url)) {
            throw new StageFailure("credentials in dataset URLs are not supported: " + described
                    + " (user:password@ is never used nor stored: serve the dataset without them, or put it in a"
                    + " bucket ingest reads from, mlops.ingest.s3-buckets)");
        }
    }
}
