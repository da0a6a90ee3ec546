/**
 * The {@code shelf} session store.
 */
@NullMarked
package io.github.webpysession.store.shelf;

import org.jspecify.annotations.NullMarked;
