package dev.mlops.common.text;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A {@code user:password@} part of a URL is never printed, stored or logged: it is refused where URLs come in
 * (dataset URIs in specs, redirects in ingest) and hidden wherever a URL is shown.
 */
public final class UrlCredentials {

    /** scheme://userinfo@ — the authority ends at the first '/', '?' or '#'; the userinfo at its last '@'. */
    private static final Pattern USER_INFO = Pattern.compile("^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)[^/?#]*@");

    private UrlCredentials() {
    }

    /** The URL with any userinfo replaced by ***, e.g. {@code https://***@host/path}; for text that may not parse. */
    public static String hidden(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceFirst("$1***@");
    }

    /** As {@link #hidden(String)}, for a parsed URL. */
    public static String hidden(URI url) {
        return hidden(url.toString());
    }

    /** True when the URL's authority carries credentials (anything before an '@'). */
    public static boolean present(URI url) {
        String authority = url.getRawAuthority();
        return authority != null && authority.contains("@");
    }

    /** Why a URL with credentials is refused, naming it as {@code shownUrl} (already hidden). */
    public static String refusal(String shownUrl) {
        return "credentials in dataset URLs are not supported: " + shownUrl + " (user:password@ is never used nor"
                + " stored: serve the dataset without them, or put it in the artifact bucket as an s3:// dataset)";
    }
}
