package org.mlpages.system;

import java.util.Locale;
import java.util.Set;

import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.dialect.AbstractDialect;
import org.thymeleaf.dialect.IExpressionObjectDialect;
import org.thymeleaf.expression.IExpressionObjectFactory;

import org.springframework.stereotype.Component;

/**
 * {@code #css} in templates: numbers written into style and other attributes. Thymeleaf's
 * {@code #numbers} formats in the reader's locale, and a French "width: 85,36%" is
 * ignored by browsers; these never are.
 */
@Component
class CssNumbersDialect extends AbstractDialect implements IExpressionObjectDialect {

	private static final CssNumbers CSS = new CssNumbers();

	CssNumbersDialect() {
		super("mlpages-css-numbers");
	}

	@Override
	public IExpressionObjectFactory getExpressionObjectFactory() {
		return new IExpressionObjectFactory() {

			@Override
			public Set<String> getAllExpressionObjectNames() {
				return Set.of("css");
			}

			@Override
			public Object buildObject(IExpressionContext context, String name) {
				return CSS;
			}

			@Override
			public boolean isCacheable(String name) {
				return true;
			}

		};
	}

	/** The expression object. */
	public static final class CssNumbers {

		/** A percentage, 0-100, as CSS reads it: {@code 85.36%}. */
		public String percent(double percent) {
			return String.format(Locale.ROOT, "%.2f%%", percent);
		}

		/** A number with a dot decimal, for attributes such as aria-valuenow. */
		public String number(double value) {
			return String.format(Locale.ROOT, "%.2f", value);
		}

	}

}
