/**
 * The {@code memory} session store.
 */
@NullMarked
package io.github.webpysession.store.memory;

import org.jspecify.annotations.NullMarked;
