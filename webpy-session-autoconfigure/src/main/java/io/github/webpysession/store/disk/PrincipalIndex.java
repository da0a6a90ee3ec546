package io.github.webpysession.store.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.StripedLocks;
import org.jspecify.annotations.Nullable;

/**
 * A disk store's index of sessions by principal name: an empty file per session in the
 * folder of its name ({@link SessionFiles}). The entry is a hint, the session's file the
 * truth: the store writes a session's entry before its file and removes it after, so that
 * a crash in between leaves at worst an entry whose session is gone or names another
 * principal, never a session that its name does not find.
 * {@link DiskSessionStore#findByPrincipalName} answers no such entry and removes it; the
 * cleanup removes those whose session is gone ({@link #removeOrphans()}).
 */
final class PrincipalIndex {

	private final SessionFiles files;

	private final StripedLocks locks;

	/**
	 * @param locks the store's locks of sessions, which every change of a session's entry
	 * holds
	 */
	PrincipalIndex(SessionFiles files, StripedLocks locks) {
		this.files = files;
		this.locks = locks;
	}

	/**
	 * Indexes session {@code id} under {@code principalName}; one indexed already stays.
	 */
	void add(String principalName, String id) throws IOException {
		this.files.createEntry(this.files.entryOf(principalName, id));
	}

	/**
	 * Removes the entry of session {@code id} under {@code principalName}, if there is
	 * one.
	 */
	void remove(String principalName, String id) throws IOException {
		Files.deleteIfExists(this.files.entryOf(principalName, id));
	}

	/**
	 * The sessions that {@code load} finds for the entries under {@code principalName}
	 * and that name it. An entry whose session is gone or names another principal is
	 * removed; one whose session is unreadable stays, for the cleanup to remove with it.
	 * @param load the store's load, which may throw {@link UnreadableSessionException}
	 */
	List<StoredSession> find(String principalName, Function<String, @Nullable StoredSession> load) throws IOException {
		List<StoredSession> found = new ArrayList<>();
		for (String id : idsOf(principalName)) {
			StoredSession session;
			try {
				session = load.apply(id);
			}
			catch (UnreadableSessionException ex) {
				continue;
			}
			if (session == null || !principalName.equals(session.principalName())) {
				session = removeUnlessItMatches(principalName, id, load);
			}
			if (session != null) {
				found.add(session);
			}
		}
		return found;
	}

	/**
	 * Looks at the session again holding its lock, since a write of it may have been
	 * half-way: answers it if it now matches the entry, and otherwise removes the entry,
	 * unless the session is unreadable.
	 */
	private @Nullable StoredSession removeUnlessItMatches(String principalName, String id,
			Function<String, @Nullable StoredSession> load) {
		return this.locks.withLock(id, () -> {
			StoredSession session;
			try {
				session = load.apply(id);
			}
			catch (UnreadableSessionException ex) {
				return null;
			}
			if (session != null && principalName.equals(session.principalName())) {
				return session;
			}
			try {
				remove(principalName, id);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return null;
		});
	}

	/** The ids of the sessions that have an entry under {@code principalName}. */
	private List<String> idsOf(String principalName) throws IOException {
		List<String> ids = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.files.principalFolderOf(principalName),
				SessionFiles::isEntry)) {
			for (Path entry : entries) {
				ids.add(entry.getFileName().toString());
			}
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			// no session was ever indexed under this name, or none is left
		}
		return ids;
	}

	/**
	 * Removes every entry whose session has no file (left by a crash, or by a delete that
	 * could not remove it), then the folders of names that no entry is left in. Touches
	 * nothing in the index folder whose name the store did not give.
	 * @return how many entries were removed
	 */
	int removeOrphans() throws IOException {
		Path principals = this.files.principalsFolder();
		if (!Files.isDirectory(principals, LinkOption.NOFOLLOW_LINKS)) {
			return 0;
		}
		int removed = 0;
		try (DirectoryStream<Path> folders = Files.newDirectoryStream(principals, SessionFiles::isPrincipalFolder)) {
			for (Path folder : folders) {
				removed += removeOrphans(folder);
				deleteIfEmpty(folder);
			}
		}
		catch (NoSuchFileException ex) {
			// the folder went away while we listed it
		}
		return removed;
	}

	private int removeOrphans(Path folder) throws IOException {
		int removed = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, SessionFiles::isEntry)) {
			for (Path entry : entries) {
				if (removeIfOrphan(entry)) {
					removed++;
				}
			}
		}
		catch (NoSuchFileException ex) {
			// the folder went away while we listed it
		}
		return removed;
	}

	/**
	 * Removes {@code entry} if its session has no file, holding the session's lock so
	 * that no create is half-way.
	 */
	private boolean removeIfOrphan(Path entry) {
		String id = entry.getFileName().toString();
		return this.locks.withLock(id, () -> {
			try {
				return !Files.exists(this.files.fileOf(id), LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(entry);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/**
	 * Deletes {@code folder} if nothing is left in it: the file system refuses to delete
	 * it otherwise.
	 */
	private static void deleteIfEmpty(Path folder) throws IOException {
		try {
			Files.delete(folder);
		}
		catch (DirectoryNotEmptyException | NoSuchFileException ex) {
			// still in use, or removed meanwhile
		}
	}

}
