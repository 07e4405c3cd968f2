"""The demo roster reads like a real one: names match their gender."""

import random

from faker import Faker

from members.demo import GIVEN_NAMES, demo_name


def test_demo_names_match_their_gender():
    women, men = set(GIVEN_NAMES["F"].split()), set(GIVEN_NAMES["M"].split())
    rng, faker = random.Random(7), Faker("zh_CN")
    faker.seed_instance(7)
    for _ in range(500):
        woman, man = demo_name(rng, faker, "F"), demo_name(rng, faker, "M")
        assert woman[1:] in women or woman[2:] in women, woman
        assert man[1:] in men or man[2:] in men, man
    assert not women & men
