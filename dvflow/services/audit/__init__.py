"""The tamper-evident history: each case's history rows hash-chained, a signed digest per day, and the check."""
