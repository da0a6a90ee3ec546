package io.github.webpysession.store.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.webpysession.store.SessionKeys;
import org.jspecify.annotations.Nullable;

/**
 * The layout of a disk store's folder: which names are the store's own, and how a file is
 * written so that no one sees it half-written and only its owner can read it.
 * <ul>
 * <li>A session's file is named by its id, 32 to 128 lowercase hex digits, in the
 * sub-folder named by the id's first two; a file being written is named by the id, a
 * random number and {@code .tmp}, beside it.</li>
 * <li>The index of sessions by principal name is a folder {@code principals}, holding one
 * sub-folder per name, named by the SHA-256 digest of the name in hex (so that any name,
 * {@code ../} or a thousand characters, makes a file name, and none shows at rest),
 * holding one empty file per session of that name, named by the session's id.</li>
 * <li>Nothing else is the store's: the folder may hold other files, even be the
 * application's own.</li>
 * <li>On a POSIX file system, files are created 0600 and the folders the store creates
 * 0700, so that other local users can neither read sessions nor list their names. A
 * folder that exists already keeps its permissions.</li>
 * </ul>
 */
final class SessionFiles {

	/** What a file in one of the store's sub-folders is to the store. */
	enum Kind {

		/** A session's file. */
		SESSION,

		/** A file being written, or left half-written by a crash. */
		TEMP

	}

	private static final String TEMP_SUFFIX = ".tmp";

	/** The largest file that a read reads whole: more than a byte array holds is none. */
	private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

	private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

	/** What {@link #isId} accepts, checked there without a regular expression. */
	private static final Pattern ID = Pattern.compile("[0-9a-f]{32,128}");

	private static final Pattern FOLDER = Pattern.compile("[0-9a-f]{2}");

	private static final String PRINCIPALS = "principals";

	private static final Pattern PRINCIPAL_FOLDER = Pattern.compile("[0-9a-f]{64}");

	private static final Pattern TEMP = Pattern.compile("(" + ID.pattern() + ")\\.[0-9a-f]{1,20}\\" + TEMP_SUFFIX);

	private final Path directory;

	private final FileAttribute<?>[] fileAttributes;

	private final FileAttribute<?>[] folderAttributes;

	SessionFiles(Path directory) {
		this.directory = directory;
		boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
		this.fileAttributes = posix ? ownerOnly("rw-------") : new FileAttribute<?>[0];
		this.folderAttributes = posix ? ownerOnly("rwx------") : new FileAttribute<?>[0];
	}

