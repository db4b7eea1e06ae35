package dev.mlops.images;

import java.util.ArrayList;
import java.util.List;

/**
 * The Java modules a base image links, a property of the image: model-server gets the smallest runtime that serves,
 * the seven services one that also has what their libraries load at run time. Both are jlinked from the same Debian
 * jmods on the same {@code os} layer, each cached under its own key.
 */
enum JavaRuntime {

    /** model-server's Quarkus app boots and serves with these; add one only for a need. */
    SERVING("serving", List.of("java.base", "java.instrument", "java.logging", "java.management", "java.naming",
            "java.net.http", "java.scripting", "java.security.jgss", "java.security.sasl", "java.sql",
            "java.transaction.xa", "java.xml", "jdk.crypto.ec", "jdk.management", "jdk.naming.dns", "jdk.net",
            "jdk.unsupported", "jdk.zipfs")),

    /**
     * The serving modules plus java.rmi (Narayana's jakarta.transaction exceptions extend java.rmi.RemoteException:
     * tracking-svc does not start without it) and java.desktop (java.beans: Smile's DataFrame, which train-svc's
     * grid search loads; also Jackson, Hibernate and Micrometer refer to it). jdeps over the services' jars finds
     * nothing else but java.compiler/jdk.compiler, which only Vert.x's build-time code generator uses.
     */
    SERVICE("service", plus(SERVING.modules, "java.desktop", "java.rmi"));

    private final String flavor;
    private final List<String> modules;

    JavaRuntime(String flavor, List<String> modules) {
        this.flavor = flavor;
        this.modules = List.copyOf(modules);
    }

    /** The runtime a platform module's image starts from: model-server the serving one, every service the other. */
    static JavaRuntime of(String module) {
        return module.equals(PlatformImages.SERVING_MODULE) ? SERVING : SERVICE;
    }

    List<String> modules() {
        return modules;
    }

    /** {@code serving} or {@code service}: the base's tag suffix and cache file prefix. */
    String flavor() {
        return flavor;
    }

    private static List<String> plus(List<String> modules, String... more) {
        List<String> all = new ArrayList<>(modules);
        all.addAll(List.of(more));
        return all;
    }
}
