-- Tickets: one row per admission, issued with the booking that sells it (a general-admission
-- item of quantity 2 is two rows, a seat one). The code is the entry pass: random, not derived
-- from any id, unique. A ticket is revoked when its booking (or its event) is cancelled, and
-- checked in at most once: the check-in is one guarded UPDATE (checked_in_at IS NULL and not
-- revoked), so exactly one scan admits it however many gates and instances scan at once.
-- The admitting scan's account and Idempotency-Key are kept with it, so that a scanner's retry
-- gets the first answer again. event_id and category_id repeat the booking's, so that check-in
-- and the counts find an event's tickets without a join.
CREATE TABLE ticket (
    id                 uuid PRIMARY KEY,
    booking_id         uuid        NOT NULL REFERENCES booking (id),
    position           int         NOT NULL,
    event_id           uuid        NOT NULL,
    category_id        uuid        NOT NULL,
    seat               text,
    code               text        NOT NULL CHECK (length(code) >= 22),
    revoked_at         timestamptz,
    checked_in_at      timestamptz,
    gate               text,
    checked_in_by      uuid,
    checkin_key        text,
    UNIQUE (booking_id, position),
    CONSTRAINT ticket_checked_in_whole CHECK ((checked_in_at IS NULL) = (checked_in_by IS NULL)),
    CONSTRAINT ticket_key_with_check_in CHECK (checkin_key IS NULL OR checked_in_at IS NOT NULL)
);
CREATE UNIQUE INDEX ticket_code_key ON ticket (code);
CREATE INDEX ticket_event_idx ON ticket (event_id);
-- One check-in per scanner key: a key reused for another ticket is refused.
CREATE UNIQUE INDEX ticket_checkin_key ON ticket (checked_in_by, checkin_key) WHERE checkin_key IS NOT NULL;

-- Bookings made before tickets existed get theirs now: one per admission in item order (a
-- reserved item's in seat-map order), revoked if the booking was cancelled. Each code is the 32
-- bytes of two version 4 UUIDs from PostgreSQL's strong random source (244 random bits), in URL-safe base64 like the codes the service issues.
INSERT INTO ticket (id, booking_id, position, event_id, category_id, seat, code, revoked_at)
SELECT gen_random_uuid(), b.id,
       row_number() OVER (PARTITION BY b.id ORDER BY i.position, s.row_rank, s.number, n.n) - 1,
       b.event_id, i.category_id, s.label,
       translate(encode(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'),
                        'base64'), E'+/=\n', '-_'),
       b.cancelled_at
  FROM booking b
  JOIN booking_item i ON i.booking_id = b.id
  JOIN category c ON c.id = i.category_id
  LEFT JOIN seat_claim sc ON c.kind = 'RESERVED' AND sc.booking_id = b.id AND sc.position = i.position
  LEFT JOIN seat s ON s.id = sc.seat_id
 CROSS JOIN LATERAL generate_series(1, CASE WHEN c.kind = 'RESERVED' THEN 1 ELSE i.quantity END) AS n (n);
