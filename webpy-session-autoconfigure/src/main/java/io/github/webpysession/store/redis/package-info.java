/**
 * The {@code redis} session store, its locks and its expiry events.
 */
@NullMarked
package io.github.webpysession.store.redis;

import org.jspecify.annotations.NullMarked;
