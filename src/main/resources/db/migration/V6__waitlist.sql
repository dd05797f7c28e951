-- The waiting list of sold-out categories: one row per customer's place in line. Entries are
-- served in order of joining (seq). While an entry is open (WAITING, or OFFERED with an ACTIVE hold
-- that is its offer), its customer cannot join that category again: the partial unique index decides,
-- also when two joins race on two instances.
CREATE TABLE waitlist_entry (
    id               uuid        PRIMARY KEY,
    seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    event_id         uuid        NOT NULL REFERENCES event (id),
    category_id      uuid        NOT NULL REFERENCES category (id),
    category         text        NOT NULL,
    customer_id      uuid        NOT NULL REFERENCES account (id),
    quantity         int         NOT NULL CHECK (quantity BETWEEN 1 AND 50),
    status           text        NOT NULL CHECK (status IN ('WAITING', 'OFFERED', 'ACCEPTED', 'EXPIRED', 'LEFT')),
    -- the offer: a hold of the entry's customer (kept after the offer ends, to show what it was)
    hold_id          uuid        REFERENCES hold (id),
    offer_expires_at timestamptz,
    created_at       timestamptz NOT NULL,
    CONSTRAINT waitlist_entry_offer_has_hold
        CHECK (status NOT IN ('OFFERED', 'ACCEPTED') OR (hold_id IS NOT NULL AND offer_expires_at IS NOT NULL)),
    CONSTRAINT waitlist_entry_waiting_has_no_offer CHECK (status <> 'WAITING' OR hold_id IS NULL)
);

CREATE UNIQUE INDEX waitlist_entry_one_open ON waitlist_entry (customer_id, category_id)
    WHERE status IN ('WAITING', 'OFFERED');
-- the line of a category, in order of joining
CREATE INDEX waitlist_entry_line ON waitlist_entry (category_id, seq) WHERE status = 'WAITING';
CREATE UNIQUE INDEX waitlist_entry_offer ON waitlist_entry (hold_id) WHERE hold_id IS NOT NULL;
CREATE INDEX waitlist_entry_customer ON waitlist_entry (customer_id, seq);
CREATE INDEX waitlist_entry_event ON waitlist_entry (event_id) WHERE status IN ('WAITING', 'OFFERED');

-- Reserved categories that have (or had) a waiting list. Elsewhere the next claim of a seat takes a lapsed
-- hold's claim over directly (lazy expiry); in these categories it does not: the seats of a lapsed hold
-- come back only through the hold's expiry (a sale short of seats runs it, as does the sweeper), which
-- offers them to the line first.
CREATE TABLE waitlisted_seat_category (
    category_id uuid PRIMARY KEY REFERENCES category (id)
);
