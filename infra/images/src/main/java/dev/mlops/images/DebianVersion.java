package dev.mlops.images;

/**
 * A Debian package version ({@code [epoch:]upstream[-revision]}) ordered as dpkg orders it: epochs numerically,
 * then upstream and revision by dpkg's {@code verrevcmp} (digit runs compared as numbers, letters before other
 * characters, {@code ~} before everything, even the end of the string).
 */
public record DebianVersion(long epoch, String upstream, String revision) implements Comparable<DebianVersion> {

    public static DebianVersion parse(String version) {
        String rest = version.trim();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("empty Debian version");
        }
        long epoch = 0;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            try {
                epoch = Long.parseLong(rest.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad epoch in Debian version '" + version + "'", e);
            }
            rest = rest.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        String revision = dash >= 0 ? rest.substring(dash + 1) : "";
        String upstream = dash >= 0 ? rest.substring(0, dash) : rest;
        return new DebianVersion(epoch, upstream, revision);
    }

    @Override
    public int compareTo(DebianVersion other) {
        if (epoch != other.epoch) {
            return Long.compare(epoch, other.epoch);
        }
        int upstreamOrder = compareParts(upstream, other.upstream);
        return upstreamOrder != 0 ? upstreamOrder : compareParts(revision, other.revision);
    }

    /** dpkg's verrevcmp. */
    static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDifference = 0;
            while (i < a.length() && j < b.length() && isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
                if (firstDifference == 0) {
                    firstDifference = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDifference != 0) {
                return Integer.signum(firstDifference);
            }
        }
        return 0;
    }

    private static int order(String s, int index) {
        if (index >= s.length()) {
            return 0;
        }
        char c = s.charAt(index);
        if (isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c) && c < 128) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public String toString() {
        return (epoch != 0 ? epoch + ":" : "") + upstream + (revision.isEmpty() ? "" : "-" + revision);
    }
}
