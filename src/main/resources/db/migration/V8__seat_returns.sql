-- How many times seats of each event have been given back: a hold released or expired, a booking
-- cancelled, a lapsed hold's claim taken over. Every transaction that ends claims raises its events'
-- counts by one, so a sale that remembers where a category's unclaimed seats begin (every seat in
-- front of them claimed) may start its next search there while the count is unchanged.
-- The count is raised last, just before COMMIT, in event id order: holding it, a transaction waits
-- for nothing but other counts, so it adds no deadlock. For the same reason there is no foreign key
-- to event, whose check would lock the event's row.
CREATE TABLE seat_returns (
    event_id uuid   PRIMARY KEY,
    returns  bigint NOT NULL
);
