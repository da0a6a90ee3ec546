package io.github.webpysession.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Fails startup on a {@code session.*} key that names no property, before any bean is
 * created: {@code session.tiemout: 5} would otherwise start with the default timeout,
 * silently, and a misspelt {@code secure} or {@code timeout} is a security hole. The
 * message names the closest property.
 * <p>
 * The valid names are those {@link SessionProperties} binds, found by reflection over its
 * JavaBean properties and nested groups, so that a property added there is valid here at
 * once; plus the contract's names not bound yet. Keys match as Spring Boot binds them, in
 * any relaxed form ({@code session.cookieName}, {@code session.cookie_name}); list and
 * map properties accept their elements. Environment variables are not checked: they are
 * shared by every process of the machine (a desktop session sets
 * {@code SESSION_MANAGER}), as Boot's own unknown-field check
 * ({@code ignoreUnknownFields = false}) reasons too.
 */
class UnknownSessionPropertiesCheck implements BeanFactoryPostProcessor, EnvironmentAware {

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("session");

	/**
	 * The contract's properties that {@link SessionProperties} may not bind yet: accepted
	 * all the same.
	 */
	private static final List<String> CONTRACT_NAMES = List.of("cookie-max-age", "http-session",
			"max-sessions-per-principal");

	private final Names names = Names.of(SessionProperties.class);

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (this.environment != null) {
			check(this.environment);
		}
	}

	/**
	 * @throws IllegalStateException naming every unknown key, where it was set, and the
	 * closest valid name
	 */
	void check(Environment environment) {
		Set<String> problems = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable && !isSystemEnvironment(source)) {
				iterable.filter(ROOT::isAncestorOf)
					.stream()
					.filter((name) -> !this.names.accepts(name))
					.forEach((name) -> problems.add(describe(source.getConfigurationProperty(name), name)));
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Unknown session propert" + ((problems.size() == 1) ? "y " : "ies ")
					+ String.join("; ", problems) + ". The session properties are "
					+ String.join(", ", this.names.leaves) + ": remove the key or correct its name");
		}
	}

	private String describe(@Nullable ConfigurationProperty property, ConfigurationPropertyName name) {
		String where = (property != null && property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : "";
		return asWritten(name) + where + ": did you mean " + this.names.closestTo(name) + "?";
	}

	/**
	 * The name as its source spells it ({@code session.cookieNme}), rather than Boot's
	 * lower case.
	 */
	private static String asWritten(ConfigurationPropertyName name) {
		StringBuilder written = new StringBuilder();
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			String element = name.getElement(i, Form.ORIGINAL);
			written.append(name.isNumericIndex(i) ? "[" + element + "]" : ((i > 0) ? "." : "") + element);
		}
		return written.toString();
	}

	private static boolean isSystemEnvironment(ConfigurationPropertySource source) {
		return source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
	}

	/**
	 * The names a properties class binds: its groups, its leaves, and those whose
	 * elements it binds too.
	 */
	private static final class Names {

		private final Set<ConfigurationPropertyName> exact = new LinkedHashSet<>();

		private final Set<ConfigurationPropertyName> withElements = new LinkedHashSet<>();

		/**
		 * Every leaf, dashed and without the prefix, in alphabetical order, for messages.
		 */
		private final Set<String> leaves = new TreeSet<>();

		static Names of(Class<?> type) {
			Names names = new Names();
			names.collect(type, "");
			CONTRACT_NAMES.forEach((name) -> names.leaf(name, false));
			return names;
		}

		private void collect(Class<?> type, String prefix) {
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				Class<?> propertyType = descriptor.getPropertyType();
				if (descriptor.getReadMethod() == null || propertyType == null
						|| "class".equals(descriptor.getName())) {
					continue;
				}
				String name = prefix + DataObjectPropertyName.toDashedForm(descriptor.getName());
				boolean container = Collection.class.isAssignableFrom(propertyType)
						|| Map.class.isAssignableFrom(propertyType) || propertyType.isArray();
				if (isGroup(propertyType)) {
					this.exact.add(ROOT.append(name));
					collect(propertyType, name + ".");
				}
				else if (descriptor.getWriteMethod() != null || container) {
					leaf(name, container);
				}
			}
		}

		/** A nested class of the starter's own, whose properties bind under its name. */
		private static boolean isGroup(Class<?> type) {
			return !BeanUtils.isSimpleValueType(type) && type.getPackageName().startsWith("io.github.webpysession");
		}

		private void leaf(String name, boolean withElements) {
			ConfigurationPropertyName full = ROOT.append(name);
			if (this.exact.add(full)) {
				this.leaves.add(name);
			}
			if (withElements) {
				this.withElements.add(full);
			}
		}

		boolean accepts(ConfigurationPropertyName name) {
			return this.exact.contains(name)
					|| this.withElements.stream().anyMatch((parent) -> parent.isAncestorOf(name));
		}

		/**
		 * The leaf whose name differs least from {@code name}, in Boot's uniform form (no
		 * dashes, lower case).
		 */
		String closestTo(ConfigurationPropertyName name) {
			String wanted = uniform(name);
			return "session." + this.leaves.stream()
				.min(Comparator.comparingInt((leaf) -> distance(wanted, uniform(ROOT.append(leaf)))))
				.orElseThrow();
		}

		private static String uniform(ConfigurationPropertyName name) {
			StringBuilder uniform = new StringBuilder();
			for (int i = 1; i < name.getNumberOfElements(); i++) {
				uniform.append((i > 1) ? "." : "").append(name.getElement(i, Form.UNIFORM));
			}
			return uniform.toString().toLowerCase(Locale.ROOT);
		}

		/**
		 * Edits (insertions, deletions, substitutions, swaps of neighbours) from
		 * {@code a} to {@code b}.
		 */
		private static int distance(String a, String b) {
			int[][] d = new int[a.length() + 1][b.length() + 1];
			for (int i = 0; i <= a.length(); i++) {
				d[i][0] = i;
			}
			for (int j = 0; j <= b.length(); j++) {
				d[0][j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				for (int j = 1; j <= b.length(); j++) {
					int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
					d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
					if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
						d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
					}
				}
			}
			return d[a.length()][b.length()];
		}

	}

}
