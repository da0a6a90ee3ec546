package io.github.webpysession.serializer.reload;

import java.io.Serializable;

/** An application value class, as DevTools reloads it. */
public class Cart implements Serializable {

	private final int items;

	public Cart(int items) {
		this.items = items;
	}

	public int items() {
		return this.items;
	}

}
