package io.github.webpysession.event;

import java.time.Clock;

import io.github.webpysession.store.SessionStore;

import org.springframework.context.ApplicationEvent;

/**
 * The cleanup removed expired sessions from a store. It carries how many, not which: the
 * store removes them in bulk ({@link SessionStore#deleteAccessedBefore}) and reports only
 * a count. Not published for a run that removed none.
 */
public class SessionsCleanedEvent extends ApplicationEvent {

	private final int count;

	public SessionsCleanedEvent(SessionStore store, int count, Clock clock) {
		super(store.unwrap(), clock);
		this.count = count;
	}

	/** The store the sessions were removed from. */
	public SessionStore getStore() {
		return (SessionStore) getSource();
	}

	/** How many sessions were removed. */
	public int getCount() {
		return this.count;
	}

}
