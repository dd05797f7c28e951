package io.boxoffice.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.nulabinc.zxcvbn.StandardDictionaries;

/**
 * What a new password must be, after NIST SP 800-63B: long enough, and not one that
 * guessers try first. No composition rules (they make passwords harder to remember, not
 * to guess). The list is the 30,000 most common passwords that zxcvbn4j ships (from
 * leaked password sets), compared ignoring case, as guessers vary case first.
 */
final class PasswordPolicy {

	static final int MIN_LENGTH = 8;

	/** bcrypt reads no further than this. */
	static final int MAX_BYTES = 72;

	private static final Set<String> COMMON = load();

	private PasswordPolicy() {
	}

	/**
	 * @return why the password may not be used, or empty when it may
	 */
	static Optional<String> refusal(String password) {
		if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
			return Optional.of("must be at least " + MIN_LENGTH + " characters");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			return Optional.of("must be at most " + MAX_BYTES + " bytes");
		}
		if (password.isBlank()) {
			return Optional.of("must not be only spaces");
		}
		if (COMMON.contains(password.toLowerCase(Locale.ROOT))) {
			return Optional.of("is one of the most common passwords, which are guessed first; choose another");
		}
		return Optional.empty();
	}

	private static Set<String> load() {
		try {
			return Set.copyOf(StandardDictionaries.PASSWORDS_LOADER.load().getRankedDictionary().keySet());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
