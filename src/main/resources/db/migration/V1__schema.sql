-- Boxoffice schema. The database guards the promises itself (docs/design.md, promise 5):
-- counters cannot go negative or drift from capacity, a customer's tally cannot pass the limit.
-- Times are always written by the application from its Clock, never with now().

CREATE TABLE account (
    id            uuid PRIMARY KEY,
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('CUSTOMER', 'ORGANIZER')),
    created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX account_email_key ON account (lower(email));

-- Token signing keys, shared by every instance: the first instance to start generates one.
CREATE TABLE signing_key (
    id         text PRIMARY KEY,
    secret     bytea       NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL
);

CREATE TABLE event (
    id                       uuid PRIMARY KEY,
    organizer_id             uuid        NOT NULL REFERENCES account (id),
    name                     text        NOT NULL,
    venue                    text,
    starts_at                timestamptz NOT NULL,
    sales_open_at            timestamptz NOT NULL,
    sales_close_at           timestamptz NOT NULL,
    hold_ttl_seconds         int         NOT NULL CHECK (hold_ttl_seconds BETWEEN 10 AND 3600),
    max_tickets_per_customer int CHECK (max_tickets_per_customer >= 1),
    status                   text        NOT NULL CHECK (status IN ('ON_SALE', 'CANCELLED')),
    created_at               timestamptz NOT NULL,
    CHECK (sales_close_at >= sales_open_at)
);
CREATE INDEX event_newest_idx ON event (created_at DESC, id DESC);
CREATE INDEX event_organizer_idx ON event (organizer_id, created_at DESC, id DESC);

CREATE TABLE category (
    id       uuid PRIMARY KEY,
    event_id uuid          NOT NULL REFERENCES event (id),
    position int           NOT NULL,
    code     text          NOT NULL,
    name     text          NOT NULL,
    kind     text          NOT NULL CHECK (kind IN ('GENERAL_ADMISSION', 'RESERVED')),
    price    numeric(12, 2) NOT NULL CHECK (price >= 0),
    currency char(3)       NOT NULL,
    capacity int           NOT NULL CHECK (capacity >= 1),
    UNIQUE (event_id, code),
    UNIQUE (event_id, position)
);

-- General admission inventory: one guarded counter row per category.
CREATE TABLE pool (
    category_id uuid PRIMARY KEY REFERENCES category (id),
    event_id    uuid   NOT NULL REFERENCES event (id),
    capacity    int    NOT NULL,
    available   int    NOT NULL,
    held        int    NOT NULL DEFAULT 0,
    sold        int    NOT NULL DEFAULT 0,
    version     bigint NOT NULL DEFAULT 0,
    CONSTRAINT pool_available_not_negative CHECK (available >= 0),
    CONSTRAINT pool_held_not_negative CHECK (held >= 0),
    CONSTRAINT pool_sold_not_negative CHECK (sold >= 0),
    CONSTRAINT pool_counts_add_up CHECK (available + held + sold = capacity)
);
CREATE INDEX pool_event_idx ON pool (event_id);

-- Reserved seating: one row per named seat. row_rank orders rows as the seat map lists them.
CREATE TABLE seat (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid NOT NULL REFERENCES event (id),
    category_id uuid NOT NULL REFERENCES category (id),
    row_rank    int  NOT NULL,
    row_label   text NOT NULL,
    number      int  NOT NULL,
    label       text NOT NULL,
    UNIQUE (event_id, label)
);
CREATE INDEX seat_category_order_idx ON seat (category_id, row_rank, number);

CREATE TABLE hold (
    id           uuid PRIMARY KEY,
    event_id     uuid           NOT NULL REFERENCES event (id),
    customer_id  uuid           NOT NULL REFERENCES account (id),
    status       text           NOT NULL CHECK (status IN ('ACTIVE', 'CONFIRMED', 'RELEASED', 'EXPIRED', 'CANCELLED')),
    quantity     int            NOT NULL CHECK (quantity >= 1),
    total_amount numeric(14, 2) NOT NULL,
    currency     char(3)        NOT NULL,
    created_at   timestamptz    NOT NULL,
    expires_at   timestamptz    NOT NULL
);
CREATE INDEX hold_active_expiry_idx ON hold (expires_at) WHERE status = 'ACTIVE';
CREATE INDEX hold_active_event_idx ON hold (event_id, expires_at) WHERE status = 'ACTIVE';
CREATE INDEX hold_customer_idx ON hold (customer_id, event_id);

CREATE TABLE hold_item (
    hold_id     uuid NOT NULL REFERENCES hold (id),
    position    int  NOT NULL,
    category_id uuid NOT NULL REFERENCES category (id),
    quantity    int  NOT NULL CHECK (quantity >= 1),
    PRIMARY KEY (hold_id, position)
);

CREATE TABLE booking (
    id           uuid PRIMARY KEY,
    event_id     uuid           NOT NULL REFERENCES event (id),
    customer_id  uuid           NOT NULL REFERENCES account (id),
    hold_id      uuid UNIQUE REFERENCES hold (id),
    status       text           NOT NULL CHECK (status IN ('CONFIRMED', 'CANCELLED')),
    quantity     int            NOT NULL CHECK (quantity >= 1),
    total_amount numeric(14, 2) NOT NULL,
    currency     char(3)        NOT NULL,
    created_at   timestamptz    NOT NULL,
    cancelled_at timestamptz,
    CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL))
);
CREATE INDEX booking_event_idx ON booking (event_id, created_at DESC, id DESC);
CREATE INDEX booking_customer_idx ON booking (customer_id, created_at DESC, id DESC);

CREATE TABLE booking_item (
    booking_id  uuid NOT NULL REFERENCES booking (id),
    position    int  NOT NULL,
    category_id uuid NOT NULL REFERENCES category (id),
    quantity    int  NOT NULL CHECK (quantity >= 1),
    PRIMARY KEY (booking_id, position)
);
CREATE INDEX booking_item_category_idx ON booking_item (category_id);

-- Held plus booked tickets of one customer for one event with a limit; the check is the last
-- line behind the Java limit check.
CREATE TABLE customer_tally (
    event_id    uuid NOT NULL REFERENCES event (id),
    customer_id uuid NOT NULL REFERENCES account (id),
    tickets     int  NOT NULL,
    max_tickets int  NOT NULL,
    PRIMARY KEY (event_id, customer_id),
    CONSTRAINT customer_tally_within_limit CHECK (tickets >= 0 AND tickets <= max_tickets)
);

CREATE TABLE idempotency_record (
    account_id      uuid        NOT NULL REFERENCES account (id),
    idempotency_key text        NOT NULL,
    request_hash    text        NOT NULL,
    status          int         NOT NULL,
    response_body   text        NOT NULL,
    location        text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
);
CREATE INDEX idempotency_record_created_idx ON idempotency_record (created_at);
