package io.github.webpysession;

/**
 * web.py's {@code initializer}: every bean of this type runs when a new session starts.
 * What it puts does not by itself make the session stored.
 */
@FunctionalInterface
public interface SessionInitializer {

	void initialize(Session session);

}
