/**
 * web.py's server-side sessions for Spring MVC: the
 * {@link io.github.webpysession.Session} a controller uses.
 */
@NullMarked
package io.github.webpysession;

import org.jspecify.annotations.NullMarked;
