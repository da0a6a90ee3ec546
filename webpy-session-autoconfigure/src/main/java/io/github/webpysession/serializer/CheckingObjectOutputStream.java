package io.github.webpysession.serializer;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Proxy;

import org.jspecify.annotations.Nullable;

/**
 * Java serialization that refuses, as it writes, every object that
 * {@link LimitedObjectInputStream} would refuse to read: one that is not
 * {@code Serializable}, is a proxy, belongs to a class (or has a superclass) that the
 * allow-list refuses, or lies deeper than the depth limit. So nothing is ever stored that
 * cannot be read back.
 * <p>
 * The allow-list is checked in {@link #annotateClass}, which Java serialization calls for
 * exactly the class descriptors the reading side filters: the class of each object, its
 * serializable superclasses, array classes and {@code Class} values. The depth is the
 * reading side's: the nesting of {@code writeObject0} calls mirrors that of
 * {@code readObject0}, and a class descriptor read adds one level per serializable
 * superclass.
 * <p>
 * Not seen: the class of an object that its {@code writeReplace} replaced, which the
 * reading side checks as {@code readResolve} returns it. {@link #write} and
 * {@link #checkClassOf} check it for the objects given; within them, the JDK's own
 * proxies resolve to JDK classes, and an application's to its own.
 */
final class CheckingObjectOutputStream extends ObjectOutputStream {

	private static final StackWalker stack = StackWalker.getInstance();

	private static final String OWNER = JavaSessionSerializer.class.getName();

	private static final int UNKNOWN = -1;

	/**
	 * How many serializable superclasses each class has: levels that its descriptor adds
	 * when read.
	 */
	private static final ClassValue<Integer> serializableSuperclasses = new ClassValue<>() {

		@Override
		protected Integer computeValue(Class<?> type) {
			int count = 0;
			for (Class<?> superclass = type.getSuperclass(); superclass != null
					&& Serializable.class.isAssignableFrom(superclass); superclass = superclass.getSuperclass()) {
				count++;
			}
			return count;
		}

	};

	private final ObjectInputFilter classFilter;

	private final int maxDepth;

	private final int depthOffset;

	private final @Nullable String key;

	private @Nullable Class<?> writing;

	/** The reading depth last measured (UNKNOWN: it cannot be measured on this JDK). */
	private int measuredDepth;

	/** Objects written since, each at most one level deeper than the one before. */
	private int writtenSinceMeasured;

	/**
	 * @param classFilter the allow-list of the reading side
	 * @param maxDepth the reading side's depth limit
	 * @param depthOffset the reading depth of the object that holds what this stream
	 * writes at its top level: 0 for a whole session, 1 for a value of its attribute map
	 * @param key the session key written, for messages; null for a whole session
	 */
	CheckingObjectOutputStream(OutputStream out, ObjectInputFilter classFilter, int maxDepth, int depthOffset,
			@Nullable String key) throws IOException {
		super(out);
		enableReplaceObject(true);
		this.classFilter = classFilter;
		this.maxDepth = maxDepth;
		this.depthOffset = depthOffset;
		this.measuredDepth = depthOffset;
		this.key = key;
	}

	/**
	 * Writes the object and all it holds.
	 * @throws UnstorableValueException if any of it could not be read back
	 */
	void write(@Nullable Object object) {
		checkClassOf(object);
		try {
			writeObject(object);
		}
		catch (NotSerializableException ex) {
			throw notSerializable(String.valueOf(ex.getMessage()), ex);
		}
		catch (IOException ex) {
			throw refuse("could not be serialized: " + ex, ex);
		}
	}

	/**
	 * Refuses the object if the allow-list refuses its own class: the class that the
	 * reading side checks as {@code readResolve} returns it, where {@code writeReplace}
	 * replaces the object.
	 * @throws UnstorableValueException if it does
	 */
	void checkClassOf(@Nullable Object object) {
		if (object instanceof Serializable) {
			this.writing = object.getClass();
			if (Proxy.isProxyClass(object.getClass())) {
				throw proxy(object.getClass());
			}
			annotateClass(object.getClass());
		}
	}

