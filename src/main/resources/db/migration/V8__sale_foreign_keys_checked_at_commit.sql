-- The sale engine writes a batch's holds, bookings, their items and tickets with set-based
-- inserts under generic plans (planning them for a batch's arrays cost more than running
-- them). A foreign key check runs under the setting of the statement that fires it, and a
-- generic plan of a key lookup made while a table was small scans it whole as it grows.
-- Checked at commit, these checks are planned for their values like every other lookup.
ALTER TABLE hold ALTER CONSTRAINT hold_event_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hold ALTER CONSTRAINT hold_customer_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hold_item ALTER CONSTRAINT hold_item_hold_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hold_item ALTER CONSTRAINT hold_item_category_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE booking ALTER CONSTRAINT booking_event_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE booking ALTER CONSTRAINT booking_customer_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE booking ALTER CONSTRAINT booking_hold_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE booking_item ALTER CONSTRAINT booking_item_booking_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE booking_item ALTER CONSTRAINT booking_item_category_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ticket ALTER CONSTRAINT ticket_booking_id_fkey DEFERRABLE INITIALLY DEFERRED;
