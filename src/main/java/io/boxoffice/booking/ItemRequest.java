package io.boxoffice.booking;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One requested item: {@code category} + {@code quantity} (from a pool, or best available
 * seats of a reserved category), or {@code seats} (exactly those).
 */
public record ItemRequest(@Nullable String category, @Nullable Integer quantity, @Nullable List<String> seats) {
}
