package dev.mlops.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code os} layer: of Debian's libc6, zlib1g, libgcc-s1 and libstdc++6 only the loader and the libraries the JVM
 * loads (symlinks kept, their targets followed), an {@code /etc/passwd} and {@code /etc/group} with the user
 * {@code app} (uid/gid 1001, as the Kubernetes manifests run it), {@code /etc/nsswitch.conf} and a sticky
 * {@code /tmp}. No shell, no package manager.
 */
final class OsLayer {

    static final int APP_UID = 1001;
    private static final List<String> LIBRARY_FOLDERS = List.of("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu");
    /** Library file names and whether the JVM cannot start without them. */
    private static final Map<String, Boolean> LIBRARIES = new LinkedHashMap<>();

    static {
        for (String required : List.of("ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libz.so.1", "libgcc_s.so.1",
                "libstdc++.so.6")) {
            LIBRARIES.put(required, true);
        }
        for (String optional : List.of("libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2",
                "libnss_dns.so.2", "libnss_files.so.2")) {
            LIBRARIES.put(optional, false);
        }
    }

    private OsLayer() {
    }

    /** @param packageTrees the unpacked libc6, zlib1g, libgcc-s1 and libstdc++6 */
    static List<DockerTarball.Entry> entries(List<Path> packageTrees) throws ImageBuildException {
        Map<String, DockerTarball.Entry> files = new LinkedHashMap<>();
        for (Map.Entry<String, Boolean> library : LIBRARIES.entrySet()) {
            boolean found = false;
            for (Path tree : packageTrees) {
                for (String folder : LIBRARY_FOLDERS) {
                    Path candidate = tree.resolve(folder).resolve(library.getKey());
                    if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                        include(tree, folder + "/" + library.getKey(), files, 0);
                        found = true;
                    }
                }
            }
            if (!found && library.getValue()) {
                throw new ImageBuildException("none of the Debian packages " + packageTrees.stream()
                        .map(p -> p.getFileName().toString()).toList() + " has " + library.getKey());
            }
        }
        String loader = files.keySet().stream().filter(p -> p.endsWith("/ld-linux-x86-64.so.2")).findFirst().orElseThrow();
        files.put("lib64/ld-linux-x86-64.so.2", DockerTarball.Entry.symlink("lib64/ld-linux-x86-64.so.2", "/" + loader));

        List<DockerTarball.Entry> entries = new ArrayList<>();
        TreeSet<String> folders = new TreeSet<>(List.of("etc", "tmp"));
        for (String path : files.keySet()) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                folders.add(path.substring(0, slash));
            }
        }
        for (String folder : folders) {
            entries.add(DockerTarball.Entry.folder(folder, folder.equals("tmp") ? 01777 : 0755));
        }
        entries.add(DockerTarball.Entry.text("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\n"
                + "app:x:" + APP_UID + ":" + APP_UID + ":app:/app:/sbin/nologin\n"));
        entries.add(DockerTarball.Entry.text("etc/group", "root:x:0:\napp:x:" + APP_UID + ":\n"));
        entries.add(DockerTarball.Entry.text("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n"));
        files.keySet().stream().sorted().forEach(path -> entries.add(files.get(path)));
        return entries;
    }

    /** Adds {@code relative} of {@code tree}; a symlink is kept as one and its target added too. */
    private static void include(Path tree, String relative, Map<String, DockerTarball.Entry> files, int depth)
            throws ImageBuildException {
        if (files.containsKey(relative)) {
            return;
        }
        if (depth > 8) {
            throw new ImageBuildException("symlink loop at " + relative + " in " + tree);
        }
        Path path = tree.resolve(relative);
        try {
            if (Files.isSymbolicLink(path)) {
                String target = Files.readSymbolicLink(path).toString();
                files.put(relative, DockerTarball.Entry.symlink(relative, target));
                Path resolved = target.startsWith("/") ? tree.resolve(target.substring(1))
                        : path.getParent().resolve(target);
                String next = tree.relativize(resolved.normalize()).toString();
                if (next.startsWith("..")) {
                    throw new ImageBuildException(relative + " in " + tree + " links outside the package: " + target);
                }
                include(tree, next, files, depth + 1);
            } else if (Files.isRegularFile(path)) {
                files.put(relative, DockerTarball.Entry.file(relative, 0755, path));
            } else {
                throw new ImageBuildException(relative + " in " + tree + " is neither a file nor a symlink");
            }
        } catch (IOException e) {
            throw new ImageBuildException("could not read " + path + ": " + e.getMessage(), e);
        }
    }
}
