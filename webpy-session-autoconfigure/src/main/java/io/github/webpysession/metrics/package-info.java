/**
 * Micrometer meters and observations of sessions, where the application has a
 * {@code MeterRegistry} or an {@code ObservationRegistry}: a store and locks that time
 * each operation, and counters of the lifecycle's events.
 */
@NullMarked
package io.github.webpysession.metrics;

import org.jspecify.annotations.NullMarked;
