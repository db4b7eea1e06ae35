package dev.mlops.images;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.KeyStore;

/** Run inside the base image: prints how many CAs the default trust store (lib/security/cacerts) holds. */
public final class TrustStoreProbe {

    private TrustStoreProbe() {
    }

    public static void main(String[] args) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        X509TrustManager trust = (X509TrustManager) factory.getTrustManagers()[0];
        SSLContext.getDefault().createSSLEngine();
        System.out.println("trusted issuers: " + trust.getAcceptedIssuers().length);
    }
}
