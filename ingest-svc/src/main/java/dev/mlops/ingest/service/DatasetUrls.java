package dev.mlops.ingest.service;

import dev.mlops.common.text.UrlCredentials;
import dev.mlops.runtime.stage.StageFailure;

import java.net.URI;

/**
 * Credentials in a dataset URL are refused rather than used (a password in a URL ends up in run specs, events and
 * shell histories); the spec check refuses them too, this catches redirects.
 */
public final class DatasetUrls {

    private DatasetUrls() {
    }

    /** Fails the stage if the URL carries credentials (anything before an '@' in its authority). */
    public static void refuseCredentials(URI url, String described) {
        if (UrlCredentials.present(url)) {
            throw new StageFailure(UrlCredentials.refusal(described));
        }
    }
}
