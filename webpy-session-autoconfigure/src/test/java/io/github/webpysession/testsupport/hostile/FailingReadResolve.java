package io.github.webpysession.testsupport.hostile;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * A value written through a serialization proxy (Effective Java, item 90) whose
 * {@code readResolve} validates what it read, and refuses it: as after a configuration
 * change.
 */
public final class FailingReadResolve implements Serializable {

	@Serial
	private Object writeReplace() {
		return new Proxy(-1);
	}

	@Serial
	private void readObject(ObjectInputStream in) throws InvalidObjectException {
		throw new InvalidObjectException("a FailingReadResolve is read through its proxy");
	}

	private static final class Proxy implements Serializable {

		private final int limit;

		Proxy(int limit) {
			this.limit = limit;
		}

		@Serial
		private Object readResolve() {
			throw new IllegalArgumentException("limit must be positive, was " + this.limit);
		}

	}

}
