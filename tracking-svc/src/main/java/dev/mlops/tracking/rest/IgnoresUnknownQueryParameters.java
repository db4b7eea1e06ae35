package dev.mlops.tracking.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource class: {@link RequestChecks} lets query parameters its methods do not declare through, for APIs
 * whose protocol says unknown fields are ignored (MLflow's).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface IgnoresUnknownQueryParameters {
}
