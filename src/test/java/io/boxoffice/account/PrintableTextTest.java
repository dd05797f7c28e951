package io.boxoffice.account;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall's checks without regular expressions decide exactly as Spring Security's
 * default patterns, for every code point.
 */
class PrintableTextTest {

	private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

	private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

	@Test
	void decidesEveryCodePointAsTheDefaultPatterns() {
		int differences = 0;
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String text = "a" + Character.toString(codePoint) + "z";
			if (PrintableText.test(text, false) != NAMES.matcher(text).matches()
					|| PrintableText.test(text, true) != VALUES.matcher(text).matches()) {
				differences++;
			}
		}
		assertThat(differences).isZero();
	}

	@Test
	void refusesControlCharactersAndUnassignedCodePoints() {
		assertThat(PrintableText.test("Bearer abc.def-ghi_jkl", false)).isTrue();
		assertThat(PrintableText.test("", false)).isTrue();
		assertThat(PrintableText.test("a\tb", false)).isFalse();
		assertThat(PrintableText.test("a\tb", true)).isTrue();
		assertThat(PrintableText.test("a\nb", true)).isFalse();
		assertThat(PrintableText.test("a\u0000b", true)).isFalse();
		assertThat(PrintableText.test("a\u0378b", true)).isFalse(); // unassigned
	}

}
