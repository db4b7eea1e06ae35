package dev.mlops.tracking.repository;

import java.sql.SQLException;

/**
 * Tells a database failure that may succeed when tried again from one that never will: PostgreSQL out of reach
 * ({@link DatabaseUnavailable}), a transaction rolled back by a serialization failure or deadlock (class 40),
 * the server out of resources (class 53: too many connections, disk full) or a lock not available (55P03).
 * Everything else (a NUL byte PostgreSQL cannot store, a value too long for its column, a timestamp out of range,
 * a constraint violated) fails again on every try.
 */
public final class TransientDatabaseFailure {

    private TransientDatabaseFailure() {
    }

    public static boolean causedIt(Throwable failure) {
        if (DatabaseUnavailable.causedIt(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && transientState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientState(String state) {
        return state != null && (state.startsWith("40") || state.startsWith("53") || state.equals("55P03"));
    }
}
