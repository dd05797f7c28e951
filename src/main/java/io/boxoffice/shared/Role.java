package io.boxoffice.shared;

/** The two kinds of account. */
public enum Role {

	CUSTOMER, ORGANIZER

}
