package io.github.webpysession.serializer.values;

import java.io.Serializable;

/**
 * An application value class that holds another value: allowed itself, whatever it holds.
 */
public record Holder(Object held) implements Serializable {

}
