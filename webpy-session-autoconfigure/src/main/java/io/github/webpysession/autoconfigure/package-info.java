/**
 * Spring Boot auto-configuration of webpy-session: properties, the store
 * {@code session.store} chooses, and the Spring MVC wiring.
 */
@NullMarked
package io.github.webpysession.autoconfigure;

import org.jspecify.annotations.NullMarked;
