package io.github.webpysession.security;

import io.github.webpysession.web.SessionPrincipalResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * Indexes a session under the name of the user that Spring Security logged in: Security
 * keeps its {@link SecurityContext} in the session under
 * {@link HttpSessionSecurityContextRepository#SPRING_SECURITY_CONTEXT_KEY}, at every
 * login (form, remember-me, or any other that stores it), and removes it at logout.
 */
public class SecurityContextPrincipalResolver implements SessionPrincipalResolver {

	@Override
	public boolean appliesTo(String key) {
		return HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY.equals(key);
	}

	@Override
	public @Nullable String principalName(@Nullable Object value) {
		if (value instanceof SecurityContext context) {
			Authentication authentication = context.getAuthentication();
			if (authentication != null && authentication.isAuthenticated()
					&& !(authentication instanceof AnonymousAuthenticationToken)) {
				return authentication.getName();
			}
		}
		return null;
	}

}
