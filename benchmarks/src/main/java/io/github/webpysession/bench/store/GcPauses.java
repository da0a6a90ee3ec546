package io.github.webpysession.bench.store;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The JVM's stop-the-world collections while it listens, each as an interval of
 * {@link System#nanoTime()}: so that a slow request can be told apart as one that a
 * collection paused rather than one that the store made wait. Collections that run beside
 * the application (G1's concurrent cycle) are not pauses and are left out.
 * <p>
 * A collection's times are milliseconds on a clock of the JVM's own, which does not start
 * when {@link java.lang.management.RuntimeMXBean#getUptime() uptime} does (37 ms apart on
 * JDK 17 here, more than a slow request's margin over 50 ms), so the clock is set against
 * {@code nanoTime} by one full collection, whose end {@code System.gc()} returns at: the
 * offset is then right to a millisecond.
 */
final class GcPauses implements NotificationListener, AutoCloseable {

	private static final String CALIBRATION_CAUSE = "System.gc()";

	/** The offset from the collections' clock (ms) to {@code nanoTime} (ns). */
	private volatile long clockToNanos;

	private final List<long[]> pauses = new ArrayList<>();

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	private final CountDownLatch calibrated = new CountDownLatch(1);

	private volatile long calibrationEnd;

	/**
	 * Listens from now on, after one full collection ({@code System.gc()}) that sets the
	 * collections' clock; so this is made before the requests it explains start.
	 */
	GcPauses() throws InterruptedException {
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter && !collector.getName().contains("Concurrent")) {
				emitter.addNotificationListener(this, null, null);
				this.emitters.add(emitter);
			}
		}
		System.gc();
		long returned = System.nanoTime();
		if (!this.calibrated.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("No notification of the System.gc() collection within 10 s");
		}
		this.clockToNanos = returned - this.calibrationEnd * 1_000_000L;
		synchronized (this.pauses) {
			this.pauses.clear();
		}
	}

	@Override
	public void handleNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		if (this.calibrated.getCount() > 0) {
			if (CALIBRATION_CAUSE.equals(info.getGcCause())) {
				this.calibrationEnd = info.getGcInfo().getEndTime();
				this.calibrated.countDown();
			}
			return;
		}
		long start = this.clockToNanos + info.getGcInfo().getStartTime() * 1_000_000L;
		long end = this.clockToNanos + info.getGcInfo().getEndTime() * 1_000_000L;
		synchronized (this.pauses) {
			this.pauses.add(new long[] { start, Math.max(end, start + info.getGcInfo().getDuration() * 1_000_000L) });
		}
	}

	/** The pauses that overlapped the interval, as {@code [start, end]} pairs. */
	List<long[]> within(long from, long to) {
		synchronized (this.pauses) {
			return this.pauses.stream().filter((p) -> p[1] >= from && p[0] <= to).toList();
		}
	}

	/** How long the pauses of {@code pauses} overlapped the interval, in ns. */
	static long overlap(List<long[]> pauses, long from, long to) {
		long total = 0;
		for (long[] pause : pauses) {
			total += Math.max(0, Math.min(to, pause[1]) - Math.max(from, pause[0]));
		}
		return total;
	}

	@Override
	public void close() {
		for (NotificationEmitter emitter : this.emitters) {
			try {
				emitter.removeNotificationListener(this);
			}
			catch (ListenerNotFoundException ex) {
				// not listening
			}
		}
	}

}
