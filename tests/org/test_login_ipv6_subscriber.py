"""One IPv6 subscriber (a /56, what ISPs give a household) is 256 /64 'addresses' to the per-address locks: the
account-wide tier counts it as one, so it cannot lock the account as a whole and keep it locked."""
from __future__ import annotations

from datetime import timedelta

from factories import NOW, PASSWORD

from dvflow.extensions import client_key, subscriber_key
from dvflow.services.org import login
from dvflow.services.org.login_locks import Origin


def test_one_ipv6_home_connection_cannot_keep_the_owner_out(session, org, locks):
    owner = Origin(client_key("10.1.2.3"), locks)  # the head's office
    addresses = [f"2001:db8:0:ab{i:02x}::1" for i in range(256)]  # one /56
    stranger = [Origin(client_key(a), locks, subscriber_key(a)) for a in addresses]
    assert len({o.address for o in stranger}) == 256 and {o.network for o in stranger} == {"2001:db8:0:ab00::/56"}
    at = NOW
    for origin in stranger[:10]:
        for _ in range(login.MAX_FAILURES):
            login.authenticate(session, "head", "sai", at, origin)
    got_in, k = [], 10
    for minute in range(1, 3 * 60):
        at = NOW + timedelta(minutes=minute)
        login.authenticate(session, "head", "sai", at, stranger[k % 256])  # one wrong login a minute
        k += 1
        if minute % 15 == 0:  # the owner tries every quarter of an hour, with the right password
            got_in.append(login.authenticate(session, "head", PASSWORD, at + timedelta(seconds=30), owner)
                          is not None)
    assert any(got_in), "the owner never signed in during 3 hours"


def test_one_ipv6_subscriber_still_locks_its_own_addresses_only(session, org, locks):
    """Each /64 keeps its own per-address lock (the /56 counts only towards the whole account)."""
    first, second = ("2001:db8:0:ab01::1", "2001:db8:0:ab02::1")
    one, other = (Origin(client_key(a), locks, subscriber_key(a)) for a in (first, second))
    for _ in range(login.MAX_FAILURES):
        login.authenticate(session, "head", "sai", NOW, one)
    assert login.address_locked_until("head", NOW, one) is not None
    assert login.address_locked_until("head", NOW, other) is None
    assert login.authenticate(session, "head", PASSWORD, NOW, other) is not None
