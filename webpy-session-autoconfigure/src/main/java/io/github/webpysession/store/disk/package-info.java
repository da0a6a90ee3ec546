/**
 * The {@code disk} session store.
 */
@NullMarked
package io.github.webpysession.store.disk;

import org.jspecify.annotations.NullMarked;
