package org.mlpages;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prepared start (bin/prepare-start.sh: the systemd unit's and the container image's)
 * runs in Spring's AOT mode, where a condition on a bean is settled when the jar is
 * built: a setting read by one would be ignored there. So no bean of the app is
 * conditional; a setting is read when the bean is made ({@code SharedSessions},
 * {@code TensorFlowCodeRelease}).
 */
class SettledAtRunTimeTests {

	@Test
	void noBeanOfTheAppDependsOnACondition() throws Exception {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter((reader, factory) -> true);
		List<String> conditional = new ArrayList<>();
		Set<BeanDefinition> classes = scanner.findCandidateComponents("org.mlpages");
		assertThat(classes).as("the app's classes, SharedSessions among them")
			.anySatisfy(type -> assertThat(type.getBeanClassName()).endsWith(".SharedSessions"));
		for (BeanDefinition candidate : classes) {
			Class<?> type = ClassUtils.forName(candidate.getBeanClassName(), getClass().getClassLoader());
			if (MergedAnnotations.from(type).isPresent(Conditional.class)) {
				conditional.add(type.getName());
			}
			for (Method method : type.getDeclaredMethods()) {
				if (MergedAnnotations.from(method).isPresent(Conditional.class)) {
					conditional.add(type.getName() + "." + method.getName());
				}
			}
		}
		assertThat(conditional).as("beans whose presence a condition decides").isEmpty();
	}

}
