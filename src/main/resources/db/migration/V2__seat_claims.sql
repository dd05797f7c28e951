-- Reserved seating: who has which seat. One row per seat of a hold or a booking; it stays
-- (active = false) when the hold or booking ends, so that they still list their seats.
-- A held claim carries its hold's expiry (holds are never extended) and lapses at that instant:
-- reads count it as available at once, and the next claimant of the seat, holding the seat's row
-- lock, deactivates it (takes it over) before inserting its own claim (lazy expiry). The sweeper
-- only tidies up the hold itself.
-- Owners are inserted after their claims in the same transaction, hence the deferred keys.
CREATE TABLE seat_claim (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id    bigint  NOT NULL REFERENCES seat (id),
    event_id   uuid    NOT NULL REFERENCES event (id),
    hold_id    uuid    REFERENCES hold (id) DEFERRABLE INITIALLY DEFERRED,
    booking_id uuid    REFERENCES booking (id) DEFERRABLE INITIALLY DEFERRED,
    position   int     NOT NULL,
    expires_at timestamptz,
    active     boolean NOT NULL,
    CONSTRAINT seat_claim_has_owner CHECK (hold_id IS NOT NULL OR booking_id IS NOT NULL),
    -- held until expires_at, or sold (booked) with no expiry
    CONSTRAINT seat_claim_held_or_sold CHECK ((booking_id IS NULL) = (expires_at IS NOT NULL))
);

-- The last line behind promise 1: a seat is in at most one active hold or booking, whatever Java does.
CREATE UNIQUE INDEX seat_claim_one_active_per_seat ON seat_claim (seat_id) WHERE active;
CREATE INDEX seat_claim_event_active_idx ON seat_claim (event_id) WHERE active;
CREATE INDEX seat_claim_hold_idx ON seat_claim (hold_id) WHERE hold_id IS NOT NULL;
CREATE INDEX seat_claim_booking_idx ON seat_claim (booking_id) WHERE booking_id IS NOT NULL;
