package dev.mlops.runtime.stage;

/**
 * The service is shutting down while a record is being handled: the record is left unacknowledged, so it is
 * delivered again after the restart, rather than failed or dead-lettered for a reason that is not its own.
 */
public class ServiceStopping extends Exception {
    public ServiceStopping() {
        super("the service is stopping");
    }
}
