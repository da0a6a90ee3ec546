package io.github.webpysession.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system of a few megabytes (a {@code tmpfs}) that a test mounts for itself,
 * so that a store's files can run out of space or turn read-only in the middle of its
 * work, and come back. Permission bits cannot fake either for root, who ignores them; a
 * full or read-only mount stops root too.
 * <p>
 * Mounting needs root ({@code mount(8)}): where it fails, the test is skipped with a
 * message saying why, unless the system property {@code webpysession.require-services} is
 * true (as {@code .ci/run} sets it), where it fails. Typical use: <pre>{@code
 * static SmallFileSystem disk;
 * &#64;BeforeAll static void mount() { disk = SmallFileSystem.mount("2m"); }

 * &#64;AfterEach void repair() { disk.repair(); }
 *
&#64;AfterAll static void unmount() { disk.close(); }
 * }</pre>
 */
public final class SmallFileSystem implements AutoCloseable {

	private static final String FILLER = "filler";

	private final Path root;

	private final Thread unmountAtExit;

	private boolean mounted = true;

	private SmallFileSystem(Path root) {
		this.root = root;
		this.unmountAtExit = new Thread(() -> run(List.of("umount", "-l", root.toString())), "unmount " + root);
		Runtime.getRuntime().addShutdownHook(this.unmountAtExit);
	}

	/**
	 * Mounts a new {@code tmpfs} of {@code size} ({@code mount -o size=}: {@code 2m},
	 * {@code 512k}) on a new folder in the system's temporary folder; skips or fails the
	 * test where it cannot.
	 */
	public static SmallFileSystem mount(String size) {
		Path root;
		try {
			root = Files.createTempDirectory("webpy-small-fs-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String problem = run(
				List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", root.toString()));
		if (problem != null) {
			deleteQuietly(root);
			String message = "Cannot mount a tmpfs of " + size + " on " + root + " (" + problem + ")";
			if (Boolean.getBoolean("webpysession.require-services")) {
				Assertions.fail(message + "; webpysession.require-services is true, so this test may not be skipped");
			}
			Assumptions
				.abort(message + "; skipping. Run the tests as root (or in .ci/run's container) to run this test");
		}
		return new SmallFileSystem(root);
	}

	/**
	 * The folder the file system is mounted on: empty when mounted, apart from what tests
	 * put there.
	 */
	public Path root() {
		return this.root;
	}

	/**
	 * Takes every free block with a filler file at the root, so that any write that needs
	 * more space fails with "No space left on device"; files keep what they hold, and
	 * rewriting bytes that a file already has may still succeed. Calling it again fills
	 * what was freed since.
	 */
	public void fill() {
		Path filler = this.root.resolve(FILLER);
		try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND)) {
			for (int chunk = 64 * 1024; chunk > 0; chunk /= 4) {
				ByteBuffer bytes = ByteBuffer.allocate(chunk);
				try {
					while (true) {
						bytes.clear();
						while (bytes.hasRemaining()) {
							channel.write(bytes);
						}
					}
				}
				catch (IOException ex) {
					if (!String.valueOf(ex.getMessage()).contains("No space left")) {
						throw ex;
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot fill " + this.root, ex);
		}
	}

	/** Deletes the filler file that {@link #fill()} wrote: the space is free again. */
	public void empty() {
		try {
			Files.deleteIfExists(this.root.resolve(FILLER));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot empty " + this.root, ex);
		}
	}

	/**
	 * Remounts the file system read-only: every later write, create, rename or delete
	 * fails with "Read-only file system", for root too. Fails if a file on it is open for
	 * writing (the kernel refuses, "busy"): a shelf store must be closed first, or use
	 * {@link #fill()} instead.
	 */
	public void readOnly() {
		remount("ro");
	}

	/** Remounts the file system writable again, after {@link #readOnly()}. */
	public void writable() {
		remount("rw");
	}

	/**
	 * Undoes {@link #fill()} and {@link #readOnly()}: what a test's {@code @AfterEach}
	 * calls.
	 */
	public void repair() {
		writable();
		empty();
	}

	/**
	 * Unmounts the file system (lazily, should a file still be open on it) and deletes
	 * its folder.
	 */
	@Override
	public void close() {
		if (!this.mounted) {
			return;
		}
		this.mounted = false;
		@Nullable String problem = run(List.of("umount", this.root.toString()));
		if (problem != null) {
			problem = run(List.of("umount", "-l", this.root.toString()));
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.unmountAtExit);
		}
		catch (IllegalStateException ex) {
			// the JVM is exiting: the hook runs anyway
		}
		if (problem != null) {
			throw new IllegalStateException("Cannot unmount " + this.root + ": " + problem);
		}
		deleteQuietly(this.root);
	}

	private void remount(String mode) {
		String problem = run(List.of("mount", "-o", "remount," + mode, this.root.toString()));
		if (problem != null) {
			throw new IllegalStateException("Cannot remount " + this.root + " " + mode + ": " + problem);
		}
	}

	/** Runs a command; null if it succeeded, else what went wrong. */
	private static @Nullable String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return String.join(" ", command) + " did not finish";
			}
			return (process.exitValue() == 0) ? null
					: String.join(" ", command) + " exited with " + process.exitValue() + ": " + output;
		}
		catch (IOException ex) {
			return String.join(" ", command) + ": " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return String.join(" ", command) + " interrupted";
		}
	}

	private static void deleteQuietly(Path folder) {
		try {
			Files.deleteIfExists(folder);
		}
		catch (IOException ex) {
			// a folder left in the temporary folder harms nothing
		}
	}

	@Override
	public String toString() {
		return "tmpfs on " + this.root;
	}

}
