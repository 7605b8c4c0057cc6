package org.mlpages.credit.model;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numeric bounds are round numbers a person can read, and rounding them never refuses an
 * answer the margin accepted.
 */
class CreditFieldTest {

	@Test
	void boundsFromTheDataAreWidenedToRoundNumbers() {
		assertThat(bounds(CreditField.numeric("credit_amount", 125, 19332, true, "DM"))).containsExactly(100.0,
				20000.0);
		assertThat(bounds(CreditField.numeric("age", 17, 77, true, "years"))).containsExactly(15.0, 80.0);
		assertThat(bounds(CreditField.numeric("duration", 2, 75, true, "months"))).containsExactly(2.0, 75.0);
		assertThat(bounds(CreditField.numeric("code", 1, 4, true, ""))).containsExactly(1.0, 4.0);
		assertThat(bounds(CreditField.numeric("rate", 0.37, 2.34, false, ""))).containsExactly(0.35, 2.5);
		assertThat(bounds(CreditField.numeric("balance", -1234, -0.42, false, ""))).containsExactly(-1500.0, -0.4);
		assertThat(bounds(CreditField.numeric("zero", 0, 0, true, ""))).containsExactly(0.0, 0.0);
	}

	@Test
	void roundingOnlyWidensStaysOnItsSideOfZeroAndIsStable() {
		Random random = new Random(42);
		for (int i = 0; i < 100_000; i++) {
			double a = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(12) - 4);
			double b = a + random.nextDouble() * Math.pow(10, random.nextInt(12) - 4);
			boolean integer = random.nextBoolean();
			if (integer) {
				a = Math.ceil(a);
				b = Math.max(a, Math.floor(b));
			}
			CreditField field = CreditField.numeric("x", a, b, integer, "");
			assertThat(field.min()).as("%s", a).isLessThanOrEqualTo(a);
			assertThat(field.max()).as("%s", b).isGreaterThanOrEqualTo(b);
			assertThat(Math.signum(field.min())).as("%s", a).isIn(Math.signum(a), 0.0);
			assertThat(Math.signum(field.max())).as("%s", b).isIn(Math.signum(b), 0.0);
			if (integer) {
				assertThat(field.min()).isEqualTo(Math.rint(field.min()));
				assertThat(field.max()).isEqualTo(Math.rint(field.max()));
			}
			assertThat(bounds(CreditField.numeric("x", field.min(), field.max(), integer, "")))
				.containsExactly(field.min(), field.max());
		}
	}

	private static List<Double> bounds(CreditField field) {
		return List.of(field.min(), field.max());
	}

}
