package io.boxoffice.account;

import java.util.UUID;

import io.boxoffice.shared.Role;

/** A registered customer or organizer. */
public record Account(UUID id, String email, Role role) {
}
