package io.boxoffice.booking;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A customer's request to book in one step. */
public record Order(UUID customerId, UUID eventId, List<ItemRequest> items, @Nullable String idempotencyKey) {
}
