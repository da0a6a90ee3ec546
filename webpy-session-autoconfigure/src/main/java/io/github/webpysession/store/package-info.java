/**
 * The store SPI: {@link io.github.webpysession.store.SessionStore}, one sub-package per
 * implementation.
 */
@NullMarked
package io.github.webpysession.store;

import org.jspecify.annotations.NullMarked;
