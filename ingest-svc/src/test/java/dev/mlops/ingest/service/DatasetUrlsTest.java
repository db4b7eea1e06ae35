package dev.mlops.ingest.service;

import dev.mlops.common.text.UrlCredentials;
import dev.mlops.runtime.stage.StageFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How dataset URLs with user:password@ are shown (never with the credentials) and that they are refused. */
class DatasetUrlsTest {

    @ParameterizedTest(name = "{0} is shown as {1}")
    @CsvSource(delimiter = '|', value = {
            "https://user:s3cret@example.com/data.csv|https://***@example.com/data.csv",
            "http://user:s3cret@example.com:8080/a?b=c#d|http://***@example.com:8080/a?b=c#d",
            "http://s3cret@example.com/|http://***@example.com/",
            "http://us@er:s3cret@example.com/x|http://***@example.com/x",
            "s3://key:s3cret@bucket/data.csv|s3://***@bucket/data.csv",
            "HTTPS://user:s3cret@bad_host/x|HTTPS://***@bad_host/x",
            "//user:s3cret@example.com/x|//***@example.com/x",
            "http://user:s3c ret@example.com/a b|http://***@example.com/a b",
            "https://example.com/@scope/data.csv|https://example.com/@scope/data.csv",
            "https://example.com/data.csv?owner=a@b|https://example.com/data.csv?owner=a@b",
            "file:/data/x@y.csv|file:/data/x@y.csv"})
    void credentialsAreHidden(String url, String shown) {
        assertThat(UrlCredentials.hidden(url)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"https://user:s3cret@example.com/data.csv", "http://s3cret@example.com/",
            "http://user:s3cret@bad_host/x", "s3://key:s3cret@bucket/data.csv", "//user:s3cret@example.com/x"})
    void urlsWithCredentialsAreRefused(String url) {
        assertThatThrownBy(() -> DatasetUrls.refuseCredentials(URI.create(url), UrlCredentials.hidden(url)))
                .isInstanceOf(StageFailure.class)
                .hasMessageStartingWith("credentials in dataset URLs are not supported: ")
                .hasMessageContaining("***@").hasMessageNotContaining("s3cret");
    }

    @ParameterizedTest(name = "{0} is allowed")
    @ValueSource(strings = {"https://example.com/@scope/data.csv", "https://example.com/x?owner=a@b",
            "file:/data/x@y.csv", "s3://bucket/a@b.csv"})
    void anAtSignOutsideTheAuthorityIsNoCredential(String url) {
        assertThatCode(() -> DatasetUrls.refuseCredentials(URI.create(url), url)).doesNotThrowAnyException();
    }
}
