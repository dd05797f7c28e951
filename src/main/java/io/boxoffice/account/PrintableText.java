package io.boxoffice.account;

/**
 * What Spring Security's {@code StrictHttpFirewall} accepts by default in header and
 * parameter names ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}) and header values (the
 * same, and tabs), without a regular expression.
 */
final class PrintableText {

	private PrintableText() {
	}

	/**
	 * @return whether every code point of the text is assigned and no control character
	 * (but a tab, when {@code tabAllowed})
	 */
	static boolean test(String text, boolean tabAllowed) {
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			boolean allowed = Character.isDefined(codePoint)
					&& (!Character.isISOControl(codePoint) || (tabAllowed && codePoint == '\t'));
			if (!allowed) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

}
