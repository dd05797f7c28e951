package io.boxoffice.booking;

public enum BookingStatus {

	CONFIRMED, CANCELLED

}