	@Override
	protected Object replaceObject(Object object) {
		Class<?> type = object.getClass();
		this.writing = type;
		if (!(object instanceof Serializable)) {
			throw notSerializable(type.getName(), null);
		}
		if (Proxy.isProxyClass(type)) {
			throw proxy(type);
		}
		// levels below the object's own that reading it checks: its superclasses'
		// descriptors,
		// and for an object that may hold others, the back references it holds
		int superclasses = serializableSuperclasses.get(type);
		checkDepth(type, isLeaf(object) ? superclasses : Math.max(superclasses, 1));
		return object;
	}

	@Override
	protected void annotateClass(Class<?> type) {
		if (this.classFilter.checkInput(new ClassToCheck(type)) == ObjectInputFilter.Status.REJECTED) {
			throw notAllowed(type);
		}
	}

	@Override
	protected void annotateProxyClass(Class<?> type) {
		throw proxy(type);
	}

	private static boolean isLeaf(Object object) {
		Class<?> type = object.getClass();
		return object instanceof String || object instanceof Enum || type == Integer.class || type == Long.class
				|| type == Boolean.class || type == Double.class || type == Float.class || type == Short.class
				|| type == Byte.class || type == Character.class
				|| (type.isArray() && type.getComponentType().isPrimitive());
	}

	/**
	 * Refuses the object being written if reading it would check a level deeper than the
	 * limit. Measuring the depth walks the stack, which is slow, so it is only measured
	 * where a bound does not suffice: each object written is at most one level deeper
	 * than the one before.
	 */
	private void checkDepth(Class<?> type, int levelsBelow) {
		if (this.measuredDepth == UNKNOWN) {
			return;
		}
		this.writtenSinceMeasured++;
		if (this.measuredDepth + this.writtenSinceMeasured + levelsBelow <= this.maxDepth) {
			return;
		}
		int depth = measureDepth();
		this.measuredDepth = depth;
		this.writtenSinceMeasured = 0;
		if (depth != UNKNOWN && depth + levelsBelow > this.maxDepth) {
			throw refuse("nests deeper than " + this.maxDepth + " levels (" + type.getName() + " at level " + depth
					+ "), so it could never be read back; store a flatter value", null);
		}
	}

	/**
	 * The reading depth of the object being written, or UNKNOWN if this JDK does not show
	 * it.
	 */
	private int measureDepth() {
		long writes = stack.walk((frames) -> frames.takeWhile((frame) -> !frame.getClassName().equals(OWNER))
			.filter((frame) -> frame.getMethodName().equals("writeObject0")
					&& frame.getClassName().equals("java.io.ObjectOutputStream"))
			.count());
		return (writes > 0) ? (int) writes + this.depthOffset : UNKNOWN;
	}

	private UnstorableValueException notAllowed(Class<?> type) {
		Class<?> element = type;
		while (element.isArray()) {
			element = element.getComponentType();
		}
		Class<?> writing = this.writing;
		String held = (writing != null && writing != element && element.isAssignableFrom(writing))
				? writing.getName() + ", a subclass of " + element.getName() + "," : element.getName() + ",";
		String fix = element.getName()
				+ ((element.getPackageName().isEmpty()) ? "" : " or its package (" + element.getPackageName() + ".*)");
		return refuse("holds " + held + " which session.allowed-classes does not allow; add " + fix
				+ " to session.allowed-classes, or store a String instead", null);
	}

	private UnstorableValueException notSerializable(String type, @Nullable Throwable cause) {
		return refuse("holds " + type + ", which is not Serializable; store a Serializable value instead", cause);
	}

	private UnstorableValueException proxy(Class<?> type) {
		return refuse("holds a proxy (" + type.getName() + "), which is never read back from a session; "
				+ "store the value it stands for", null);
	}

	private UnstorableValueException refuse(String problem, @Nullable Throwable cause) {
		String subject = (this.key != null) ? "Session value '" + this.key + "'" : "A session value";
		return new UnstorableValueException(this.key, subject + " " + problem, cause);
	}

	/**
	 * A class, as the reading side's filter sees it when it reads the class's descriptor.
	 */
	private record ClassToCheck(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {

		@Override
		public long arrayLength() {
			return -1;
		}

		@Override
		public long depth() {
			return 1;
		}

		@Override
		public long references() {
			return 0;
		}

		@Override
		public long streamBytes() {
			return 0;
		}

	}

}
