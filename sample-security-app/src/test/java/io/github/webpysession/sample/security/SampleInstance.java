package io.github.webpysession.sample.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.webpysession.Sessions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One running instance of the sample, in this JVM, on a real port: started with the given
 * properties, as {@code java -jar} with {@code --name=value} arguments would start it.
 */
final class SampleInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private SampleInstance(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/** Starts an instance; {@code server.port} 0 (the default here) picks a free port. */
	static SampleInstance start(Map<String, String> properties) {
		Map<String, String> all = new LinkedHashMap<>(
				Map.of("server.port", "0", "spring.main.banner-mode", "off", "logging.level.root", "WARN"));
		all.putAll(properties);
		List<String> args = new ArrayList<>();
		all.forEach((name, value) -> args.add("--" + name + "=" + value));
		return new SampleInstance(
				new SpringApplicationBuilder(SecuritySampleApplication.class).run(args.toArray(String[]::new)));
	}

	int port() {
		return this.port;
	}

	/** The instance's {@link Sessions} bean. */
	Sessions sessions() {
		return this.context.getBean(Sessions.class);
	}

	/** A new visitor with no cookies yet. */
	Visitor visitor() {
		return new Visitor(this.port);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
