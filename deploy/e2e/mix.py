"""The load's mix, read by the locustfile and written into the figures' JSON (without importing locust, which
patches the standard library with gevent on import)."""

#: user class -> (weight among the users, (min, max) seconds of thought between two tasks)
MIX = {
    "Officer": (45, (2, 6)),  # reads a page every few seconds
    "Actor": (15, (2, 5)),  # each task is a whole intake and two actions (3–7 requests)
    "Citizen": (40, (4, 8)),  # ≤ 15 lookups a minute: under the limit of 20 per address
}
