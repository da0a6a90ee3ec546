package io.github.webpysession.testsupport.hostile;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A value whose {@code readObject} always throws, as one does that validates what it
 * reads against a configuration that has changed since it was stored.
 */
public class FailingReadObject implements Serializable {

	private final String setting = "stored under the old configuration";

	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
		in.defaultReadObject();
		throw new IllegalStateException("FailingReadObject refuses '" + this.setting + "'");
	}

}
