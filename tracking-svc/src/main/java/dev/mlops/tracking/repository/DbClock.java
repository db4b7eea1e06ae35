package dev.mlops.tracking.repository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The current time as PostgreSQL stores it (microseconds), so an answer given right after a write shows the
 * same instant as every later read.
 */
public final class DbClock {

    private DbClock() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
