/**
 * How session data becomes bytes:
 * {@link io.github.webpysession.serializer.SessionSerializer}.
 */
@NullMarked
package io.github.webpysession.serializer;

import org.jspecify.annotations.NullMarked;
