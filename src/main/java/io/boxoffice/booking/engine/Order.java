package io.boxoffice.booking.engine;

import java.util.List;
import java.util.UUID;

import io.boxoffice.booking.ItemRequest;
import org.jspecify.annotations.Nullable;

/** A customer's request to book in one step. */
public record Order(UUID customerId, UUID eventId, List<ItemRequest> items, @Nullable String idempotencyKey) {
}
