package io.github.webpysession.bench.store;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

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
 */
final class GcPauses implements NotificationListener, AutoCloseable {

	/** The offset from the JVM's uptime (ms) to {@code nanoTime} (ns). */
	private final long uptimeToNanos;

	private final List<long[]> pauses = new ArrayList<>();

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	GcPauses() {
		this.uptimeToNanos = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter && !collector.getName().contains("Concurrent")) {
				emitter.addNotificationListener(this, null, null);
				this.emitters.add(emitter);
			}
		}
	}

	@Override
	public void handleNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long start = this.uptimeToNanos + info.getGcInfo().getStartTime() * 1_000_000L;
		long end = this.uptimeToNanos + info.getGcInfo().getEndTime() * 1_000_000L;
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
