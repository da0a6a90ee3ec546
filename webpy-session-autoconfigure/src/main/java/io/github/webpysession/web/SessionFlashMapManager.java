package io.github.webpysession.web;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import io.github.webpysession.Session;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.AbstractFlashMapManager;

/**
 * Flash attributes in the starter's session, so that a redirect may land on another
 * instance. Spring MVC asks for flash attributes at the start of every request; Spring's
 * own {@code SessionFlashMapManager} would read the session, and so the store, for every
 * request that carries a cookie. This one reads the session only while a small marker
 * cookie says that flash attributes wait there, set when they are saved and cleared once
 * none are left.
 */
public class SessionFlashMapManager extends AbstractFlashMapManager {

	private static final String ATTRIBUTE = SessionFlashMapManager.class.getName() + ".FLASH_MAPS";

	private final SessionCookie.Settings cookie;

	private final String markerCookie;

	/**
	 * @param sessionCookie the session cookie's attributes, which the marker shares; it
	 * is named after it, with {@code _flash} appended
	 */
	public SessionFlashMapManager(SessionCookie.Settings sessionCookie) {
		this.cookie = sessionCookie;
		this.markerCookie = sessionCookie.name() + "_flash";
	}

	@Override
	protected @Nullable List<FlashMap> retrieveFlashMaps(HttpServletRequest request) {
		if (!hasMarker(request)) {
			return null;
		}
		return SessionLifecycle.current(request).get(ATTRIBUTE);
	}

	@Override
	protected void updateFlashMaps(List<FlashMap> flashMaps, HttpServletRequest request, HttpServletResponse response) {
		Session session = SessionLifecycle.current(request);
		boolean waiting = !flashMaps.isEmpty();
		session.put(ATTRIBUTE, waiting ? new ArrayList<>(flashMaps) : null);
		if (waiting != hasMarker(request)) {
			String path = this.cookie.path();
			if (path == null || path.isEmpty()) {
				path = request.getContextPath().isEmpty() ? "/" : request.getContextPath();
			}
			ResponseCookie marker = ResponseCookie.from(this.markerCookie, waiting ? "1" : "")
				.domain(this.cookie.domain())
				.path(path)
				.httpOnly(true)
				.secure(this.cookie.secure())
				.sameSite(this.cookie.sameSite())
				.maxAge(waiting ? -1 : 0)
				.build();
			response.addHeader(HttpHeaders.SET_COOKIE, marker.toString());
		}
	}

	private boolean hasMarker(HttpServletRequest request) {
		if (!headerNamesMarker(request)) {
			// the usual case: no cookie is parsed for it
			return false;
		}
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (this.markerCookie.equals(cookie.getName()) && "1".equals(cookie.getValue())) {
					return true;
				}
			}
		}
		return false;
	}

	/** Whether a Cookie header holds the marker's name at all. */
	private boolean headerNamesMarker(HttpServletRequest request) {
		Enumeration<String> headers = request.getHeaders(HttpHeaders.COOKIE);
		while (headers != null && headers.hasMoreElements()) {
			if (headers.nextElement().contains(this.markerCookie)) {
				return true;
			}
		}
		return false;
	}

}
