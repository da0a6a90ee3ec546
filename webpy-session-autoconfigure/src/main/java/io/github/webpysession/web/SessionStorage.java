package io.github.webpysession.web;

import io.github.webpysession.serializer.SessionSerializer;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;

/**
 * Where and how sessions are kept: the store, the serializer that turns a session's data
 * into the store's bytes, and the locks that let the requests of one session run one at a
 * time.
 *
 * @param store where sessions live between requests
 * @param serializer how their data becomes bytes
 * @param locks the locks {@code session.lock} takes
 */
public record SessionStorage(SessionStore store, SessionSerializer serializer, SessionLocks locks) {

}
