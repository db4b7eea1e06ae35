package dev.mlops.tracking.repository;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a failure caused by PostgreSQL being out of reach (refused or lost connections, server shutting down or
 * starting up, no pooled connection within the acquisition timeout) from other failures, looking through the
 * exception's causes.
 */
public final class DatabaseUnavailable {

    /** admin_shutdown, crash_shutdown, cannot_connect_now; class 08 (connection exception) counts as a whole. */
    private static final Set<String> SERVER_DOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseUnavailable() {
    }

    public static boolean causedIt(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof SQLTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && (connectionState(sql.getSQLState())
                    || String.valueOf(sql.getMessage()).toLowerCase().contains("acquisition timeout"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || SERVER_DOWN_STATES.contains(state));
    }
}
