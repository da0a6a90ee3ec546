package io.github.webpysession.serializer.values;

import java.io.Serial;
import java.io.Serializable;

import io.github.webpysession.serializer.foreign.Proxied;

/**
 * An allowed serialization proxy that resolves, when read, to a class outside the
 * allow-list.
 */
public class ProxyOfForeign implements Serializable {

	@Serial
	private Object readResolve() {
		return new Proxied();
	}

}
