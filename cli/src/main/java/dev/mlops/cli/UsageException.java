package dev.mlops.cli;

/** The command line itself is wrong (unknown command or option, missing value): exit code 2 and the usage text. */
public class UsageException extends CliException {

    private final boolean showUsage;

    public UsageException(String message) {
        this(message, false);
    }

    /** @param showUsage print the whole usage text, not only a pointer to it (for an unknown command) */
    public UsageException(String message, boolean showUsage) {
        super(message, 2);
        this.showUsage = showUsage;
    }

    public boolean showUsage() {
        return showUsage;
    }
}
