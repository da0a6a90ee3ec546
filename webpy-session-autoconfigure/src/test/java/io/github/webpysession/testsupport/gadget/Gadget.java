package io.github.webpysession.testsupport.gadget;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * Stands for a deserialization gadget: it records whether it was ever brought to life.
 */
public class Gadget implements Serializable {

	public static volatile boolean deserialized;

	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
		in.defaultReadObject();
		deserialized = true;
	}

}
