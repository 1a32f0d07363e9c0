"""What every stage shares: the record types and Arrow schemas, options, run statistics, URL identity."""
