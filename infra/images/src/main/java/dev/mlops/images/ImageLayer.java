package dev.mlops.images;

/**
 * One layer of an image as stored.
 *
 * @param digest       {@code sha256:<hex>} of the stored (usually gzipped) blob
 * @param compressed   the stored bytes: what a pull transfers
 * @param uncompressed the layer's tar unpacked: what it takes on disk
 */
public record ImageLayer(String digest, long compressed, long uncompressed) {
}