	private static FileAttribute<?>[] ownerOnly(String permissions) {
		return new FileAttribute<?>[] {
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) };
	}

	/**
	 * Whether the store may keep a session under {@code id}: whether it is a name of the
	 * store's.
	 */
	static boolean isId(String id) {
		int length = id.length();
		if (length < 32 || length > 128) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = id.charAt(i);
			if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
				return false;
			}
		}
		return true;
	}

	/** The file of session {@code id}, which must be {@link #isId an id}. */
	Path fileOf(String id) {
		return this.directory.resolve(id.substring(0, 2)).resolve(id);
	}

	/** The folder of the index by principal name. */
	Path principalsFolder() {
		return this.directory.resolve(PRINCIPALS);
	}

	/** The folder that indexes the sessions of {@code principalName}. */
	Path principalFolderOf(String principalName) {
		return principalsFolder().resolve(digest(principalName));
	}

	/**
	 * The index entry of session {@code id}, which must be {@link #isId an id}, under
	 * {@code principalName}.
	 */
	Path entryOf(String principalName, String id) {
		return principalFolderOf(principalName).resolve(id);
	}

	private static String digest(String principalName) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(principalName.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

	/**
	 * Whether {@code path} is the index's folder of one principal name: a folder named by
	 * a digest.
	 */
	static boolean isPrincipalFolder(Path path) {
		return PRINCIPAL_FOLDER.matcher(path.getFileName().toString()).matches()
				&& Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * Whether {@code path}, in a {@link #isPrincipalFolder principal folder}, is an index
	 * entry: a file named by an id.
	 */
	static boolean isEntry(Path path) {
		return isId(path.getFileName().toString()) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * Creates the index entry {@code entry}, an empty owner-only file, and the folders it
	 * needs; an entry that exists already stays. Tries again when the cleanup removes its
	 * folder, left empty, meanwhile.
	 */
	void createEntry(Path entry) throws IOException {
		if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		for (int attempt = 1;; attempt++) {
			try {
				Files.createFile(entry, this.fileAttributes);
				return;
			}
			catch (FileAlreadyExistsException ex) {
				return;
			}
			catch (NoSuchFileException ex) {
				if (attempt == 3) {
					throw ex;
				}
				createFolder(this.directory);
				createFolder(entry.getParent().getParent());
				createFolder(entry.getParent());
			}
		}
	}

	/** Whether {@code path} is one of the store's sub-folders. */
	static boolean isOwnFolder(Path path) {
		return FOLDER.matcher(path.getFileName().toString()).matches()
				&& Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * What a file of one of the store's sub-folders is to the store; null if it is not
	 * the store's.
	 */
	static @Nullable Kind kindOf(Path file) {
		String folder = file.getParent().getFileName().toString();
		String name = file.getFileName().toString();
		if (!name.startsWith(folder) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		if (isId(name)) {
			return Kind.SESSION;
		}
		Matcher temp = TEMP.matcher(name);
		return (temp.matches() && temp.group(1).startsWith(folder)) ? Kind.TEMP : null;
	}

	/**
	 * Creates {@code folder} owner-only if it is missing; its missing parents as the file
	 * system makes them.
	 */
	void createFolder(Path folder) throws IOException {
		if (Files.isDirectory(folder)) {
			return;
		}
		Files.createDirectories(folder.getParent());
		try {
			Files.createDirectory(folder, this.folderAttributes);
		}
		catch (FileAlreadyExistsException ex) {
			if (!Files.isDirectory(folder)) {
				throw ex;
			}
		}
	}

	/**
	 * The first {@code limit} bytes of {@code file}, or all of it if it is shorter; null
	 * if there is no such file. One opening, one size and as few reads as the bytes need:
	 * a session's file is never written in place but replaced whole (see {@link #write}),
	 * so the size that its opening finds is all there is to read.
	 */
	static byte @Nullable [] read(Path file, int limit) throws IOException {
		FileChannel channel;
		try {
			channel = FileChannel.open(file, StandardOpenOption.READ);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		try (channel) {
			long size = channel.size();
			if (size > MAX_FILE_BYTES) {
				throw new IOException("file of " + size + " bytes is larger than any session the store writes");
			}
			ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, limit));
			while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
				// until the buffer is full or the file ends
			}
			return buffer.hasRemaining() ? Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
		}
	}

	/**
	 * Writes {@code bytes} to a new temporary file, owner-only from its creation, then
	 * renames it over {@code file}. A failure (no space left, a read-only file system)
	 * deletes the temporary file and leaves {@code file} as it was.
	 */
	void write(Path file, byte[] bytes) throws IOException {
		Path temp = null;
		try {
			temp = writeTemp(file, bytes);
			try {
				Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			if (temp != null) {
				try {
					Files.deleteIfExists(temp);
				}
				catch (IOException cleanup) {
					ex.addSuppressed(cleanup);
				}
			}
			throw ex;
		}
	}

	/**
	 * Writes {@code bytes} to a new temporary file beside {@code file}, created
	 * owner-only and written in one opening, and returns it. A name taken already is
	 * drawn again; a missing folder is created.
	 */
	private Path writeTemp(Path file, byte[] bytes) throws IOException {
		for (int attempt = 1;; attempt++) {
			Path temp = file.resolveSibling(
					file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
			SeekableByteChannel channel;
			try {
				channel = Files.newByteChannel(temp, NEW_FILE, this.fileAttributes);
			}
			catch (FileAlreadyExistsException ex) {
				if (attempt == 3) {
					throw ex;
				}
				continue;
			}
			catch (NoSuchFileException ex) {
				if (attempt == 3) {
					throw ex;
				}
				createFolder(this.directory);
				createFolder(file.getParent());
				continue;
			}
			try (channel) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
			}
			catch (IOException ex) {
				try {
					Files.deleteIfExists(temp);
				}
				catch (IOException cleanup) {
					ex.addSuppressed(cleanup);
				}
				throw ex;
			}
			return temp;
		}
	}

	/**
	 * A session file's sub-folder and the start of its name: enough to find it, too
	 * little to use the id.
	 */
	static String describe(Path file) {
		return file.getParent().getFileName() + "/" + SessionKeys.abbreviate(file.getFileName().toString());
	}

}
