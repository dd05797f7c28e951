package io.boxoffice.booking;

public enum HoldStatus {

	ACTIVE, CONFIRMED, RELEASED, EXPIRED, CANCELLED

}
