-- Staff who run promotions: the `marketing` role.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('admin', 'catalogue', 'orders', 'support', 'marketing'));
