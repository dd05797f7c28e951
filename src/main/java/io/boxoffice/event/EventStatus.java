package io.boxoffice.event;

public enum EventStatus {

	ON_SALE, CANCELLED

}
