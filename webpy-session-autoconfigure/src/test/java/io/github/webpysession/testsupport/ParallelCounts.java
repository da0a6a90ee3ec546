package io.github.webpysession.testsupport;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many {@code /count} requests of {@link CounterController} at once, over real HTTP: the
 * race that a test of {@code session.lock} runs.
 */
public final class ParallelCounts {

	private ParallelCounts() {
	}

	/**
	 * Sends {@code requests} {@code /count} requests at once, each on a thread of its
	 * own, alternately through each of {@code clients} (one instance each, say); asserts
	 * that each is answered 200 within 60 s and returns the counts answered, in the order
	 * sent.
	 */
	public static List<String> count(int requests, List<HttpClientWithCookies> clients) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(requests);
		try {
			List<Future<HttpResponse<String>>> responses = IntStream.range(0, requests)
				.mapToObj((i) -> executor.submit(() -> clients.get(i % clients.size()).get("/count")))
				.toList();
			List<String> counts = new ArrayList<>();
			for (Future<HttpResponse<String>> response : responses) {
				HttpResponse<String> answer = response.get(60, TimeUnit.SECONDS);
				assertThat(answer.statusCode()).isEqualTo(200);
				counts.add(answer.body());
			}
			return counts;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * The counts that {@code requests} counts after the first answer when each sees the
	 * one before: 2 to {@code requests} + 1, each once.
	 */
	public static List<String> eachAfterTheFirst(int requests) {
		return IntStream.rangeClosed(2, requests + 1).mapToObj(String::valueOf).toList();
	}

}
