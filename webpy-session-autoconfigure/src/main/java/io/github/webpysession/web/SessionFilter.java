package io.github.webpysession.web;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.ModelAndView;

/**
 * Makes {@code request.getSession()} the starter's session for the whole request: in
 * every filter (Spring Security's included, which come after it), servlet and handler.
 * The session is the same lazy one that {@link io.github.webpysession.Session} and the
 * {@link SessionInterceptor} use; the filter saves what is left to save when the request
 * completes, and before a redirect, an error or a flush commits the response. A store
 * failure that reaches the filter is answered as the {@link SessionExceptionResolver}
 * answers it in Spring MVC: a 503, never a 500.
 */
public class SessionFilter extends OncePerRequestFilter {

	/** Before every other filter that may use a session, Spring Security's included. */
	public static final int DEFAULT_ORDER = Integer.MIN_VALUE + 50;

	private final SessionLifecycle lifecycle;

	private final SessionExceptionResolver failures;

	private final Duration timeout;

	public SessionFilter(SessionLifecycle lifecycle, SessionExceptionResolver failures, Duration timeout) {
		this.lifecycle = lifecycle;
		this.failures = failures;
		this.timeout = timeout;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestSession session = (RequestSession) this.lifecycle.attach(request, response, true);
		try {
			chain.doFilter(new SessionRequestWrapper(request, session, this.timeout),
					new SessionRequestWrapper.SavingResponse(response, this.lifecycle, request));
			this.lifecycle.save(request);
		}
		catch (RuntimeException ex) {
			ModelAndView answered = this.failures.resolveException(request, response, null, ex);
			if (answered == null) {
				throw ex;
			}
		}
		finally {
			this.lifecycle.complete(request);
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
