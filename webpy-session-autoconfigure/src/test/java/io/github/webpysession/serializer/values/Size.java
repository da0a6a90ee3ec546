package io.github.webpysession.serializer.values;

/** An application enum, with a constant that has a body of its own. */
public enum Size {

	SMALL, LARGE {

		@Override
		public String toString() {
			return "large";
		}

	}

}
