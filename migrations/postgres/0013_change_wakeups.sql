-- Followers of the change log (storefront snapshots, search indexes) are woken by a
-- notification when a change other than stock commits, so a staff edit shows before
-- their next poll. Stock changes (every order) are left to the poll: waking every
-- replica for each order of a campaign would multiply the polls. A lost notification
-- only delays: the log stays the truth.
CREATE FUNCTION notify_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Notifications are sent at commit, and identical ones of a transaction once.
    PERFORM pg_notify('catalog_changes', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER catalog_changes_notify
    AFTER INSERT ON catalog_changes
    FOR EACH ROW WHEN (NEW.kind <> 'stock')
    EXECUTE FUNCTION notify_catalog_change();
