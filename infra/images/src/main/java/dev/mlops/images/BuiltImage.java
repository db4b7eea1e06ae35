package dev.mlops.images;

/**
 * An image that was built.
 *
 * @param reference         where it is: {@code host:port/mlops/<module>:<version>} when pushed, else
 *                          {@code tar:/abs/path/<module>.tar}
 * @param digest            the manifest digest ({@code sha256:...})
 * @param sizeBytes         the compressed layers added up: what a pull transfers
 * @param uncompressedBytes the layers unpacked (tar bytes): what the image takes on disk
 * @param seconds           how long building and pushing or writing it took
 */
public record BuiltImage(String reference, String digest, long sizeBytes, long uncompressedBytes, double seconds) {

    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s  %.1f MB (%.1f MB compressed)  %.1f s  %s", reference,
                uncompressedBytes / 1e6, sizeBytes / 1e6, seconds, digest);
    }
}
