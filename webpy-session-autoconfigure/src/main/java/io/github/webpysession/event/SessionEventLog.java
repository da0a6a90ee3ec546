package io.github.webpysession.event;

import io.github.webpysession.store.SessionKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Logs each lifecycle event at DEBUG (category {@code io.github.webpysession.event}): a
 * session created, regenerated, killed, unreadable or expired with its reason. A session
 * is named by the first characters of its digest in the store, never by its id.
 */
public class SessionEventLog implements SmartApplicationListener {

	private static final Log logger = LogFactory.getLog(SessionEventLog.class);

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return SessionEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (logger.isDebugEnabled() && event instanceof SessionEvent session) {
			logger.debug("Session " + SessionKeys.abbreviate(session.getSessionId()) + " " + what(session) + " in "
					+ session.getStore());
		}
	}

	private static String what(SessionEvent event) {
		if (event instanceof SessionRegeneratedEvent regenerated) {
			return "regenerated from " + SessionKeys.abbreviate(regenerated.getPreviousId());
		}
		if (event instanceof SessionExpiredEvent expired) {
			return "expired (" + expired.getReason() + ")";
		}
		if (event instanceof SessionCreatedEvent) {
			return "created";
		}
		if (event instanceof SessionKilledEvent) {
			return "killed";
		}
		if (event instanceof SessionUnreadableEvent) {
			return "unreadable";
		}
		return event.getClass().getSimpleName();
	}

}
