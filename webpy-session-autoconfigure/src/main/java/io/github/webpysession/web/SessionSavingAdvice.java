package io.github.webpysession.web;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Saves the session just before a response body is written, while the response can still
 * become a 503 if the store fails: a {@code @ResponseBody} is written, and often
 * committed, before {@link SessionInterceptor#postHandle} runs.
 */
@ControllerAdvice
public class SessionSavingAdvice implements ResponseBodyAdvice<Object> {

	private final SessionInterceptor interceptor;

	public SessionSavingAdvice(SessionInterceptor interceptor) {
		this.interceptor = interceptor;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (request instanceof ServletServerHttpRequest servletRequest) {
			this.interceptor.save(servletRequest.getServletRequest());
		}
		return body;
	}

}
