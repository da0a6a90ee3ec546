/**
 * Application events of the session lifecycle, for auditing and metrics: a session
 * created, regenerated, killed or expired, and expired sessions removed by the cleanup.
 */
@NullMarked
package io.github.webpysession.event;

import org.jspecify.annotations.NullMarked;
