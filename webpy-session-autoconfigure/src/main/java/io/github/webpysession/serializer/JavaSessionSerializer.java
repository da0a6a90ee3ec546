package io.github.webpysession.serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The default serializer: the JDK's value types in a compact form of their own, and Java
 * serialization, made safe and reload-proof, for the rest.
 * <ul>
 * <li>Strings, numbers, booleans, UUIDs, {@code java.time} values, dates, {@code byte[]}
 * and {@code ArrayList}, {@code HashSet}, {@code LinkedHashSet} and {@code HashMap} of
 * them are written by {@link CompactValueCodec}, and read back, as exactly their classes,
 * without Java serialization; only the values of other classes go through it and its
 * allow-list (format {@value CompactSessionFormat#FORMAT}). Data that earlier versions
 * wrote, Java-serialized throughout, still reads.</li>
 * <li>Only classes on an allow-list are deserialized (a JEP 290 {@link ObjectInputFilter}
 * that rejects everything else before it is instantiated): the JDK's value types and
 * collections, plus the patterns given, by default the application's own packages.</li>
 * <li>Stored data may nest at most {@value #MAX_DEPTH} levels, and may not declare arrays
 * larger than its own length could fill, so that no data, however forged, can exhaust the
 * stack or the heap.</li>
 * <li>Whatever fails while reading, in the stream or in a class's own {@code readObject}
 * or {@code readResolve}, is an {@link UnreadableSessionException}: the session starts
 * anew.</li>
 * <li>A value that could not be read back (not {@code Serializable}, outside the
 * allow-list, or nested too deeply) is refused when it is put ({@link #checkValue}) or
 * saved: never stored, to lose the whole session at its next load.</li>
 * <li>Classes resolve through the application's class loader, not the one that loaded
 * this class, so sessions survive a Spring Boot DevTools restart: web.py's "reloading"
 * problem.</li>
 * </ul>
 */
public final class JavaSessionSerializer implements SessionSerializer {

	/** The JDK's value types and collections, always allowed. */
	public static final List<String> JDK_VALUE_TYPES = List.of("java.lang.*", "java.util.*", "java.time.*",
			"java.math.*");

	/**
	 * How deeply stored data may nest, counted as
	 * {@link ObjectInputFilter.FilterInfo#depth()} counts: the attribute map is level 1,
	 * its values level 2, and each object held, or serializable superclass, one more.
	 * Deeper data is refused when saved and when read.
	 */
	public static final int MAX_DEPTH = 100;

	/**
	 * Format 2, Java-serialized throughout, added the principal name after the client
	 * address; format 1 and 2 data still reads.
	 */
	private static final int FORMAT = 2;

	private static final int FORMAT_WITHOUT_PRINCIPAL = 1;

	/**
	 * Immutable JDK values that can always be read back: checked without serializing
	 * them.
	 */
	private static final Set<Class<?>> PLAIN_VALUES = Set.of(String.class, Integer.class, Long.class, Short.class,
			Byte.class, Character.class, Boolean.class, Double.class, Float.class, BigInteger.class, BigDecimal.class,
			UUID.class, Instant.class, Duration.class, LocalDate.class, LocalTime.class, LocalDateTime.class);

	private final ClassLoader classLoader;

	private final ObjectInputFilter classFilter;

	/** The values of format 3 that are not compact: Java-serialized, in one map. */
	private final CompactSessionFormat.JavaAttributes javaAttributes = new CompactSessionFormat.JavaAttributes() {

		@Override
		public byte[] write(Map<String, Object> attributes) {
			return writeJava(attributes);
		}

		@Override
		public Map<String, Object> read(byte[] bytes) {
			return readJava(bytes, JavaSessionSerializer::readAttributes);
		}

	};

	/**
	 * @param classLoader the application's class loader, which resolves the classes of
	 * values
	 * @param allowedClasses {@link ObjectInputFilter} class patterns
	 * ({@code com.example.*} for a package, {@code com.example.**} with sub-packages)
	 * allowed besides {@link #JDK_VALUE_TYPES}
	 * @throws IllegalArgumentException if a pattern is a filter limit
	 * ({@code maxdepth=...}): those are this serializer's own
	 */
	public JavaSessionSerializer(ClassLoader classLoader, List<String> allowedClasses) {
		this.classLoader = classLoader;
		List<String> patterns = new ArrayList<>(JDK_VALUE_TYPES);
		for (String pattern : allowedClasses) {
			if (pattern.contains("=")) {
				throw new IllegalArgumentException("session.allowed-classes takes class patterns, but '" + pattern
						+ "' is a filter limit, which JavaSessionSerializer sets itself; remove it");
			}
			patterns.add(pattern);
		}
		patterns.add("!*");
		this.classFilter = ObjectInputFilter.Config.createFilter(String.join(";", patterns));
	}

	/**
	 * Immutable JDK values pass at once; any other value is serialized, to nowhere,
	 * through the same checks as a save.
	 * @throws UnstorableValueException if the value could not be read back
	 */
	@Override
	public void checkValue(String key, @Nullable Object value) {
		if (value == null || PLAIN_VALUES.contains(value.getClass())) {
			return;
		}
		try (CheckingObjectOutputStream out = new CheckingObjectOutputStream(OutputStream.nullOutputStream(),
				this.classFilter, MAX_DEPTH, 1, key)) {
			out.write(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Writes format {@value CompactSessionFormat#FORMAT}: the JDK's value types in a
	 * compact form of their own, the other values Java-serialized.
	 * @throws UnstorableValueException if a value could not be read back, naming its key
	 */
	@Override
	public byte[] serialize(SessionData data) {
		return CompactSessionFormat.write(data, this.javaAttributes);
	}

	private byte[] writeJava(Map<String, Object> attributes) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (CheckingObjectOutputStream out = new CheckingObjectOutputStream(bytes, this.classFilter, MAX_DEPTH, 0,
				null)) {
			for (Object value : attributes.values()) {
				out.checkClassOf(value);
			}
			out.write(attributes);
		}
		catch (UnstorableValueException ex) {
			throw withKey(attributes, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** The same refusal, naming the first key whose value alone is refused. */
	private UnstorableValueException withKey(Map<String, Object> attributes, UnstorableValueException refusal) {
		for (Map.Entry<String, Object> entry : attributes.entrySet()) {
			try {
				checkValue(entry.getKey(), entry.getValue());
			}
			catch (UnstorableValueException ex) {
				return ex;
			}
		}
		return refusal;
	}

	/**
	 * Reads format {@value CompactSessionFormat#FORMAT}, and the Java-serialized formats
	 * 1 and 2 that earlier versions wrote.
	 */
	@Override
	public SessionData deserialize(byte[] bytes) {
		if (!CompactSessionFormat.claims(bytes)) {
			return readJava(bytes, JavaSessionSerializer::read);
		}
		try {
			return CompactSessionFormat.read(bytes, this.javaAttributes);
		}
		catch (UnreadableSessionException ex) {
			throw ex;
		}
		catch (RuntimeException | StackOverflowError ex) {
			throw new UnreadableSessionException("session data could not be read: " + ex, ex);
		}
	}

	private <T> T readJava(byte[] bytes, JavaReader<T> reader) {
		LimitedObjectInputStream in = null;
		try {
			// reads an array in memory: nothing to close
			in = new LimitedObjectInputStream(bytes, this.classLoader, this.classFilter, MAX_DEPTH);
			return reader.read(in);
		}
		catch (UnreadableSessionException ex) {
			throw ex;
		}
		catch (InvalidClassException ex) {
			throw unreadable(in, "names a class that is not allowed or not compatible: " + ex.getMessage(), ex);
		}
		catch (IOException | ClassNotFoundException ex) {
			throw unreadable(in, "is not readable: " + ex, ex);
		}
		catch (RuntimeException ex) {
			throw unreadable(in, "could not be read: " + ex, ex);
		}
		catch (StackOverflowError ex) {
			throw unreadable(in, "nests too deeply to be read (" + ex + ")", ex);
		}
		catch (LinkageError ex) {
			throw unreadable(in, "names a class that cannot be loaded: " + ex, ex);
		}
	}

	private static SessionData read(LimitedObjectInputStream in) throws IOException, ClassNotFoundException {
		int format = in.readInt();
		if (format != FORMAT && format != FORMAT_WITHOUT_PRINCIPAL) {
			throw new UnreadableSessionException("unknown session data format " + format);
		}
		Instant created = Instant.ofEpochMilli(in.readLong());
		String ip = readString(in, "the client address");
		String principalName = (format == FORMAT) ? readString(in, "the principal name") : null;
		return new SessionData(created, ip, principalName, readAttributes(in));
	}

	private static Map<String, Object> readAttributes(LimitedObjectInputStream in)
			throws IOException, ClassNotFoundException {
		Object read = in.readObject();
		if (!(read instanceof Map<?, ?> map)) {
			throw new UnreadableSessionException("session data holds "
					+ ((read != null) ? "a " + read.getClass().getName() : "null") + " where its attributes should be");
		}
		Map<String, Object> attributes = new HashMap<>(map.size());
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!(entry.getKey() instanceof String key)) {
				throw new UnreadableSessionException("session data has an attribute key that is not a String");
			}
			attributes.put(key, entry.getValue());
		}
		return attributes;
	}

	private static @Nullable String readString(LimitedObjectInputStream in, String what)
			throws IOException, ClassNotFoundException {
		Object read = in.readObject();
		if (read != null && !(read instanceof String)) {
			throw new UnreadableSessionException(
					"session data holds a " + read.getClass().getName() + " where " + what + " should be");
		}
		return (String) read;
	}

	private static UnreadableSessionException unreadable(@Nullable LimitedObjectInputStream in, String problem,
			Throwable cause) {
		String rejection = (in != null) ? in.rejection() : null;
		return new UnreadableSessionException("session data " + ((rejection != null) ? rejection : problem), cause);
	}

	/** One read from a Java-serialized stream. */
	private interface JavaReader<T> {

		T read(LimitedObjectInputStream in) throws IOException, ClassNotFoundException;

	}

	@Override
	public String toString() {
		return "JavaSessionSerializer[" + this.classFilter + "]";
	}

}
