/**
 * The consistency check: recomputes what is held and sold from the hold and booking rows
 * and compares it with every counter. Read-only; safe to run at any time on any instance.
 * Exposed as the actuator endpoint {@code /actuator/consistency}.
 */
@NullMarked
package io.boxoffice.booking.consistency;

import org.jspecify.annotations.NullMarked;
