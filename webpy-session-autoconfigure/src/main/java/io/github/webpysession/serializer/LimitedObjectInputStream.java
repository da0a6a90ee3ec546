package io.github.webpysession.serializer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

import org.jspecify.annotations.Nullable;

/**
 * Reads stored session data through a JEP 290 filter: the allow-list, the depth limit,
 * and a budget of array elements, and resolves classes through the application's class
 * loader. When the filter refuses, {@link #rejection()} says why.
 * <p>
 * Arrays (and the arrays that collections allocate as they are read) may declare,
 * together, at most {@value #ARRAY_ELEMENTS_PER_BYTE} elements per byte of the data, plus
 * {@value #ARRAY_ELEMENTS_ALLOWANCE}: each element of real data takes at least one byte,
 * and a hash table at most a few slots per entry, while a length forged into a few bytes
 * is refused before anything is allocated. References and bytes read need no limit of
 * their own: each takes at least one byte of data that is already in memory.
 */
final class LimitedObjectInputStream extends ObjectInputStream {

	static final int ARRAY_ELEMENTS_PER_BYTE = 4;

	static final int ARRAY_ELEMENTS_ALLOWANCE = 1024;

	private final ClassLoader classLoader;

	private final ObjectInputFilter classFilter;

	private final int maxDepth;

	private final int length;

	private long arrayElementsLeft;

	private @Nullable String rejection;

	LimitedObjectInputStream(byte[] bytes, ClassLoader classLoader, ObjectInputFilter classFilter, int maxDepth)
			throws IOException {
		super(new ByteArrayInputStream(bytes));
		this.classLoader = classLoader;
		this.classFilter = classFilter;
		this.maxDepth = maxDepth;
		this.length = bytes.length;
		this.arrayElementsLeft = (long) ARRAY_ELEMENTS_PER_BYTE * bytes.length + ARRAY_ELEMENTS_ALLOWANCE;
		setObjectInputFilter(this::check);
	}

	/** Why the filter refused the data, or null if it did not. */
	@Nullable String rejection() {
		return this.rejection;
	}

	private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
		if (info.depth() > this.maxDepth) {
			return reject("nests deeper than " + this.maxDepth + " levels, the limit of JavaSessionSerializer");
		}
		if (info.arrayLength() >= 0) {
			this.arrayElementsLeft -= info.arrayLength();
			if (this.arrayElementsLeft < 0) {
				return reject("declares arrays of more elements (" + info.arrayLength() + " in one) than its "
						+ this.length + " bytes could hold");
			}
		}
		Class<?> type = info.serialClass();
		if (type == null) {
			return ObjectInputFilter.Status.UNDECIDED;
		}
		ObjectInputFilter.Status status = this.classFilter.checkInput(info);
		if (status == ObjectInputFilter.Status.REJECTED) {
			while (type.isArray()) {
				type = type.getComponentType();
			}
			return reject("holds " + type.getName() + ", which is not allowed by session.allowed-classes");
		}
		return status;
	}

	private ObjectInputFilter.Status reject(String reason) {
		if (this.rejection == null) {
			this.rejection = reason;
		}
		return ObjectInputFilter.Status.REJECTED;
	}

	@Override
	protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
		try {
			return Class.forName(desc.getName(), false, this.classLoader);
		}
		catch (ClassNotFoundException ex) {
			return super.resolveClass(desc);
		}
	}

	@Override
	protected Class<?> resolveProxyClass(String[] interfaces) throws ClassNotFoundException {
		throw new ClassNotFoundException("proxies are never deserialized from a session");
	}

}
