package dev.mlops.images;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebianVersionTest {

    private static int compare(String a, String b) {
        return DebianVersion.parse(a).compareTo(DebianVersion.parse(b));
    }

    @Test
    void ordersAsDpkgDoes() {
        // the security update of the JDK beats the older point release
        assertThat(compare("17.0.21.1+2-1~deb12u1", "17.0.19+10-1~deb12u2")).isPositive();
        // an epoch wins over any upstream version
        assertThat(compare("1:1.2.13", "1.3")).isPositive();
        // ~ sorts before the end of the string: a release candidate is older than the release
        assertThat(compare("1.0~rc1", "1.0")).isNegative();
        assertThat(compare("1.0~rc1", "1.0~rc2")).isNegative();
        assertThat(compare("1.0~~", "1.0~")).isNegative();
        // digit runs compare as numbers, leading zeros do not count
        assertThat(compare("1.10", "1.9")).isPositive();
        assertThat(compare("1.01", "1.1")).isZero();
        // letters sort before other characters, and a longer string after its prefix
        assertThat(compare("1.0a", "1.0+")).isNegative();
        assertThat(compare("1.0.1", "1.0")).isPositive();
        // the revision decides when upstream is equal; no revision is the lowest
        assertThat(compare("2.36-9+deb12u14", "2.36-9+deb12u9")).isPositive();
        assertThat(compare("2.36", "2.36-1")).isNegative();
        // the last hyphen separates the revision
        assertThat(DebianVersion.parse("1:1.2-3-4")).isEqualTo(new DebianVersion(1, "1.2-3", "4"));
        assertThat(DebianVersion.parse("1:1.2.13.dfsg-1+deb12u1").toString()).isEqualTo("1:1.2.13.dfsg-1+deb12u1");
    }

    @Test
    void refusesAnEpochThatIsNoNumber() {
        // input tried: "x:1.0"
        assertThatThrownBy(() -> DebianVersion.parse("x:1.0")).hasMessageContaining("bad epoch").hasMessageContaining("x:1.0");
    }
}
