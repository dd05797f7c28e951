package io.boxoffice.account;

import java.util.Optional;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

/**
 * The one spelling of an account's e-mail address: Unicode NFKC, then full case folding
 * (ICU's NFKC_Casefold). Registration stores it, login looks it up, the unique index
 * holds it and the login throttle counts by it, so {@code Kiwi@}, {@code KIWI@},
 * full-width {@code ｋｉｗｉ@} and {@code Kiwi@} with the Kelvin sign are one account.
 *
 * <p>
 * Registration also refuses addresses a reader cannot tell from another one
 * ({@link #refusal}): invisible characters, mixed scripts in the local part or a domain
 * label (UTS #39 "highly restrictive", ICU's {@link SpoofChecker}), and a combining mark
 * left on a Latin, Greek or Cyrillic letter after normalization: every letter of those
 * scripts that people type has a precomposed form, so a leftover mark is decoration, such
 * as the dot that case folding leaves of {@code İ} (U+0130 folds to {@code i} + U+0307).
 */
public final class EmailIdentity {

	private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();

	private static final Normalizer2 NFC = Normalizer2.getNFCInstance();

	private static final SpoofChecker SPOOF = new SpoofChecker.Builder()
		.setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.INVISIBLE | SpoofChecker.MIXED_NUMBERS)
		.setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
		.build();

	private EmailIdentity() {
	}

	/**
	 * The canonical form of an address as typed: never fails, so a login with a spelling
	 * registration would refuse simply finds no account.
	 */
	public static String canonical(String email) {
		return NFKC_CASEFOLD.normalize(email.strip());
	}

	/**
	 * @return why the address may not be registered, or empty when it may
	 */
	public static Optional<String> refusal(String email) {
		String typed = email.strip();
		for (int i = 0; i < typed.length();) {
			int c = typed.codePointAt(i);
			if (invisible(c)) {
				return Optional.of(String.format("must not contain invisible or control characters (U+%04X)", c));
			}
			i += Character.charCount(c);
		}
		String canonical = canonical(typed);
		int at = canonical.lastIndexOf('@');
		if (at <= 0 || at == canonical.length() - 1 || canonical.indexOf('@') != at) {
			return Optional.of("must be one local part, '@' and a domain");
		}
		String local = canonical.substring(0, at);
		if (mixed(local)) {
			return Optional
				.of("must not mix scripts, digits of different systems or invisible marks in its local part");
		}
		for (String label : canonical.substring(at + 1).split("\\.", -1)) {
			if (mixed(label)) {
				return Optional
					.of("must not mix scripts, digits of different systems or invisible marks in a domain label");
			}
		}
		if (markOnAlphabeticLetter(NFC.normalize(canonical))) {
			return Optional.of("must not contain letters whose case folding leaves a separate accent, such as 'İ'");
		}
		return Optional.empty();
	}

	private static boolean invisible(int c) {
		int type = UCharacter.getType(c);
		return type == UCharacter.CONTROL || type == UCharacter.FORMAT || type == UCharacter.PRIVATE_USE
				|| type == UCharacter.SURROGATE || type == UCharacter.UNASSIGNED || type == UCharacter.SPACE_SEPARATOR
				|| type == UCharacter.LINE_SEPARATOR || type == UCharacter.PARAGRAPH_SEPARATOR
				|| UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
	}

	private static boolean mixed(String part) {
		return !part.isEmpty() && SPOOF.failsChecks(part);
	}

	private static boolean markOnAlphabeticLetter(String text) {
		int base = UScript.COMMON;
		for (int i = 0; i < text.length();) {
			int c = text.codePointAt(i);
			int type = UCharacter.getType(c);
			boolean mark = type == UCharacter.NON_SPACING_MARK || type == UCharacter.ENCLOSING_MARK
					|| type == UCharacter.COMBINING_SPACING_MARK;
			if (mark) {
				if (base == UScript.LATIN || base == UScript.GREEK || base == UScript.CYRILLIC) {
					return true;
				}
			}
			else {
				base = UScript.getScript(c);
			}
			i += Character.charCount(c);
		}
		return false;
	}

}
