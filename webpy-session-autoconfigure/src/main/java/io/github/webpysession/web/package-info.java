/**
 * The Spring MVC side: the request lifecycle
 * ({@link io.github.webpysession.web.SessionInterceptor}) and the session cookie.
 */
@NullMarked
package io.github.webpysession.web;

import org.jspecify.annotations.NullMarked;
