package dev.mlops.image.service;

import java.util.List;

/**
 * An image Jib built: the manifest digest (what a registry answers as Docker-Content-Digest), the config digest
 * (image id) and the layer that holds the model.
 *
 * @param layers every layer of the manifest, base layers first; the last one is the model's
 */
public record BuiltImage(String reference, List<String> tags, String digest, String imageId, boolean pushed,
                         List<Layer> layers) {

    public record Layer(String digest, long size) {
    }

    public BuiltImage {
        tags = List.copyOf(tags);
        layers = List.copyOf(layers);
    }

    public Layer modelLayer() {
        return layers.isEmpty() ? null : layers.get(layers.size() - 1);
    }
}
