/**
 * A Spring Security sample: form login and remember-me kept in the starter's session, and
 * the logged-in user's sessions from {@link io.github.webpysession.Sessions}.
 */
@NullMarked
package io.github.webpysession.sample.security;

import org.jspecify.annotations.NullMarked;
