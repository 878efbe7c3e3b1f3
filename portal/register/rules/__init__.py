"""Pure rules of the register of benefits: codes, periods, overlaps, statuses, SIUSS records."""
