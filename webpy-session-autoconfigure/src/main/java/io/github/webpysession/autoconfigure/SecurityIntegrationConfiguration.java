package io.github.webpysession.autoconfigure;

import io.github.webpysession.security.SecurityContextPrincipalResolver;
import io.github.webpysession.serializer.AllowedClasses;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * With Spring Security on the class path: what Security keeps in the session (its
 * security context, saved request and CSRF token) passes the deserialization allow-list,
 * and a login indexes the session under the user's name. Security itself keeps its login
 * in the session through {@code request.getSession()}, which {@code session.http-session}
 * makes the starter's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HttpSessionSecurityContextRepository.class)
class SecurityIntegrationConfiguration {

	@Bean
	AllowedClasses springSecurityClasses() {
		return AllowedClasses.of("org.springframework.security.**");
	}

	@Bean
	@ConditionalOnMissingBean
	SecurityContextPrincipalResolver securityContextPrincipalResolver() {
		return new SecurityContextPrincipalResolver();
	}

}
