package io.boxoffice.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code {"amount": "25.00", "currency": "EUR"}}: the amount is a decimal string, not a
 * floating-point number.
 */
public record Money(String amount, String currency) {

	public static Money of(BigDecimal amount, String currency) {
		return new Money(amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString(), currency);
	}

}
