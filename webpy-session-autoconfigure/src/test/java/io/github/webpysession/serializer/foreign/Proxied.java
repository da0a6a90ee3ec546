package io.github.webpysession.serializer.foreign;

import java.io.Serial;
import java.io.Serializable;

import io.github.webpysession.serializer.values.ProxyOfForeign;

/**
 * A class outside the allow-list, written through a serialization proxy that the
 * allow-list allows.
 */
public class Proxied implements Serializable {

	@Serial
	private Object writeReplace() {
		return new ProxyOfForeign();
	}

}
