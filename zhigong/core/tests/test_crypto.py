import pytest
from cryptography.exceptions import InvalidTag

from zhigong.core import crypto


def test_round_trip_and_fresh_nonce():
    a = crypto.encrypt("11010519491231002X", b"id_number")
    b = crypto.encrypt("11010519491231002X", b"id_number")
    assert a != b
    assert crypto.decrypt(a, b"id_number") == "11010519491231002X"


def test_tampered_or_moved_ciphertext_fails():
    blob = bytearray(crypto.encrypt("11010519491231002X", b"id_number"))
    with pytest.raises(InvalidTag):
        crypto.decrypt(bytes(blob), b"bank_account")  # bound to its purpose
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(bytes(blob), b"id_number")


def test_blind_index_is_stable_and_keyed(settings):
    first = crypto.blind_index("11010519491231002X", b"id_number")
    assert first == crypto.blind_index("11010519491231002X", b"id_number")
    assert first != crypto.blind_index("11010519491231002X", b"other")
    settings.FIELD_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="
    assert crypto.blind_index("11010519491231002X", b"id_number") != first
