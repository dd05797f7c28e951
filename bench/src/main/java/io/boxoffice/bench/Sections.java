package io.boxoffice.bench;

/**
 * A section of results.md between its two markers, which a run of that section alone
 * replaces while the other sections keep their last figures.
 */
final class Sections {

	private Sections() {
	}

	/**
	 * The results with {@code section} (which carries its own markers) in place of the
	 * one between {@code start} and {@code end}, or after everything when there is none.
	 */
	static String replace(String results, String start, String end, String section) {
		int from = results.indexOf(start);
		int to = results.indexOf(end);
		if (from >= 0 && to > from) {
			return results.substring(0, from) + section.strip() + results.substring(to + end.length());
		}
		return results + "\n" + section;
	}

}
