package io.github.webpysession.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code session.*} property: web.py's {@code session_parameters}, and what the
 * starter adds.
 */
@ConfigurationProperties("session")
public class SessionProperties {

	/**
	 * Where sessions are kept: disk (one file per session), jdbc (one table in the
	 * application's database), redis (Spring Boot's Redis connection), shelf (one
	 * embedded key-value file) or memory.
	 */
	private StoreType store = StoreType.DISK;

	/**
	 * Name of the cookie that carries the session id.
	 */
	private String cookieName = "webpy_session_id";

	/**
	 * Domain of the session cookie; none by default, so it goes to the host that set it
	 * only.
	 */
	private @Nullable String cookieDomain;

	/**
	 * Path of the session cookie; by default "/", or the servlet context path when one is
	 * set.
	 */
	private @Nullable String cookiePath;

	/**
	 * Max-Age of the session cookie; none by default, so the cookie lasts the browser
	 * session. When set, the cookie is sent again whenever the session's access time is
	 * stored, so that it lives as long as the session. A bare number is seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration cookieMaxAge;

	/**
	 * Idle time after which a session expires. A bare number is seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration timeout = Duration.ofHours(24);

	/**
	 * Whether an expired or unknown session silently starts anew. When false, such a
	 * request gets the expired message instead.
	 */
	private boolean ignoreExpiry = true;

	/**
	 * Whether a session may be used from another client IP than the one that started it.
	 * When false, such a request gets the expired message. The IP is the request's remote
	 * address, so behind a proxy set server.forward-headers-strategy.
	 */
	private boolean ignoreChangeIp = true;

	/**
	 * Key that signs the session cookie with HMAC-SHA256, at least 16 bytes. Without one,
	 * the cookie carries the bare random id.
	 */
	private @Nullable String secretKey;

	/**
	 * Keys that still verify signed cookies but no longer sign them, for rotating the
	 * secret key without logging anyone out.
	 */
	private List<String> previousSecretKeys = new ArrayList<>();

	/**
	 * Body of the answer to a request whose session expired, when ignore-expiry is false.
	 */
	private String expiredMessage = "Session expired";

	/**
	 * Whether the session cookie is hidden from scripts.
	 */
	private boolean httponly = true;

	/**
	 * Whether the session cookie is sent over HTTPS only.
	 */
	private boolean secure = false;

	/**
	 * SameSite attribute of the session cookie: Strict, Lax or None.
	 */
	private SameSite samesite = SameSite.LAX;

	/**
	 * Absolute lifetime of a session since its creation, however active it is; none by
	 * default.
	 */
	private @Nullable Duration maxLifetime;

	/**
	 * Whether requests of one session run one at a time, so that read-modify-write
	 * handlers never lose a concurrent update. A request that never uses its session does
	 * not wait.
	 */
	private boolean lock = false;

	/**
	 * With lock, how long a request waits for the other requests of its session before it
	 * is answered 503. A bare number is seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration lockTimeout = Duration.ofSeconds(10);

	/**
	 * Largest serialized session that a save accepts.
	 */
	private DataSize maxSize = DataSize.ofMegabytes(1);

	/**
	 * Class-name patterns (ObjectInputFilter syntax: "com.example.*" for a package,
	 * "com.example.**" with its sub-packages) that session values may be instances of,
	 * besides the JDK's value types and collections. Empty: the application's own
	 * packages.
	 */
	private List<String> allowedClasses = new ArrayList<>();

	/**
	 * Whether request.getSession() is the same session as Session, in every filter
	 * (Spring Security's included), servlet and handler, and Spring MVC's flash
	 * attributes live in it. When false, the container keeps its own HttpSession beside
	 * it.
	 */
	private boolean httpSession = true;

	/**
	 * How many live sessions one principal (a logged-in user) may have: at a login beyond
	 * it, that principal's least recently used sessions are killed, across every instance
	 * sharing the store. None by default.
	 */
	private @Nullable Integer maxSessionsPerPrincipal;

	/**
	 * How often expired sessions are removed from the store, in the background.
	 */
	private Duration cleanupInterval = Duration.ofMinutes(10);

	private final Disk disk = new Disk();

	private final Jdbc jdbc = new Jdbc();

	private final Shelf shelf = new Shelf();

	private final Redis redis = new Redis();

	public StoreType getStore() {
		return this.store;
	}

	public void setStore(StoreType store) {
		this.store = store;
	}

	public String getCookieName() {
		return this.cookieName;
	}

	public void setCookieName(String cookieName) {
		this.cookieName = cookieName;
	}

	public @Nullable String getCookieDomain() {
		return this.cookieDomain;
	}

	public void setCookieDomain(@Nullable String cookieDomain) {
		this.cookieDomain = cookieDomain;
	}

	public @Nullable String getCookiePath() {
		return this.cookiePath;
	}

	public void setCookiePath(@Nullable String cookiePath) {
		this.cookiePath = cookiePath;
	}

	public @Nullable Duration getCookieMaxAge() {
		return this.cookieMaxAge;
	}

	public void setCookieMaxAge(@Nullable Duration cookieMaxAge) {
		Assert.isTrue(cookieMaxAge == null || cookieMaxAge.compareTo(Duration.ZERO) > 0,
				() -> "session.cookie-max-age must be positive, was " + cookieMaxAge);
		this.cookieMaxAge = cookieMaxAge;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		Assert.isTrue(timeout.compareTo(Duration.ZERO) > 0, () -> "session.timeout must be positive, was " + timeout);
		this.timeout = timeout;
	}

	public @Nullable Integer getMaxSessionsPerPrincipal() {
		return this.maxSessionsPerPrincipal;
	}

