/**
 * Spring Boot Actuator support, where the application has Actuator: the
 * {@code webpysessions} endpoint and the {@code webpySession} health contributor.
 */
@NullMarked
package io.github.webpysession.actuate;

import org.jspecify.annotations.NullMarked;
