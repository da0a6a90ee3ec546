package io.github.webpysession.serializer.values;

import io.github.webpysession.testsupport.gadget.Gadget;

/** An application value class whose serializable superclass the allow-list refuses. */
public class GadgetSubclass extends Gadget {

}
