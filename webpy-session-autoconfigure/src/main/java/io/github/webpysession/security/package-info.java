/**
 * Spring Security's side: its login kept in, and indexing, the starter's session.
 */
@NullMarked
package io.github.webpysession.security;

import org.jspecify.annotations.NullMarked;
