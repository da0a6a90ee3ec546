package io.github.webpysession.serializer;

import java.util.List;

/**
 * Class-name patterns that an integration needs session values to be instances of, added
 * to {@code session.allowed-classes} (or to the application's packages, its default):
 * Spring Security's classes where Security keeps its login in the session, Spring MVC's
 * flash attributes where they live there. Every bean of this type contributes.
 *
 * @param patterns {@link java.io.ObjectInputFilter} patterns, such as
 * {@code org.example.**}
 */
public record AllowedClasses(List<String> patterns) {

	public AllowedClasses {
		patterns = List.copyOf(patterns);
	}

	public static AllowedClasses of(String... patterns) {
		return new AllowedClasses(List.of(patterns));
	}

}
