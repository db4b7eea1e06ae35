package dev.mlops.cli;

/** The main class of the jar {@link ClassDataArchiveTest} archives. */
public final class CdsProbe {

    static final String GREETING = "probe ran";

    private CdsProbe() {
    }

    public static void main(String[] args) {
        System.out.println(GREETING);
    }
}
