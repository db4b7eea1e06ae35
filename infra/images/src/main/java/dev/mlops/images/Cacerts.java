package dev.mlops.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The JRE's trust store, {@code lib/security/cacerts}: Debian's jmods have none (Debian links it to
 * ca-certificates-java), so it is made here as a PKCS12 store (password {@code changeit}, as every JDK's) from the
 * Mozilla certificates of Debian's ca-certificates package.
 */
final class Cacerts {

    static final char[] PASSWORD = "changeit".toCharArray();
    static final String MOZILLA = "usr/share/ca-certificates/mozilla";
    private static final String CERT_PROTECTION = "keystore.pkcs12.certProtectionAlgorithm";

    private Cacerts() {
    }

    /** @return the number of certificates written */
    static int write(Path unpackedCaCertificates, Path cacerts) throws IOException {
        Path folder = unpackedCaCertificates.resolve(MOZILLA);
        List<Path> pems;
        try (Stream<Path> files = Files.list(folder)) {
            pems = files.filter(p -> p.getFileName().toString().endsWith(".crt")).sorted().toList();
        }
        if (pems.isEmpty()) {
            throw new IOException("no .crt files in " + folder);
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, PASSWORD);
            int count = 0;
            for (Path pem : pems) {
                try (InputStream in = Files.newInputStream(pem)) {
                    for (Certificate certificate : factory.generateCertificates(in)) {
                        String alias = pem.getFileName().toString().replaceFirst("\\.crt$", "")
                                .toLowerCase(Locale.ROOT);
                        store.setCertificateEntry(uniqueAlias(store, alias), (X509Certificate) certificate);
                        count++;
                    }
                }
            }
            Files.createDirectories(cacerts.getParent());
            Files.deleteIfExists(cacerts);
            storeReadableWithoutPassword(store, cacerts);
            return count;
        } catch (GeneralSecurityException e) {
            throw new IOException("could not build the trust store from " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JDK reads its trust store without a password (javax.net.ssl.trustStorePassword is unset by default), so the
     * certificates must not be encrypted, as in the JDK's own cacerts: only the MAC uses {@code changeit}.
     */
    private static synchronized void storeReadableWithoutPassword(KeyStore store, Path cacerts)
            throws IOException, GeneralSecurityException {
        String previous = System.getProperty(CERT_PROTECTION);
        System.setProperty(CERT_PROTECTION, "NONE");
        try (OutputStream out = Files.newOutputStream(cacerts)) {
            store.store(out, PASSWORD);
        } finally {
            if (previous == null) {
                System.clearProperty(CERT_PROTECTION);
            } else {
                System.setProperty(CERT_PROTECTION, previous);
            }
        }
    }

    private static String uniqueAlias(KeyStore store, String alias) throws GeneralSecurityException {
        String candidate = alias;
        for (int i = 2; store.containsAlias(candidate); i++) {
            candidate = alias + "-" + i;
        }
        return candidate;
    }
}
