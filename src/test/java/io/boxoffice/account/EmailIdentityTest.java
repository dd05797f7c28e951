package io.boxoffice.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one spelling of an e-mail, and the spellings registration refuses. */
class EmailIdentityTest {

	@Test
	void foldsCaseWidthAndCompatibilityCharactersIntoOneSpelling() {
		assertThat(EmailIdentity.canonical("  Kiwi@Example.ORG ")).isEqualTo("kiwi@example.org");
		// KELVIN SIGN is a compatibility K: NFKC makes it K, folding k
		assertThat(EmailIdentity.canonical("\u212Aiwi@example.org")).isEqualTo("kiwi@example.org");
		assertThat(EmailIdentity.canonical("ｋｉｗｉ＠example.org")).isEqualTo("kiwi@example.org");
		assertThat(EmailIdentity.canonical("STRASSE@example.org")).isEqualTo("strasse@example.org");
		assertThat(EmailIdentity.canonical("straße@example.org")).isEqualTo("strasse@example.org");
		// U+0130 folds to i and a combining dot, which is not kiwi
		assertThat(EmailIdentity.canonical("k\u0130wi@example.org")).isEqualTo("ki\u0307wi@example.org");
	}

	@Test
	void acceptsOrdinaryAddressesInOneScript() {
		assertThat(EmailIdentity.refusal("ana.maria+tickets@example.org")).isEmpty();
		assertThat(EmailIdentity.refusal("\u212Aiwi@example.org")).isEmpty();
		assertThat(EmailIdentity.refusal("josé@example.org")).isEmpty();
		assertThat(EmailIdentity.refusal("jose\u0301@example.org")).isEmpty();
		assertThat(EmailIdentity.refusal("иван@пример.рф")).isEmpty();
		assertThat(EmailIdentity.refusal("山田太郎@example.jp")).isEmpty();
	}

	@Test
	void refusesWhatAReaderCannotTellApart() {
		assertThat(EmailIdentity.refusal("k\u0130wi@example.org"))
			.hasValueSatisfying(reason -> assertThat(reason).contains("case folding leaves a separate accent"));
		assertThat(EmailIdentity.refusal("ki\u200Bwi@example.org"))
			.hasValue("must not contain invisible or control characters (U+200B)");
		assertThat(EmailIdentity.refusal("kiwi\u200D@example.org")).isPresent();
		assertThat(EmailIdentity.refusal("kiwi\u00AD@example.org")).isPresent();
		assertThat(EmailIdentity.refusal("ki\u0000wi@example.org")).isPresent();
		assertThat(EmailIdentity.refusal("ki wi@example.org")).isPresent();
		// Cyrillic а among Latin letters, in the local part and in the domain
		assertThat(EmailIdentity.refusal("kiwi\u0430@example.org"))
			.hasValueSatisfying(reason -> assertThat(reason).contains("local part"));
		assertThat(EmailIdentity.refusal("kiwi@ex\u0430mple.org"))
			.hasValueSatisfying(reason -> assertThat(reason).contains("domain label"));
		assertThat(EmailIdentity.refusal("kiwi@@example.org")).isPresent();
	}

}
