-- The on-sale queue. An event may put its sale behind a queue: at most max_active buyers
-- admitted at a time, each for pass_ttl_seconds.
ALTER TABLE event
    ADD COLUMN queue_max_active       int CHECK (queue_max_active BETWEEN 1 AND 100000),
    ADD COLUMN queue_pass_ttl_seconds int CHECK (queue_pass_ttl_seconds BETWEEN 10 AND 3600),
    ADD CONSTRAINT event_queue_complete CHECK ((queue_max_active IS NULL) = (queue_pass_ttl_seconds IS NULL));
CREATE INDEX event_queued_idx ON event (id) WHERE queue_max_active IS NOT NULL;

-- Order of joining, across every event and instance.
CREATE SEQUENCE queue_arrival_seq;

-- One place per buyer per event. The order of the line is (late, place): early joiners
-- (before sales open, late = false) get their place from a shuffle at sales open and have
-- none until then; later joiners (late = true) take theirs from the arrival sequence.
CREATE TABLE queue_place (
    event_id        uuid        NOT NULL REFERENCES event (id),
    customer_id     uuid        NOT NULL REFERENCES account (id),
    status          text        NOT NULL CHECK (status IN ('WAITING', 'ADMITTED', 'DONE', 'LEFT', 'EXPIRED', 'CLOSED')),
    arrival         bigint      NOT NULL DEFAULT nextval('queue_arrival_seq'),
    late            boolean     NOT NULL,
    place           bigint,
    joined_at       timestamptz NOT NULL,
    admitted_at     timestamptz,
    pass_expires_at timestamptz,
    -- when an admitted buyer's turn ended (DONE, LEFT after admission, EXPIRED): the rate of turns
    turn_ended_at   timestamptz,
    PRIMARY KEY (event_id, customer_id),
    CHECK (NOT late OR place IS NOT NULL),
    CHECK ((admitted_at IS NULL) = (pass_expires_at IS NULL)),
    CHECK (status <> 'ADMITTED' OR admitted_at IS NOT NULL)
);
CREATE INDEX queue_place_waiting_idx ON queue_place (event_id, late, place) WHERE status = 'WAITING';
CREATE INDEX queue_place_admitted_idx ON queue_place (event_id, pass_expires_at) WHERE status = 'ADMITTED';
CREATE INDEX queue_place_turns_idx ON queue_place (event_id, turn_ended_at) WHERE turn_ended_at IS NOT NULL;

-- A queued event's line is closed when nothing is left to sell: later joiners are CLOSED at once.
CREATE TABLE queue_closure (
    event_id  uuid PRIMARY KEY REFERENCES event (id),
    closed_at timestamptz NOT NULL
);
