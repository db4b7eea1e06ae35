package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;

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
}
