package io.boxoffice.booking;

public enum TicketStatus {

	VALID, CHECKED_IN, REVOKED

}
