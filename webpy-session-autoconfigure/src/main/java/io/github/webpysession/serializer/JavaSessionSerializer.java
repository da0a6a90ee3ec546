package io.github.webpysession.serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default serializer: Java serialization, made safe and reload-proof.
 * <ul>
 * <li>Only classes on an allow-list are deserialized (a JEP 290 {@link ObjectInputFilter} that
 * rejects everything else before it is instantiated): the JDK's value types and collections,
 * plus the patterns given, by default the application's own packages.</li>
 * <li>Classes resolve through the application's class loader, not the one that loaded this
 * class, so sessions survive a Spring Boot DevTools restart: web.py's "reloading" problem.</li>
 * </ul>
 */
public final class JavaSessionSerializer implements SessionSerializer {

	/** The JDK's value types and collections, always allowed. */
	public static final List<String> JDK_VALUE_TYPES = List.of("java.lang.*", "java.util.*", "java.time.*",
			"java.math.*");

	private static final int FORMAT = 1;

	private final ClassLoader classLoader;

	private final ObjectInputFilter filter;

	/**
	 * @param classLoader the application's class loader, which resolves the classes of values
	 * @param allowedClasses {@link ObjectInputFilter} patterns ({@code com.example.*} for a
	 * package, {@code com.example.**} with sub-packages) allowed besides {@link #JDK_VALUE_TYPES}
	 */
	public JavaSessionSerializer(ClassLoader classLoader, List<String> allowedClasses) {
		this.classLoader = classLoader;
		List<String> patterns = new ArrayList<>(JDK_VALUE_TYPES);
		patterns.addAll(allowedClasses);
		patterns.add("!*");
		this.filter = ObjectInputFilter.Config.createFilter(String.join(";", patterns));
	}

	@Override
	public byte[] serialize(SessionData data) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeInt(FORMAT);
			out.writeLong(data.created().toEpochMilli());
			out.writeObject(data.ip());
			out.writeObject(new HashMap<>(data.attributes()));
		}
		catch (NotSerializableException ex) {
			throw new IllegalArgumentException("A session value is not Serializable: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not serialize the session", ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public SessionData deserialize(byte[] bytes) {
		try (ObjectInputStream in = new FilteredObjectInputStream(new ByteArrayInputStream(bytes))) {
			int format = in.readInt();
			if (format != FORMAT) {
				throw new UnreadableSessionException("unknown session data format " + format);
			}
			Instant created = Instant.ofEpochMilli(in.readLong());
			String ip = (String) in.readObject();
			@SuppressWarnings("unchecked")
			Map<String, Object> attributes = (Map<String, Object>) in.readObject();
			return new SessionData(created, ip, attributes);
		}
		catch (InvalidClassException ex) {
			throw new UnreadableSessionException("session data names a class that is not allowed or not compatible: "
					+ ex.getMessage(), ex);
		}
		catch (IOException | ClassNotFoundException | ClassCastException | NullPointerException ex) {
			throw new UnreadableSessionException("session data is not readable: " + ex, ex);
		}
	}

	private final class FilteredObjectInputStream extends ObjectInputStream {

		FilteredObjectInputStream(InputStream in) throws IOException {
			super(in);
			setObjectInputFilter(JavaSessionSerializer.this.filter);
		}

		@Override
		protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
			try {
				return Class.forName(desc.getName(), false, JavaSessionSerializer.this.classLoader);
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

	@Override
	public String toString() {
		return "JavaSessionSerializer[" + this.filter + "]";
	}

}
