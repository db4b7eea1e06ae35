package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * Takes over the backend an earlier deploy-svc recorded in {@code current.json} (it was restarted, or died): a backend
 * of the adopter's kind that still answers {@code /ping} on its port keeps serving; one that does not is stopped
 * (nothing would route to it any more).
 */
@FunctionalInterface
public interface BackendAdopter {

    /** The recorded backend, when it is of this kind and still serves; empty otherwise (after stopping what is left). */
    Optional<ModelBackend> adopt(JsonNode record);

    /**
     * The rule every adopter applies to the backend rebuilt from its record: kept when it answers {@code /ping} on its
     * recorded port, else stopped ({@code leftover} names it in the log).
     */
    static Optional<ModelBackend> keepIfServing(ModelBackend recorded, String leftover) {
        if (recorded.port() > 0 && recorded.answersPing()) {
            return Optional.of(recorded);
        }
        Logger.getLogger(BackendAdopter.class).infof("stopping %s left from an earlier deploy-svc: it does not answer"
                + " %s/ping", leftover, recorded.url());
        recorded.stop(Duration.ofSeconds(10));
        return Optional.empty();
    }
}
