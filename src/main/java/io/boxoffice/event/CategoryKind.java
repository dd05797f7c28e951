package io.boxoffice.event;

public enum CategoryKind {

	/** A pool of interchangeable tickets. */
	GENERAL_ADMISSION,
	/** Named seats, {@code ROW-NUMBER}. */
	RESERVED

}
