/**
 * The {@code jdbc} session store.
 */
@NullMarked
package io.github.webpysession.store.jdbc;

import org.jspecify.annotations.NullMarked;
