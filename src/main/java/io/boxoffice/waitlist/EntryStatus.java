package io.boxoffice.waitlist;

/** Where a waiting-list entry stands. */
public enum EntryStatus {

	/** In line. */
	WAITING,
	/** Offered tickets: an ACTIVE hold of its customer, until the offer expires. */
	OFFERED,
	/** The offered hold was confirmed. */
	ACCEPTED,
	/** The offer lapsed (or the event was cancelled): its tickets went on. */
	EXPIRED,
	/** Its customer left the line, or released the offered hold. */
	LEFT

}
