package io.github.webpysession.web;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One request's attributes of its session, and the puts and removes it made to them. Kept
 * apart from the rest of {@link SessionState} so that a save that finds a concurrent
 * write can lay this request's changes over the stored attributes ({@link #rebase})
 * without the lifecycle knowing how. Maps are created only when needed: a request that
 * never changes an attribute allocates no change map.
 */
final class AttributeChanges {

	/** Empty until loaded: then {@link #restore} or {@link #startNew} fills it. */
	private Map<String, Object> attributes = Map.of();

	/**
	 * Whether {@link #attributes} is still the serializer's map, copied before the first
	 * change: a request that only reads never copies it, and a serializer may answer a
	 * map it does not let change.
	 */
	private boolean borrowed;

	/**
	 * Keys this request put (to a value) or removed (to null), for merging with
	 * concurrent writes; null until the first change.
	 */
	private @Nullable Map<String, @Nullable Object> changes;

	/** The attributes as stored, which this request now works on. */
	void restore(Map<String, Object> stored) {
		this.attributes = stored;
		this.borrowed = true;
	}

	/** No attributes and no changes: a new, empty session. */
	void startNew() {
		this.attributes = new HashMap<>();
		this.borrowed = false;
		clear();
	}

	/**
	 * The attributes with this request's changes applied; the live map, for serializing.
	 */
	Map<String, Object> attributes() {
		return this.attributes;
	}

	@Nullable Object get(String key) {
		return this.attributes.get(key);
	}

	boolean contains(String key) {
		return this.attributes.containsKey(key);
	}

	Set<String> keys() {
		return Set.copyOf(this.attributes.keySet());
	}

	/**
	 * Sets {@code key} to {@code value}, or removes it for null; {@code record} says
	 * whether it is a change to save, rather than filling a new session.
	 */
	void put(String key, @Nullable Object value, boolean record) {
		apply(key, value);
		if (record) {
			Map<String, @Nullable Object> changes = this.changes;
			if (changes == null) {
				changes = new HashMap<>();
				this.changes = changes;
			}
			changes.put(key, value);
		}
	}

	boolean hasChanges() {
		Map<String, @Nullable Object> changes = this.changes;
		return changes != null && !changes.isEmpty();
	}

	/**
	 * Another request stored {@code stored} meanwhile: it becomes the attributes, with
	 * this request's changes on top.
	 */
	void rebase(Map<String, Object> stored) {
		this.attributes = new HashMap<>(stored);
		this.borrowed = false;
		Map<String, @Nullable Object> changes = this.changes;
		if (changes != null) {
			changes.forEach(this::apply);
		}
	}

	/** The changes were saved, or dropped: none is pending any more. */
	void clear() {
		Map<String, @Nullable Object> changes = this.changes;
		if (changes != null) {
			changes.clear();
		}
	}

	private void apply(String key, @Nullable Object value) {
		if (this.borrowed) {
			this.attributes = new HashMap<>(this.attributes);
			this.borrowed = false;
		}
		if (value != null) {
			this.attributes.put(key, value);
		}
		else {
			this.attributes.remove(key);
		}
	}

}
