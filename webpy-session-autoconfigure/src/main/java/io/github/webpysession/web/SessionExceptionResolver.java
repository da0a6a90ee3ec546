package io.github.webpysession.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.github.webpysession.SessionExpiredException;
import io.github.webpysession.store.SessionStoreException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * The default answers to session failures, tried after the application's own
 * {@code @ExceptionHandler}s:
 * <ul>
 * <li>{@link SessionExpiredException}: like web.py, 200 with the expired message as plain
 * text, and the cookie cleared;</li>
 * <li>{@link SessionStoreException}: 503 with a plain message, and the cause logged as an
 * error that names the store;</li>
 * <li>{@link SessionLockTimeoutException}: 503 with a plain message, and a warning, since
 * a request that holds its session that long is worth knowing about;</li>
 * <li>{@link SessionConflictException}: 503 with a plain message, and a warning.</li>
 * </ul>
 */
public class SessionExceptionResolver implements HandlerExceptionResolver {

	private static final Log logger = LogFactory.getLog(SessionExceptionResolver.class);

	private static final String UNAVAILABLE = "Sessions are unavailable right now; please try again shortly.";

	private static final String BUSY = "Another request of this session is still running; please try again shortly.";

	private final SessionCookie cookie;

	public SessionExceptionResolver(SessionCookie cookie) {
		this.cookie = cookie;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		try {
			if (ex instanceof SessionExpiredException) {
				this.cookie.clear(request, response);
				return answer(response, HttpStatus.OK, ex.getMessage());
			}
			if (ex instanceof SessionStoreException) {
				logger.error("Session store failed for " + request.getMethod() + " " + request.getRequestURI() + ": "
						+ ex.getMessage(), ex);
				return unavailable(response, "5", UNAVAILABLE);
			}
			if (ex instanceof SessionLockTimeoutException || ex instanceof SessionConflictException) {
				logger.warn(request.getMethod() + " " + request.getRequestURI() + " answered 503: " + ex.getMessage());
				return unavailable(response, "1", BUSY);
			}
		}
		catch (IOException writeFailure) {
			logger.debug("Could not write the answer to " + ex, writeFailure);
			return new ModelAndView();
		}
		return null;
	}

	private ModelAndView unavailable(HttpServletResponse response, String retryAfterSeconds, String body)
			throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
		return answer(response, HttpStatus.SERVICE_UNAVAILABLE, body);
	}

	private ModelAndView answer(HttpServletResponse response, HttpStatus status, @Nullable String body)
			throws IOException {
		if (!response.isCommitted()) {
			response.resetBuffer();
			response.setStatus(status.value());
			response.setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8).toString());
			response.getOutputStream().write(String.valueOf(body).getBytes(StandardCharsets.UTF_8));
		}
		return new ModelAndView();
	}

}
