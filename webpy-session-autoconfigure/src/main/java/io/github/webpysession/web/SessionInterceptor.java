package io.github.webpysession.web;

import io.github.webpysession.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Runs the {@link SessionLifecycle} for Spring MVC: the request's session begins before
 * the handler (where expired sessions are answered first), is saved before the response
 * is committed where Spring MVC allows it (after the handler, before a view renders; a
 * {@code @ResponseBody} is saved by {@link SessionSavingAdvice} before it is written), so
 * that a failing store turns into a 503 rather than a silent loss, and otherwise,
 * whatever the handler threw, when the request completes.
 */
public class SessionInterceptor implements HandlerInterceptor {

	private final SessionLifecycle lifecycle;

	public SessionInterceptor(SessionLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	/**
	 * The session of {@code request}, which this interceptor has seen.
	 * @throws IllegalStateException outside a request that Spring MVC dispatched
	 */
	public static Session current(HttpServletRequest request) {
		return SessionLifecycle.current(request);
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		try {
			this.lifecycle.begin(request, response);
		}
		catch (RuntimeException ex) {
			this.lifecycle.release(request);
			throw ex;
		}
		return true;
	}

	@Override
	public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable ModelAndView modelAndView) {
		save(request);
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) {
		this.lifecycle.handled(request);
	}

	/**
	 * Saves what the request changed in its session, if anything; see
	 * {@link SessionLifecycle#save(HttpServletRequest)}.
	 */
	public void save(HttpServletRequest request) {
		this.lifecycle.save(request);
	}

}