	public void setMaxSessionsPerPrincipal(@Nullable Integer maxSessionsPerPrincipal) {
		Assert.isTrue(maxSessionsPerPrincipal == null || maxSessionsPerPrincipal > 0,
				() -> "session.max-sessions-per-principal must be positive, was " + maxSessionsPerPrincipal);
		this.maxSessionsPerPrincipal = maxSessionsPerPrincipal;
	}

	public boolean isHttpSession() {
		return this.httpSession;
	}

	public void setHttpSession(boolean httpSession) {
		this.httpSession = httpSession;
	}

	public boolean isIgnoreExpiry() {
		return this.ignoreExpiry;
	}

	public void setIgnoreExpiry(boolean ignoreExpiry) {
		this.ignoreExpiry = ignoreExpiry;
	}

	public boolean isIgnoreChangeIp() {
		return this.ignoreChangeIp;
	}

	public void setIgnoreChangeIp(boolean ignoreChangeIp) {
		this.ignoreChangeIp = ignoreChangeIp;
	}

	public @Nullable String getSecretKey() {
		return this.secretKey;
	}

	public void setSecretKey(@Nullable String secretKey) {
		this.secretKey = secretKey;
	}

	public List<String> getPreviousSecretKeys() {
		return this.previousSecretKeys;
	}

	public void setPreviousSecretKeys(List<String> previousSecretKeys) {
		this.previousSecretKeys = previousSecretKeys;
	}

	public String getExpiredMessage() {
		return this.expiredMessage;
	}

	public void setExpiredMessage(String expiredMessage) {
		this.expiredMessage = expiredMessage;
	}

	public boolean isHttponly() {
		return this.httponly;
	}

	public void setHttponly(boolean httponly) {
		this.httponly = httponly;
	}

	public boolean isSecure() {
		return this.secure;
	}

	public void setSecure(boolean secure) {
		this.secure = secure;
	}

	public SameSite getSamesite() {
		return this.samesite;
	}

	public void setSamesite(SameSite samesite) {
		this.samesite = samesite;
	}

	public @Nullable Duration getMaxLifetime() {
		return this.maxLifetime;
	}

	public void setMaxLifetime(@Nullable Duration maxLifetime) {
		Assert.isTrue(maxLifetime == null || maxLifetime.compareTo(Duration.ZERO) > 0,
				() -> "session.max-lifetime must be positive, was " + maxLifetime);
		this.maxLifetime = maxLifetime;
	}

	public boolean isLock() {
		return this.lock;
	}

	public void setLock(boolean lock) {
		this.lock = lock;
	}

	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		Assert.isTrue(!lockTimeout.isNegative(), () -> "session.lock-timeout must not be negative, was " + lockTimeout);
		this.lockTimeout = lockTimeout;
	}

	public DataSize getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(DataSize maxSize) {
		Assert.isTrue(maxSize.toBytes() > 0, () -> "session.max-size must be positive, was " + maxSize);
		this.maxSize = maxSize;
	}

	public List<String> getAllowedClasses() {
		return this.allowedClasses;
	}

	public void setAllowedClasses(List<String> allowedClasses) {
		this.allowedClasses = allowedClasses;
	}

	public Duration getCleanupInterval() {
		return this.cleanupInterval;
	}

	public void setCleanupInterval(Duration cleanupInterval) {
		Assert.isTrue(cleanupInterval.compareTo(Duration.ZERO) > 0,
				() -> "session.cleanup-interval must be positive, was " + cleanupInterval);
		this.cleanupInterval = cleanupInterval;
	}

	public Disk getDisk() {
		return this.disk;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Shelf getShelf() {
		return this.shelf;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/** The stores {@code session.store} chooses from. */
	public enum StoreType {

		/** One file per session in {@code session.disk.directory}. */
		DISK,

		/** One table, {@code session.jdbc.table-name}, in the application's database. */
		JDBC,

		/** Redis, through Spring Boot's connection ({@code spring.data.redis.*}). */
		REDIS,

		/** One embedded key-value file, {@code session.shelf.file}. */
		SHELF,

		/** The JVM's heap; lost on restart. */
		MEMORY

	}

	/** The cookie's SameSite attribute. */
	public enum SameSite {

		STRICT("Strict"), LAX("Lax"), NONE("None");

		private final String attributeValue;

		SameSite(String attributeValue) {
			this.attributeValue = attributeValue;
		}

		/** The value as the Set-Cookie header spells it. */
		public String attributeValue() {
			return this.attributeValue;
		}

	}

	/** The disk store. */
	public static class Disk {

		/**
		 * Folder of the disk store, relative to the working directory; created if
		 * missing.
		 */
		private Path directory = Path.of("sessions");

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

	}

	/** The Redis store. */
	public static class Redis {

		/**
		 * Prefix of the Redis store's keys, so that several applications can share one
		 * Redis database.
		 */
		private String keyPrefix = "webpy:session:";

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

	}

	/** The JDBC store. */
	public static class Jdbc {

		/**
		 * Table of the JDBC store.
		 */
		private String tableName = "sessions";

		/**
		 * Whether the starter creates and migrates its table with its own Flyway
		 * migrations: always, or never when a DBA owns the schema.
		 */
		private InitializeSchema initializeSchema = InitializeSchema.ALWAYS;

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public InitializeSchema getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(InitializeSchema initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		/** When the starter migrates its table. */
		public enum InitializeSchema {

			/** At every startup; a no-op once the table is current. */
			ALWAYS,

			/** Never: the table is created by hand (the README has the DDL). */
			NEVER

		}

	}

	/** The shelf store. */
	public static class Shelf {

		/**
		 * File of the shelf store, relative to the working directory.
		 */
		private Path file = Path.of("session.shelf");

		public Path getFile() {
			return this.file;
		}

		public void setFile(Path file) {
			this.file = file;
		}

	}

}
