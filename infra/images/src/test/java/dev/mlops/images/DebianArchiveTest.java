package dev.mlops.images;

import dev.mlops.stack.launch.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The archive against a Debian-shaped mirror on loopback: index parsing, version choice, checksums, unpacking. */
class DebianArchiveTest {

    @TempDir
    Path cache;
    private FakeMirror mirror;
    private final List<String> progress = new ArrayList<>();
    private byte[] toolDeb;

    @BeforeEach
    void publish() throws IOException {
        mirror = new FakeMirror();
        toolDeb = FakeMirror.deb("new");
        mirror.suite("bookworm", mirror.stanza("tool", "1.0~rc1-1", "tool_1.0~rc1-1_amd64.deb", FakeMirror.deb("rc"))
                + mirror.stanza("tool", "1.0-1", "tool_1.0-1_amd64.deb", toolDeb)
                + mirror.stanza("other", "3", "other_3_amd64.deb", FakeMirror.deb("other")));
        mirror.suite("bookworm-security", mirror.stanza("tool", "0.9-9", "tool_0.9-9_amd64.deb", FakeMirror.deb("old")));
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    private DebianArchive archive() {
        return new DebianArchive(List.of(new DebianArchive.Suite(mirror.url(), "bookworm", DebianArchive.MIRROR_ENV),
                new DebianArchive.Suite(mirror.url(), "bookworm-security", DebianArchive.SECURITY_MIRROR_ENV)),
                cache, progress::add);
    }

    @Test
    void picksTheNewestVersionAcrossSuitesFromTheIndexStanzas() throws Exception {
        Map<String, DebianPackage> packages = archive().resolve(Set.of("tool", "other"));

        DebianPackage tool = packages.get("tool");
        assertThat(tool.version().toString()).isEqualTo("1.0-1");
        assertThat(tool.filename()).isEqualTo("pool/tool_1.0-1_amd64.deb");
        assertThat(tool.size()).isEqualTo(toolDeb.length);
        assertThat(tool.sha256()).isEqualTo(FakeMirror.sha256(toolDeb));
        assertThat(packages.get("other").version().toString()).isEqualTo("3");
        // "Package: not-this-one" in a description's continuation line is no package
        assertThat(archive().resolve(Set.of("tool"))).containsOnlyKeys("tool");
    }

    @Test
    void namesThePackagesNoSuiteHas() {
        // input tried: a package name the index does not list
        assertThatThrownBy(() -> archive().resolve(Set.of("tool", "no-such-package")))
                .isInstanceOf(ImageBuildException.class).hasMessageContaining("[no-such-package]");
    }

    @Test
    void unpacksDataKeepingSymlinksAndPermissions() throws Exception {
        DebianArchive archive = archive();
        Path tree = archive.unpack(archive.resolve(Set.of("tool")).get("tool"));

        assertThat(Files.readString(tree.resolve("usr/lib/libx.so.1.0"))).isEqualTo("new");
        assertThat(Files.isSymbolicLink(tree.resolve("usr/lib/libx.so.1"))).isTrue();
        assertThat(Files.readSymbolicLink(tree.resolve("usr/lib/libx.so.1"))).isEqualTo(Path.of("libx.so.1.0"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("usr/bin/tool"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("usr/lib/libx.so.1.0"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void reusesDownloadsAcrossRunsAndDownloadsACorruptedCachedDebAgain() throws Exception {
        DebianPackage tool = archive().resolve(Set.of("tool")).get("tool");
        Path deb = archive().fetch(tool);
        archive().fetch(tool);
        archive().resolve(Set.of("tool"));
        assertThat(mirror.requests("/debian/pool/tool_1.0-1_amd64.deb")).isEqualTo(1);
        assertThat(mirror.requests("/debian/dists/bookworm/main/binary-amd64/Packages.xz")).isEqualTo(1);

        // a cached .deb damaged on disk (a broken earlier download) is downloaded again, not used
        Files.write(deb, "damaged".getBytes(StandardCharsets.UTF_8));
        progress.clear();
        Path again = archive().fetch(tool);

        assertThat(Files.readAllBytes(again)).isEqualTo(toolDeb);
        assertThat(mirror.requests("/debian/pool/tool_1.0-1_amd64.deb")).isEqualTo(2);
        assertThat(progress).anyMatch(line -> line.contains("does not match its SHA256: downloading it again"));
    }

    @Test
    void refusesADebWhoseChecksumDiffersFromTheIndexNamingPackageAndMirror() throws Exception {
        DebianPackage tool = archive().resolve(Set.of("tool")).get("tool");
        // input tried: the mirror serves other bytes than the index's SHA256 describes
        mirror.put("/debian/pool/tool_1.0-1_amd64.deb", FakeMirror.deb("tampered"));

        assertThatThrownBy(() -> archive().fetch(tool)).isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("checksum mismatch for package tool=1.0-1")
                .hasMessageContaining(mirror.url())
                .hasMessageContaining(DebianArchive.MIRROR_ENV);
        assertThat(cache.resolve("pool/tool_1.0-1_amd64.deb")).doesNotExist();
    }

    @Test
    void refusesAPackagesIndexThatDoesNotMatchTheRelease() {
        // input tried: an index replaced after the Release was written
        mirror.put("/debian/dists/bookworm/main/binary-amd64/Packages.xz", "not the index".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> archive().resolve(Set.of("tool"))).isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("checksum mismatch for the bookworm Packages index");
    }

    @Test
    void anUnreachableMirrorSaysWhichVariableToSet() throws IOException {
        int closedPort = Ports.free();
        // input tried: a mirror address where nothing listens
        DebianArchive archive = new DebianArchive(DebianArchive.bookworm(Map.of(DebianArchive.MIRROR_ENV,
                "http://127.0.0.1:" + closedPort + "/debian/")), cache, progress::add);

        assertThatThrownBy(() -> archive.resolve(Set.of("tool"))).isInstanceOf(MirrorUnreachableException.class)
                .hasMessageContaining("could not reach http://127.0.0.1:" + closedPort + "/debian (")
                .hasMessageContaining("set MLOPS_DEBIAN_MIRROR to a reachable Debian mirror, or set MLOPS_JRE_BASE "
                        + "to a Java 17 image in a registry");
    }
}
